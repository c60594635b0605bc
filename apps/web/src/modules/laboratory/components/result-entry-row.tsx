import Box from '@mui/material/Box';
import InputAdornment from '@mui/material/InputAdornment';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { LabResult } from '@newhms/contracts';
import { type KeyboardEvent, useId } from 'react';
import { codedAnswers } from '../coded-answers';
import { resultStatusLabels } from '../laboratory-labels';
import type { EntryDraft, EntryErrors } from '../result-entry';
import { formatResultValue } from '../result-flags';
import { CultureEntry } from './culture-entry';
import { FlagChip } from './flag-chip';
import { ResultNotes } from './request-results-table';

type Props = {
  result: LabResult;
  draft: EntryDraft;
  onChange: (next: EntryDraft) => void;
  /** Errors of this test, keys relative to it. */
  errors: EntryErrors;
  editable: boolean;
  /** Why it cannot be entered, when it cannot. */
  lockedReason?: string;
  /** Enter in the value field: on to the next test (the last one saves). */
  onEnter: (e: KeyboardEvent<HTMLDivElement>) => void;
};

/** One test of the entry form: the value with its unit and range, and once saved, the server's flag and checks. */
export function ResultEntryRow({ result, draft, onChange, errors, editable, lockedReason, onEnter }: Props) {
  const listId = useId();
  const saved = result.status !== 'pending' && result.status !== 'cancelled';
  const range = result.referenceRange?.text;
  const enter = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Enter' && !e.shiftKey) onEnter(e);
  };
  let input: React.ReactNode;
  if (result.resultType === 'culture') {
    input = (
      <CultureEntry
        testName={result.testName}
        value={draft.culture}
        onChange={(culture) => onChange({ ...draft, culture })}
        errors={errors}
        disabled={!editable}
      />
    );
  } else if (result.resultType === 'numeric') {
    input = (
      <TextField
        label={result.testName}
        value={draft.value}
        onChange={(e) => onChange({ ...draft, value: e.target.value })}
        onKeyDown={enter}
        disabled={!editable}
        error={!!errors.value}
        helperText={errors.value ?? (range ? `Range ${range}` : 'No reference range for this patient')}
        fullWidth
        slotProps={{
          // The label stays above the field: a long test name would run under the unit.
          inputLabel: { shrink: true },
          htmlInput: { inputMode: 'decimal', autoComplete: 'off', 'data-entry': 'value' },
          input: result.unit
            ? { endAdornment: <InputAdornment position="end">{result.unit}</InputAdornment> }
            : undefined,
        }}
      />
    );
  } else {
    input = (
      <>
        <TextField
          label={result.testName}
          value={draft.text}
          onChange={(e) => onChange({ ...draft, text: e.target.value })}
          onKeyDown={enter}
          disabled={!editable}
          error={!!errors.value || !!errors.text}
          helperText={
            errors.value ?? errors.text ?? (result.resultType === 'coded' ? 'Type or pick an answer' : ' ')
          }
          fullWidth
          slotProps={{
            inputLabel: { shrink: true },
            htmlInput: {
              autoComplete: 'off',
              maxLength: 2000,
              'data-entry': 'value',
              ...(result.resultType === 'coded' ? { list: listId } : {}),
            },
          }}
        />
        {result.resultType === 'coded' && (
          <datalist id={listId}>
            {codedAnswers(result.testCode).map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        )}
      </>
    );
  }
  return (
    <Box
      component="li"
      data-testid="entry-row"
      data-test-code={result.testCode}
      sx={{
        display: 'grid',
        gap: 1.5,
        gridTemplateColumns: { xs: '1fr', md: result.resultType === 'culture' ? '1fr' : '2fr 2fr 3fr' },
        alignItems: 'start',
        py: 1.5,
        borderBottom: 1,
        borderColor: 'divider',
      }}
    >
      <Box sx={{ minWidth: 0 }}>
        {input}
        {errors.value && result.resultType === 'culture' && (
          <Typography color="error" variant="body2">
            {errors.value}
          </Typography>
        )}
      </Box>
      <TextField
        label={`Comment on ${result.testName}`}
        value={draft.comment}
        onChange={(e) => onChange({ ...draft, comment: e.target.value })}
        disabled={!editable}
        slotProps={{ inputLabel: { shrink: true }, htmlInput: { maxLength: 500 } }}
      />
      <Box aria-live="polite" sx={{ minWidth: 0 }}>
        {saved ? (
          <Box
            sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}
            data-testid="saved-result"
          >
            <Typography component="span" variant="body2">
              {`${resultStatusLabels[result.status]}: ${formatResultValue(result) || '—'}`}
            </Typography>
            <FlagChip flag={result.flag} showNormal />
          </Box>
        ) : (
          <Typography variant="body2" color="text.secondary">
            {lockedReason ?? 'Not entered yet'}
          </Typography>
        )}
        {saved && <ResultNotes result={result} />}
      </Box>
    </Box>
  );
}
