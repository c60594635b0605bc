import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { labSettings } from '@newhms/contracts';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { Section } from '../../../ui/titled-section';
import { CollectDialog } from '../components/collect-dialog';
import { PrintLabelButton } from '../components/print-label-button';
import { PriorityChip } from '../components/priority-chip';
import { type CollectionItem, useCollectionList, useWards } from '../hooks/use-laboratory';
import { settingLabels, tubeLabel } from '../laboratory-labels';

type Group = { patientId: string; patientName: string; mrn: string; place: string; items: CollectionItem[] };

/** The tubes to draw per patient, in the list's order (STAT first, then urgent, then the oldest). */
function byPatient(items: CollectionItem[]): Group[] {
  const groups = new Map<string, Group>();
  for (const item of items) {
    const place =
      item.wardName && item.bedCode ? `${item.wardName}, bed ${item.bedCode}` : settingLabels[item.setting];
    const g = groups.get(item.patientId) ?? {
      patientId: item.patientId,
      patientName: item.patientName,
      mrn: item.mrn,
      place,
      items: [],
    };
    g.items.push(item);
    groups.set(item.patientId, g);
  }
  return [...groups.values()];
}

/** The collection list (/laboratory/collection): tubes to draw by setting or ward, labels, marking collected. */
export function CollectionPage() {
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const setting = params.get('setting') ?? '';
  const wardId = params.get('wardId') ?? '';
  const wards = useWards(can('ipd:read'));
  const list = useCollectionList({ setting, wardId });
  const [collecting, setCollecting] = useState<CollectionItem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const groups = byPatient(list.data ?? []);

  const setFilter = (key: 'setting' | 'wardId', value: string) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (value) p.set(key, value);
        else p.delete(key);
        // A ward is in-patients; another setting has no ward.
        if (key === 'wardId' && value) p.set('setting', 'ipd');
        if (key === 'setting' && value !== 'ipd') p.delete('wardId');
        return p;
      },
      { replace: true },
    );

  const columns: Column<CollectionItem>[] = [
    { id: 'priority', header: 'Priority', render: (c) => <PriorityChip priority={c.priority} /> },
    {
      id: 'accession',
      header: 'Accession',
      render: (c) => (
        <Typography component="span" sx={{ fontFamily: 'monospace', fontWeight: 700 }}>
          {c.sample.accession}
        </Typography>
      ),
    },
    {
      id: 'tube',
      header: 'Tube',
      render: (c) => (
        <>
          {tubeLabel(c.sample)}
          {c.sample.recollectionOf && (
            <Typography variant="body2" color="error" sx={{ fontWeight: 600 }}>
              Recollection: the first tube was rejected
            </Typography>
          )}
        </>
      ),
    },
    {
      id: 'tests',
      header: 'Tests',
      render: (c) => (
        <>
          {c.requestDisplay}
          <Typography variant="body2" color="text.secondary">
            {c.sample.testCodes.join(', ')}
          </Typography>
        </>
      ),
    },
    { id: 'requested', header: 'Requested', render: (c) => formatDateTime(c.requestedAt), hideBelow: 'md' },
    {
      id: 'actions',
      header: 'Actions',
      render: (c) => (
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
          <PrintLabelButton sampleId={c.sample.id} accession={c.sample.accession} />
          <Button
            size="small"
            variant="contained"
            aria-label={`Collected ${c.sample.accession}`}
            onClick={() => {
              setDone(null);
              setCollecting(c);
            }}
          >
            Collected
          </Button>
        </Box>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Sample collection"
        subtitle="Tubes to draw, STAT first: print the label at the bedside, then mark the tube collected"
      />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mb: 2 }}>
        <TextField
          select
          label="Setting"
          value={setting}
          onChange={(e) => setFilter('setting', e.target.value)}
          slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
          sx={{ minWidth: 180 }}
        >
          <MenuItem value="">All settings</MenuItem>
          {labSettings.map((s) => (
            <MenuItem key={s} value={s}>
              {settingLabels[s]}
            </MenuItem>
          ))}
        </TextField>
        {can('ipd:read') && (
          <TextField
            select
            label="Ward"
            value={wardId}
            onChange={(e) => setFilter('wardId', e.target.value)}
            slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
            sx={{ minWidth: 220 }}
          >
            <MenuItem value="">All wards</MenuItem>
            {(wards.data ?? []).map((w) => (
              <MenuItem key={w.id} value={w.id}>
                {w.name}
              </MenuItem>
            ))}
          </TextField>
        )}
      </Stack>
      {done && (
        <Alert severity="success" role="status" sx={{ mb: 2 }} onClose={() => setDone(null)}>
          {done}
        </Alert>
      )}
      <ProblemAlert error={list.error} sx={{ mb: 2 }} />
      {list.isLoading && <LinearProgress aria-label="Loading the collection list" />}
      {list.isSuccess && groups.length === 0 && (
        <Typography color="text.secondary">Nothing to collect here now.</Typography>
      )}
      <Stack spacing={2} component="div" data-testid="collection-list">
        {groups.map((g) => (
          <Section
            key={g.patientId}
            title={`${g.patientName} · MRN ${g.mrn}`}
            actions={<Typography color="text.secondary">{g.place}</Typography>}
            testId="collection-patient"
          >
            <DataTable
              label={`Tubes to draw for ${g.patientName}`}
              columns={columns}
              rows={g.items}
              rowKey={(c) => c.sample.id}
            />
          </Section>
        ))}
      </Stack>
      <CollectDialog
        sample={collecting?.sample ?? null}
        patientName={collecting?.patientName}
        onClose={() => setCollecting(null)}
        onCollected={(accession) =>
          setDone(
            `${accession} collected${collecting ? ` from ${collecting.patientName}` : ''}: send it to the lab.`,
          )
        }
      />
    </>
  );
}
