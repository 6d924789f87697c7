'use client';

import {
  Badge,
  Button,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogTitle,
  DialogTrigger,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  toast,
} from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { Loaded } from '~/components/loaded';
import { LocalTime } from '~/lib/local-time';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';
import type { UserListItem } from './user-row';

type Session = RouterOutputs['users']['sessions'][number];

function sessionState(s: Session, now: number): 'live' | 'revoked' | 'expired' {
  if (s.revokedAt) return 'revoked';
  if (s.idleExpiresAt.getTime() <= now || s.absoluteExpiresAt.getTime() <= now) return 'expired';
  return 'live';
}

const TONE = { live: 'success', revoked: 'danger', expired: 'neutral' } as const;

export function SessionsDialog({ user }: { user: UserListItem }) {
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button size="sm" variant="outline">
          Sessions
        </Button>
      </DialogTrigger>
      <DialogContent className="max-w-4xl">
        <DialogTitle>Sessions of {user.email}</DialogTitle>
        <DialogDescription>
          The 50 most recent sign-ins. Ending a session signs that browser out.
        </DialogDescription>
        {/* Dialog content mounts only while open, so the list is fetched when someone looks. */}
        <Loaded>
          <SessionsTable userId={user.id} />
        </Loaded>
      </DialogContent>
    </Dialog>
  );
}

function SessionsTable({ userId }: { userId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useSuspenseQuery(trpc.users.sessions.queryOptions({ id: userId }));
  const end = useMutation(
    trpc.users.endSession.mutationOptions({
      onSuccess: () => toast.success('Session ended.'),
      onError: (error) => toast.error(error.message),
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.users.sessions.queryKey({ id: userId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() }),
        ]),
    }),
  );

  if (sessions.data.length === 0) return <p className="text-sm text-muted-foreground">No sessions yet.</p>;

  const now = Date.now();
  return (
    <div className="max-h-[60vh] overflow-y-auto">
      <Table data-testid="sessions">
        <TableHeader>
          <TableRow>
            <TableHead>Created</TableHead>
            <TableHead>Last seen</TableHead>
            <TableHead>IP</TableHead>
            <TableHead>User agent</TableHead>
            <TableHead>State</TableHead>
            <TableHead className="sr-only">Actions</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {sessions.data.map((s) => {
            const state = sessionState(s, now);
            return (
              <TableRow key={s.id} data-testid="session-row" data-state={state}>
                <TableCell>
                  <LocalTime value={s.createdAt} />
                </TableCell>
                <TableCell>
                  <LocalTime value={s.lastSeenAt} fallback="never" />
                </TableCell>
                <TableCell className="font-mono text-xs">{s.ip ?? '—'}</TableCell>
                <TableCell className="max-w-56 truncate text-xs" title={s.userAgent ?? undefined}>
                  {s.userAgent ?? '—'}
                </TableCell>
                <TableCell>
                  <Badge tone={TONE[state]} title={s.revokedReason ?? undefined}>
                    {state}
                  </Badge>
                </TableCell>
                <TableCell className="text-right">
                  {state === 'live' ? (
                    <Button
                      size="sm"
                      variant="outline"
                      disabled={end.isPending}
                      onClick={() => end.mutate({ sessionId: s.id })}
                    >
                      End session
                    </Button>
                  ) : null}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
