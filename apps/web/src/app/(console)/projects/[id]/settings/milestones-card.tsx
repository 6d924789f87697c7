'use client';

import { Button, TableCell, TableRow, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmButton } from '~/components/confirm-button';
import { TableCard } from '~/components/table-card';
import { useTRPC } from '~/trpc/react';
import { MilestoneDialog } from './milestone-dialog';
import type { Milestone } from './settings-shared';

/** Milestones in their order; maintainers add, edit, move up/down and delete them. */
export function MilestonesCard({ projectId, canWrite }: { projectId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useSuspenseQuery(trpc.milestones.list.queryOptions({ projectId }));
  const ms = list.data;
  const reorder = useMutation(
    trpc.milestones.reorder.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.milestones.pathKey() }),
      onError: (e) => toast.error(e.message),
    }),
  );
  const move = (index: number, by: -1 | 1) => {
    const ids = ms.map((m) => m.id);
    [ids[index], ids[index + by]] = [ids[index + by]!, ids[index]!];
    reorder.mutate({ projectId, ids });
  };
  return (
    <TableCard
      title="Milestones"
      description="In order; progress predicts each one's date from the open work of it and every earlier one."
      action={canWrite ? <MilestoneDialog projectId={projectId} /> : null}
      columns={[{ label: 'Order' }, { label: 'Name' }, { label: 'Due' }]}
      rowActions={canWrite}
      rows={ms.length}
      empty="No milestones yet."
      testId="milestones"
      busy={reorder.isPending}
    >
      {ms.map((m, i) => (
        <TableRow key={m.id} data-testid="milestone-row" data-name={m.name}>
          <TableCell className="tabular-nums">{i + 1}</TableCell>
          <TableCell className="font-medium">{m.name}</TableCell>
          <TableCell className="text-sm">{m.dueDate ?? '–'}</TableCell>
          {canWrite ? (
            <TableCell className="text-right">
              <div className="flex justify-end gap-2">
                <Button
                  size="sm"
                  variant="outline"
                  aria-label={`Move ${m.name} up`}
                  disabled={i === 0 || reorder.isPending}
                  onClick={() => move(i, -1)}
                >
                  ↑
                </Button>
                <Button
                  size="sm"
                  variant="outline"
                  aria-label={`Move ${m.name} down`}
                  disabled={i === ms.length - 1 || reorder.isPending}
                  onClick={() => move(i, 1)}
                >
                  ↓
                </Button>
                <MilestoneDialog projectId={projectId} milestone={m} />
                <DeleteMilestone milestone={m} />
              </div>
            </TableCell>
          ) : null}
        </TableRow>
      ))}
    </TableCard>
  );
}

function DeleteMilestone({ milestone: m }: { milestone: Milestone }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.milestones.delete.mutationOptions({
      onSuccess: () => {
        setOpen(false);
        toast.success('Milestone deleted.');
        return queryClient.invalidateQueries({ queryKey: trpc.milestones.pathKey() });
      },
    }),
  );
  return (
    <ConfirmButton
      label="Delete"
      variant="destructive"
      title="Delete this milestone?"
      description={`Its items stay in the project without a milestone (“${m.name}”).`}
      action={remove}
      onConfirm={() => remove.mutate({ id: m.id })}
      open={open}
      onOpenChange={setOpen}
    />
  );
}
