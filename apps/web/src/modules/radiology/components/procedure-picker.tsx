import type { RadProcedure } from '@newhms/contracts';
import { CatalogPicker, type CatalogPickerProps, type CatalogSource } from '../../../ui/catalog-picker';
import { useRadCatalog } from '../hooks/use-radiology';
import { modalityLabels } from '../radiology-labels';

const procedures: CatalogSource<RadProcedure> = {
  useSearch: (q) => {
    const search = useRadCatalog(q);
    return { options: search.data ?? [], isFetching: search.isFetching };
  },
  optionLabel: (o) => o.name,
  key: (o) => o.code,
  detail: (o) => `${o.code} · ${modalityLabels[o.modality]} · ${o.bodyPart}`,
  label: 'Procedure',
  placeholder: 'Name, code or body part',
  helperText: 'Type to search the imaging catalog; ↓ and Enter to choose',
  noMatchText: 'No imaging procedure by that name',
};

/** Finds an imaging procedure of the catalog by name, code or body part as one types. */
export function ProcedurePicker(props: CatalogPickerProps<RadProcedure>) {
  return <CatalogPicker source={procedures} {...props} />;
}
