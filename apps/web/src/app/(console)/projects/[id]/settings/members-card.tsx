'use client';

import { Button, Checkbox, Label, Select, TableCell, TableRow, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { TableCard } from '~/components/table-card';
import { useTRPC } from '~/trpc/react';
import type { Person, Project } from './settings-shared';

/** Members and whether each gets the weekly digest; maintainers add, remove and flip the flag. */
export function MembersCard({
  project: p,
  people,
  canWrite,
}: {
  project: Project;
  people: Person[];
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [userId, setUserId] = useState('');
  const [digest, setDigest] = useState(true);
  const options = {
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.projects.get.pathKey() }),
    onError: (e: { message: string }) => toast.error(e.message),
  };
  const add = useMutation(trpc.projects.addMember.mutationOptions(options));
  const remove = useMutation(trpc.projects.removeMember.mutationOptions(options));
  const busy = add.isPending || remove.isPending;
  const candidates = people.filter((u) => !p.members.some((m) => m.userId === u.id));
  return (
    <TableCard
      title="Members"
      description="Members with the digest flag get the weekly progress email."
      columns={[{ label: 'Member' }, { label: 'Weekly digest' }]}
      rowActions={canWrite}
      rows={p.members.length}
      empty="No members yet."
      testId="members"
      busy={busy}
      footer={
        canWrite ? (
          <div className="flex flex-wrap items-center gap-3">
            <Select
              aria-label="Person to add"
              className="w-56"
              value={userId}
              onChange={(e) => setUserId(e.target.value)}
            >
              <option value="">Pick a person…</option>
              {candidates.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </Select>
            <div className="flex items-center gap-2">
              <Checkbox id="member-digest" checked={digest} onChange={(e) => setDigest(e.target.checked)} />
              <Label htmlFor="member-digest">Weekly digest</Label>
            </div>
            <Button
              variant="outline"
              disabled={!userId || busy}
              onClick={() =>
                add.mutate({ projectId: p.id, userId, digest }, { onSuccess: () => setUserId('') })
              }
            >
              Add member
            </Button>
          </div>
        ) : null
      }
    >
      {p.members.map((m) => (
        <TableRow key={m.userId} data-testid="member-row">
          <TableCell>{m.name}</TableCell>
          <TableCell>
            {canWrite ? (
              <Checkbox
                aria-label={`Weekly digest for ${m.name}`}
                checked={m.digest}
                disabled={busy}
                onChange={(e) => add.mutate({ projectId: p.id, userId: m.userId, digest: e.target.checked })}
              />
            ) : m.digest ? (
              'yes'
            ) : (
              'no'
            )}
          </TableCell>
          {canWrite ? (
            <TableCell className="text-right">
              <Button
                size="sm"
                variant="outline"
                disabled={busy}
                onClick={() => remove.mutate({ projectId: p.id, userId: m.userId })}
              >
                Remove
              </Button>
            </TableCell>
          ) : null}
        </TableRow>
      ))}
    </TableCard>
  );
}
