import type { StockItem } from '@newhms/contracts';
import type { RefObject } from 'react';
import { CatalogPicker, type CatalogSource } from '../../../ui/catalog-picker';
import { useStoreStock } from '../hooks/use-pharmacy';
import { scheduleLabels } from '../pharmacy-labels';
import { formularyItemLabel } from './formulary-picker';

type Props = {
  storeId: string | null;
  value: StockItem | null;
  onChange: (item: StockItem | null) => void;
  label?: string;
  error?: string;
  autoFocus?: boolean;
  inputRef?: RefObject<HTMLInputElement | null>;
};

/** A store's stock as a catalog: the same hook on every render, only the store it asks about changes. */
function stockOf(storeId: string | null): CatalogSource<StockItem> {
  return {
    useSearch: (q) => {
      const found = useStoreStock(storeId, { q });
      return { options: found.data ?? [], isFetching: found.isFetching };
    },
    key: (o) => o.formularyItemId,
    optionLabel: formularyItemLabel,
    detail: (o) =>
      `${o.available} ${o.unitOfIssue} available · ${scheduleLabels[o.schedule]}${o.controlled ? ' · controlled' : ''}`,
    label: 'Medicine',
    placeholder: 'Generic name or code',
    helperText: 'Items in stock in this store; ↓ and Enter to choose',
    noMatchText: storeId ? 'Not in stock in this store' : 'Choose the store first',
    minLength: 0,
  };
}

/** Finds an item the store holds, with the units it can issue today. */
export function StockItemPicker({ storeId, ...props }: Props) {
  return <CatalogPicker source={stockOf(storeId)} {...props} />;
}
