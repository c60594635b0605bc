import type { FormularyItem } from '@newhms/contracts';
import { CatalogPicker, type CatalogSource } from '../../../ui/catalog-picker';
import { useFormularySearch } from '../hooks/use-pharmacy';
import { scheduleLabels } from '../pharmacy-labels';

type Props = {
  value: FormularyItem | null;
  onChange: (item: FormularyItem | null) => void;
  label?: string;
  required?: boolean;
  error?: string;
  autoFocus?: boolean;
  helperText?: string;
};

export function formularyItemLabel(i: Pick<FormularyItem, 'genericName' | 'strength' | 'doseForm'>): string {
  return [i.genericName, i.strength, i.doseForm].filter(Boolean).join(' ');
}

const formulary: CatalogSource<FormularyItem> = {
  useSearch: (q) => {
    const search = useFormularySearch(q);
    return { options: search.data ?? [], isFetching: search.isFetching };
  },
  key: (o) => o.id,
  optionLabel: formularyItemLabel,
  detail: (o) =>
    `${o.code} · ${scheduleLabels[o.schedule]}${o.controlled ? ' · controlled' : ''}${o.highAlert ? ' · high alert' : ''}`,
  label: 'Item',
  placeholder: 'Generic name, code or brand',
  helperText: 'Type to search the formulary; ↓ and Enter to choose',
  noMatchText: 'No item with this name, code or brand',
};

/** Finds a formulary item by generic name (typos allowed), code, ingredient or brand. */
export function FormularyPicker(props: Props) {
  return <CatalogPicker source={formulary} {...props} />;
}
