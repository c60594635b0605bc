import CircularProgress from '@mui/material/CircularProgress';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { identifierLabels, type Patient } from '@newhms/contracts';
import { formatDateTime } from '../../../ui/format';
import { contactKindLabels, sexLabels } from '../patient-labels';

type Row = { label: string; value: (p: Patient) => string };

const rows: Row[] = [
  { label: 'MRN', value: (p) => p.mrn },
  { label: 'Name', value: (p) => p.displayName },
  { label: 'Sex', value: (p) => sexLabels[p.sex] },
  {
    label: 'Date of birth',
    value: (p) => (p.birthDate ? `${p.birthDate}${p.birthDateEstimated ? ' (estimated)' : ''}` : ''),
  },
  { label: 'Age', value: (p) => p.age ?? '' },
  { label: 'Phones', value: (p) => p.phones.map((ph) => ph.number).join(', ') },
  { label: 'E-mail', value: (p) => p.email ?? '' },
  {
    label: 'Address',
    value: (p) =>
      p.address
        ? [p.address.line, p.address.locality, p.address.district, p.address.state, p.address.postalCode]
            .filter(Boolean)
            .join(', ')
        : '',
  },
  {
    label: 'Identifiers',
    value: (p) => p.identifiers.map((i) => `${identifierLabels[i.type]} ${i.display}`).join(', '),
  },
  {
    label: 'Contacts',
    value: (p) =>
      p.contacts.map((c) => `${contactKindLabels[c.kind]}: ${c.name} (${c.relationship})`).join(', '),
  },
  {
    label: 'Allergies',
    value: (p) => {
      const active = p.allergies.filter((a) => a.status === 'active').map((a) => a.substance);
      if (active.length > 0) return active.join(', ');
      return p.allergyState === 'none-known' ? 'No known allergies' : 'Not recorded';
    },
  },
  {
    label: 'Alerts',
    value: (p) =>
      p.alerts
        .filter((a) => a.status === 'active')
        .map((a) => a.text)
        .join(', '),
  },
  { label: 'Blood group', value: (p) => p.bloodGroup ?? '' },
  { label: 'Registered', value: (p) => formatDateTime(p.registeredAt) },
  { label: 'Last visit', value: (p) => formatDateTime(p.lastVisitAt) },
  { label: 'Status', value: (p) => p.status },
];

type Props = { a: Patient | undefined; b: Patient | undefined; labelA: string; labelB: string };

/** Two patient records side by side, with the fields that differ marked. */
export function PatientComparison({ a, b, labelA, labelB }: Props) {
  if (!a || !b) return <CircularProgress aria-label="Loading both records" />;
  return (
    <TableContainer component={Paper} variant="outlined" sx={{ overflowX: 'auto' }}>
      <Table size="small" aria-label="Records side by side">
        <TableHead>
          <TableRow>
            <TableCell sx={{ fontWeight: 600, width: 140 }}>Field</TableCell>
            <TableCell sx={{ fontWeight: 600 }}>{labelA}</TableCell>
            <TableCell sx={{ fontWeight: 600 }}>{labelB}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row) => {
            const va = row.value(a);
            const vb = row.value(b);
            const differs = va.trim().toLowerCase() !== vb.trim().toLowerCase() && row.label !== 'MRN';
            const cell = { bgcolor: differs ? '#fff4e5' : undefined, fontWeight: differs ? 600 : undefined };
            return (
              <TableRow key={row.label}>
                <TableCell component="th" scope="row" sx={{ color: 'text.secondary', fontWeight: 600 }}>
                  {row.label}
                  {differs && <span style={{ position: 'absolute', left: -10000 }}> (differs)</span>}
                </TableCell>
                <TableCell sx={cell}>{va || '—'}</TableCell>
                <TableCell sx={cell}>{vb || '—'}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
