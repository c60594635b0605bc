import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { ReviewBreakGlassBody } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { type Column, DataTable } from '../../../ui/data-table';
import { validateForm } from '../../../ui/form-validation';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { type Grant, useBreakGlassGrants, useReviewBreakGlass } from '../hooks/use-break-glass';

export function BreakGlassReviewPage() {
  const [status, setStatus] = useState<'unreviewed' | 'all'>('unreviewed');
  const grants = useBreakGlassGrants(status);
  const [reviewing, setReviewing] = useState<Grant | null>(null);
  const rows = grants.data?.pages.flatMap((p) => p.items) ?? [];
  const columns: Column<Grant>[] = [
    { id: 'grantedAt', header: 'Granted', render: (g) => formatDateTime(g.grantedAt) },
    { id: 'user', header: 'User', render: (g) => g.userName ?? g.userId },
    { id: 'patient', header: 'Patient', render: (g) => g.patientId, hideBelow: 'lg' },
    { id: 'reason', header: 'Reason', render: (g) => g.reason },
    { id: 'expiresAt', header: 'Expires', render: (g) => formatDateTime(g.expiresAt), hideBelow: 'md' },
    {
      id: 'review',
      header: 'Review',
      render: (g) =>
        g.reviewedAt ? (
          `Reviewed ${formatDateTime(g.reviewedAt)}${g.reviewNote ? `: ${g.reviewNote}` : ''}`
        ) : (
          <Button size="small" variant="outlined" onClick={() => setReviewing(g)}>
            Review
          </Button>
        ),
    },
  ];
  return (
    <>
      <PageHeader
        title="Break-glass review"
        subtitle="Emergency access to patient records outside a care relationship. Each grant must be reviewed."
      />
      <TextField
        select
        label="Show"
        value={status}
        onChange={(e) => setStatus(e.target.value as 'unreviewed' | 'all')}
        sx={{ mb: 2, minWidth: 200 }}
      >
        <MenuItem value="unreviewed">Not yet reviewed</MenuItem>
        <MenuItem value="all">All grants</MenuItem>
      </TextField>
      <ProblemAlert error={grants.error} sx={{ mb: 2 }} />
      <DataTable
        label="Break-glass grants"
        columns={columns}
        rows={rows}
        rowKey={(g) => g.id}
        loading={grants.isFetching && !grants.isFetchingNextPage}
        emptyText={status === 'unreviewed' ? 'Nothing to review.' : 'No break-glass access yet.'}
        hasMore={grants.hasNextPage}
        loadingMore={grants.isFetchingNextPage}
        onLoadMore={() => void grants.fetchNextPage()}
      />
      {reviewing && <ReviewDialog grant={reviewing} onClose={() => setReviewing(null)} />}
    </>
  );
}

function ReviewDialog({ grant, onClose }: { grant: Grant; onClose: () => void }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>();
  const review = useReviewBreakGlass();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = validateForm(ReviewBreakGlassBody, { note });
    if (!result.ok) return setError('Write a note about your review');
    setError(undefined);
    review.mutate({ id: grant.id, note: result.data.note }, { onSuccess: onClose });
  };
  return (
    <Dialog open onClose={onClose} aria-labelledby="review-title" fullWidth maxWidth="sm">
      <form noValidate onSubmit={submit}>
        <DialogTitle id="review-title">Review break-glass access</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {grant.userName ?? grant.userId} opened patient {grant.patientId} on{' '}
            {formatDateTime(grant.grantedAt)}: “{grant.reason}”
          </DialogContentText>
          <ProblemAlert error={review.error} sx={{ mb: 2 }} />
          <TextField
            label="Review note"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            error={!!error}
            helperText={error ?? 'Was the access justified? What follow-up is needed?'}
            multiline
            minRows={3}
            fullWidth
            required
            autoFocus
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={review.isPending}>
            Mark reviewed
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
