'use client';

import type { TimeIntervalSpec } from '@sextant/db/notify-types';
import { type Role, roleAtLeast } from '@sextant/db/roles';
import { TableCell, TableRow, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmButton } from '~/components/confirm-button';
import { ConsolePage } from '~/components/page-header';
import { TableCard } from '~/components/table-card';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';
import { TimeIntervalDialog } from './time-interval-dialog';

type Interval = RouterOutputs['timeIntervals']['list'][number];

/** One spec in words: "monday:friday 09:00–17:00 (Europe/Berlin)"; an empty spec is "always". */
export function specText(s: TimeIntervalSpec): string {
  const parts = [
    s.weekdays?.join(', '),
    s.times?.map((t) => `${t.start}–${t.end}`).join(', '),
    s.daysOfMonth && `days ${s.daysOfMonth.join(', ')}`,
    s.months?.join(', '),
    s.years?.join(', '),
  ].filter(Boolean);
  return `${parts.join(' ') || 'always'} (${s.location ?? 'UTC'})`;
}

export function TimeIntervalsView({ role }: { role: Role }) {
  const trpc = useTRPC();
  const intervals = useSuspenseQuery(trpc.timeIntervals.list.queryOptions());
  const canEdit = roleAtLeast(role, 'maintainer');
  return (
    <ConsolePage
      title="Time intervals"
      description="Named recurring times that routes mute in, or are active only in. Routes inherit them unless they set their own."
      action={canEdit ? <TimeIntervalDialog /> : null}
      refreshed={[intervals]}
    >
      <TableCard
        columns={[{ label: 'Name' }, { label: 'Specs (any may match)' }]}
        rowActions={canEdit}
        rows={intervals.data.length}
        empty="No time intervals."
        testId="time-intervals"
      >
        {intervals.data.map((i) => (
          <IntervalRow key={i.id} interval={i} canEdit={canEdit} />
        ))}
      </TableCard>
    </ConsolePage>
  );
}

function IntervalRow({ interval: i, canEdit }: { interval: Interval; canEdit: boolean }) {
  return (
    <TableRow data-testid="time-interval-row" data-name={i.name}>
      <TableCell className="font-medium">{i.name}</TableCell>
      <TableCell>
        <ul className="text-xs">
          {i.intervals.map((s) => (
            <li key={JSON.stringify(s)}>{specText(s)}</li>
          ))}
        </ul>
      </TableCell>
      {canEdit ? (
        <TableCell className="text-right">
          <div className="flex justify-end gap-2">
            <TimeIntervalDialog interval={i} />
            <DeleteButton interval={i} />
          </div>
        </TableCell>
      ) : null}
    </TableRow>
  );
}

function DeleteButton({ interval: i }: { interval: Interval }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.timeIntervals.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Deleted “${i.name}”.`);
        setOpen(false);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.timeIntervals.list.queryKey() }),
    }),
  );
  return (
    <ConfirmButton
      open={open}
      onOpenChange={setOpen}
      label="Delete"
      variant="destructive"
      title={`Delete “${i.name}”?`}
      description="Refused while a route names it."
      action={remove}
      onConfirm={() => remove.mutate({ id: i.id })}
    />
  );
}
