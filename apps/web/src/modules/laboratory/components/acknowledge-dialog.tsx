import type { LabCriticalAlert } from '@newhms/contracts';
import { formatDateTime } from '../../../ui/format';
import { ReadBackDialog } from '../../../ui/read-back-dialog';
import { useAcknowledgeCritical } from '../hooks/use-laboratory';
import { flagWords } from '../result-flags';

type Props = {
  alert: LabCriticalAlert | null;
  onClose: () => void;
  onDone: (alert: LabCriticalAlert) => void;
};

/** A critical value read back: the doctor repeats the test and the value; the server checks the value (422). */
export function AcknowledgeDialog({ alert, onClose, onDone }: Props) {
  const ack = useAcknowledgeCritical();
  return (
    <ReadBackDialog
      alert={alert}
      ack={ack}
      title="Acknowledge critical result"
      summary={(a) => ({
        testId: 'critical-value',
        heading: `${a.patientName} · MRN ${a.mrn}`,
        text: `${a.testName}: ${a.value}${a.unit ? ` ${a.unit}` : ''} ${a.flag} (${flagWords[a.flag]}), released ${formatDateTime(a.notifiedAt)}${a.validatedByName ? ` by ${a.validatedByName}` : ''}`,
      })}
      label="Read back the value"
      missingText="Repeat the test and the value"
      hint='Repeat the test and the value as you understood it, e.g. "potassium 6.9"'
      maxLength={300}
      problemTitles={{
        LAB_CRITICAL_READ_BACK: 'The read-back does not name the value',
        LAB_CRITICAL_ALREADY_ACKNOWLEDGED: 'Already acknowledged',
        LAB_CRITICAL_NOT_ADDRESSEE: 'Not addressed to you',
      }}
      onClose={onClose}
      onDone={onDone}
    />
  );
}
