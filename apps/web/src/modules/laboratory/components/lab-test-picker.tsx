import type { LabCatalogSearch } from '@newhms/contracts';
import type { z } from 'zod';
import { CatalogPicker, type CatalogPickerProps, type CatalogSource } from '../../../ui/catalog-picker';
import { useLabCatalogSearch } from '../hooks/use-laboratory';
import { sectionLabels } from '../laboratory-labels';

/** What can be ordered: a test or a panel of the catalog. */
export type Orderable = { kind: 'test' | 'panel'; code: string; name: string; detail: string };

/** Panels first (what doctors order most), then single tests. */
export function orderablesOf(found: z.infer<typeof LabCatalogSearch> | undefined): Orderable[] {
  if (!found) return [];
  return [
    ...found.panels.map((p) => ({
      kind: 'panel' as const,
      code: p.code,
      name: p.name,
      detail: `Panel of ${p.members.length}: ${p.members
        .slice(0, 4)
        .map((m) => m.name)
        .join(', ')}${p.members.length > 4 ? '…' : ''}`,
    })),
    ...found.tests.map((t) => ({
      kind: 'test' as const,
      code: t.code,
      name: t.name,
      detail: `${sectionLabels[t.section]} · ${t.specimen} · ${t.container}`,
    })),
  ];
}

const orderables: CatalogSource<Orderable> = {
  useSearch: (q) => {
    const search = useLabCatalogSearch(q);
    return { options: orderablesOf(search.data), isFetching: search.isFetching };
  },
  optionLabel: (o) => o.name,
  key: (o) => `${o.kind}:${o.code}`,
  detail: (o) => `${o.code} · ${o.detail}`,
  label: 'Test or panel',
  placeholder: 'Name, code or LOINC code',
  helperText: 'Type to search the laboratory catalog; ↓ and Enter to choose',
  noMatchText: 'No test or panel by that name',
};

/** Finds a test or panel of the laboratory catalog by name, code or LOINC code as one types. */
export function LabTestPicker(props: CatalogPickerProps<Orderable>) {
  return <CatalogPicker source={orderables} {...props} />;
}
