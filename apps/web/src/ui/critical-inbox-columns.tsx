import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router';
import type { Column } from './data-table';
import { formatDateTime } from './format';

/** What the laboratory's critical values and radiology's critical findings share for their inboxes. */
export type CriticalInboxItem = {
  status: string;
  patientId: string;
  patientName: string;
  mrn: string;
  escalationLevel: number;
  escalatedAt: string | null;
  escalatedTo: readonly { name: string }[];
  orderingUserName: string | null;
  acknowledgedByName: string | null;
  acknowledgedAt: string | null;
  readBack: string | null;
};

/** "Level 2, 28 Nov 2026 10:05: Dr. Rao" or "Not escalated". */
export function escalationText(a: CriticalInboxItem): string {
  if (a.escalationLevel === 0) return 'Not escalated';
  const to = a.escalatedTo.map((e) => e.name).join(', ');
  return `Level ${a.escalationLevel}${a.escalatedAt ? `, ${formatDateTime(a.escalatedAt)}` : ''}${to ? `: ${to}` : ''}`;
}

/**
 * The columns both critical inboxes have around their own ones: the patient (a link to the record's tab) first;
 * escalation, who ordered, who acknowledged with the read-back (acknowledged view) and the actions last.
 */
export function criticalInboxColumns<T extends CriticalInboxItem>(options: {
  status: 'open' | 'acknowledged';
  /** The record's tab the patient link opens ("laboratory", "imaging"). */
  patientTab: string;
  /** "Potassium", "Chest X-ray": names the row in the buttons' labels. */
  what: (row: T) => string;
  onAcknowledge: (row: T) => void;
  report: (row: T, label: string) => ReactNode;
}): { first: Column<T>[]; last: Column<T>[] } {
  const { status, patientTab, what, onAcknowledge, report } = options;
  const first: Column<T>[] = [
    {
      id: 'patient',
      header: 'Patient',
      render: (a) => (
        <>
          <Link
            component={RouterLink}
            to={`/patients/${a.patientId}?tab=${patientTab}`}
            sx={{ fontWeight: 600 }}
          >
            {a.patientName}
          </Link>
          <Typography variant="body2" color="text.secondary">{`MRN ${a.mrn}`}</Typography>
        </>
      ),
    },
  ];
  const last: Column<T>[] = [
    { id: 'escalation', header: 'Escalation', render: escalationText, hideBelow: 'md' },
    { id: 'ordered', header: 'Ordered by', render: (a) => a.orderingUserName ?? '', hideBelow: 'lg' },
  ];
  if (status === 'acknowledged') {
    last.push({
      id: 'ack',
      header: 'Acknowledged',
      render: (a) => (
        <>
          {`${a.acknowledgedByName ?? ''}, ${formatDateTime(a.acknowledgedAt)}`}
          <Typography variant="body2" color="text.secondary">{`Read back: "${a.readBack ?? ''}"`}</Typography>
        </>
      ),
    });
  }
  last.push({
    id: 'actions',
    header: 'Actions',
    render: (a) => (
      <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
        {a.status === 'open' && (
          <Button
            size="small"
            variant="contained"
            color="error"
            onClick={() => onAcknowledge(a)}
            aria-label={`Acknowledge ${what(a)} of ${a.patientName}`}
          >
            Acknowledge
          </Button>
        )}
        {report(a, `Report of ${what(a)} of ${a.patientName}`)}
      </Box>
    ),
  });
  return { first, last };
}
