import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import type { Session } from '@newhms/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '../../../app/api-client';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';

type SessionRow = z.infer<typeof Session>;
const key = ['auth', 'sessions'] as const;

function describeAgent(ua: string | null): string {
  if (!ua) return 'Unknown device';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Chrome\//.test(ua)
      ? 'Chrome'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Browser';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad/.test(ua)
        ? 'iOS'
        : /Mac OS/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  return os ? `${browser} on ${os}` : browser;
}

export function SessionsPage() {
  const { signOut } = useAuth();
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<{ items: SessionRow[] }>('/auth/sessions', undefined, signal),
    select: (d) => d.items,
  });
  const revoke = useMutation({
    mutationFn: (s: SessionRow) => api.delete(`/auth/sessions/${s.id}`),
    onSuccess: async (_, s) => {
      if (s.current) await signOut();
      else await queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const columns: Column<SessionRow>[] = [
    {
      id: 'device',
      header: 'Device',
      render: (s) => (
        <>
          {describeAgent(s.userAgent)}{' '}
          {s.current && <Chip size="small" color="primary" label="this session" />}
        </>
      ),
    },
    { id: 'ip', header: 'IP', render: (s) => s.ip ?? '', hideBelow: 'md' },
    { id: 'created', header: 'Signed in', render: (s) => formatDateTime(s.createdAt) },
    { id: 'seen', header: 'Last active', render: (s) => formatDateTime(s.lastSeenAt) },
    { id: 'expires', header: 'Expires', render: (s) => formatDateTime(s.expiresAt), hideBelow: 'lg' },
    {
      id: 'actions',
      header: 'Actions',
      render: (s) => (
        <Button size="small" color="error" onClick={() => revoke.mutate(s)} disabled={revoke.isPending}>
          {s.current ? 'Sign out' : 'Revoke'}
        </Button>
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title="My sessions"
        subtitle="Where you are signed in. Revoke any session you do not recognise."
      />
      <ProblemAlert error={sessions.error ?? revoke.error} sx={{ mb: 2 }} />
      <DataTable
        label="Sessions"
        columns={columns}
        rows={sessions.data ?? []}
        rowKey={(s) => s.id}
        loading={sessions.isFetching}
        emptyText="No active sessions."
      />
    </>
  );
}
