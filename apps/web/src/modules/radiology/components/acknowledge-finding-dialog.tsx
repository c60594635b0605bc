import type { RadCriticalAlert } from '@newhms/contracts';
import { formatDateTime } from '../../../ui/format';
import { ReadBackDialog } from '../../../ui/read-back-dialog';
import { useAcknowledgeRadCritical } from '../hooks/use-radiology';
import { criticalCategoryLabels } from '../radiology-labels';

type Props = {
  alert: RadCriticalAlert | null;
  onClose: () => void;
  onDone: (alert: RadCriticalAlert) => void;
};

/**
 * A critical imaging finding read back: a finding has no number to repeat, so the doctor names it in a few words
 * of their own; the server refuses "ok, noted" (422).
 */
export function AcknowledgeFindingDialog({ alert, onClose, onDone }: Props) {
  const ack = useAcknowledgeRadCritical();
  return (
    <ReadBackDialog
      alert={alert}
      ack={ack}
      title="Acknowledge critical finding"
      summary={(a) => ({
        testId: 'critical-finding-text',
        heading: `${a.patientName} · MRN ${a.mrn} · ${a.procedureName}`,
        text: `${a.finding} (${criticalCategoryLabels[a.category]}), reported ${formatDateTime(a.notifiedAt)}${a.reportedByName ? ` by ${a.reportedByName}` : ''}`,
      })}
      label="Read back the finding"
      missingText="Repeat the finding"
      hint='Name the finding as you understood it, e.g. "large left pneumothorax"'
      maxLength={500}
      multiline
      onClose={onClose}
      onDone={onDone}
    />
  );
}
