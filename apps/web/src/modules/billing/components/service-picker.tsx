import type { BillingService } from '@newhms/contracts';
import { CatalogPicker, type CatalogSource } from '../../../ui/catalog-picker';
import { serviceGroupLabel } from '../billing-labels';
import { useServices } from '../hooks/use-billing';

const services: CatalogSource<BillingService> = {
  useSearch: (q) => {
    const found = useServices({ q: q || undefined, active: 'true' });
    return { options: found.data?.items ?? [], isFetching: found.isFetching };
  },
  key: (o) => o.id,
  optionLabel: (o) => `${o.code} · ${o.name}`,
  detail: (o) => serviceGroupLabel(o.serviceGroup),
  label: 'Service',
  placeholder: 'Code or name',
  helperText: 'Type to search the charge master; ↓ and Enter to choose',
  noMatchText: 'No service with this code or name',
  minLength: 0,
};

type Props = {
  value: BillingService | null;
  onChange: (service: BillingService | null) => void;
  label?: string;
  error?: string;
  autoFocus?: boolean;
};

/** Finds an active service of the charge master by code or name. */
export function ServicePicker(props: Props) {
  return <CatalogPicker source={services} required {...props} />;
}
