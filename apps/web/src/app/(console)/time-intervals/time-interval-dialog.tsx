'use client';

import { TIME_INTERVAL_LIMITS, timeIntervalInput } from '@sextant/trpc/schemas';
import { Input, Textarea, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Field } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { type InputIssue, stateFormErrors } from '~/lib/field-errors';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';

type Interval = RouterOutputs['timeIntervals']['list'][number];

const EXAMPLE = [
  { weekdays: ['monday:friday'], times: [{ start: '09:00', end: '17:00' }], location: 'Europe/Berlin' },
];

/** "New time interval", or "Edit" for `interval`: a name and its specs as JSON, checked with the API's schema. */
export function TimeIntervalDialog({ interval }: { interval?: Interval }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(interval?.name ?? '');
  const [specs, setSpecs] = useState(JSON.stringify(interval?.intervals ?? EXAMPLE, null, 2));
  const [clientIssues, setClientIssues] = useState<InputIssue[]>([]);
  const saved = (message: string) => {
    toast.success(message);
    setOpen(false);
    void queryClient.invalidateQueries({ queryKey: trpc.timeIntervals.list.queryKey() });
  };
  const create = useMutation(
    trpc.timeIntervals.create.mutationOptions({ onSuccess: () => saved('Interval created.') }),
  );
  const update = useMutation(
    trpc.timeIntervals.update.mutationOptions({ onSuccess: () => saved('Interval saved.') }),
  );
  const mutation = interval ? update : create;
  const { fieldError, message } = stateFormErrors(
    mutation.error,
    clientIssues,
    ['name', 'intervals'],
    'interval',
  );

  function onSubmit() {
    mutation.reset();
    let parsed: unknown;
    try {
      parsed = JSON.parse(specs);
    } catch {
      setClientIssues([{ path: ['intervals'], message: 'Specs must be a JSON list.' }]);
      return;
    }
    const checked = timeIntervalInput.safeParse({ name, intervals: parsed });
    // Name the spec and field of a nested issue: "intervals.0.times.0.end: …".
    setClientIssues(
      checked.success
        ? []
        : checked.error.issues.map((i) => ({
            path: i.path.slice(0, 1),
            message: i.path.length > 1 ? `${i.path.join('.')}: ${i.message}` : i.message,
          })),
    );
    if (!checked.success) return;
    if (interval) update.mutate({ id: interval.id, interval: checked.data });
    else create.mutate(checked.data);
  }

  return (
    <FormDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        mutation.reset();
        setClientIssues([]);
      }}
      editing={!!interval}
      createLabel="New time interval"
      title={interval ? 'Edit time interval' : 'New time interval'}
      description="Any spec may match; within a spec every given field must. Times are [start, end) in the location's wall clock; ranges are inclusive; negative days count from the month's end."
      wide
      onSubmit={onSubmit}
      message={message}
      submitLabel={interval ? 'Save' : 'Create interval'}
      pending={mutation.isPending}
    >
      <Field id="interval-name" label="Name" error={fieldError('name')}>
        {(p) => (
          <Input
            {...p}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={TIME_INTERVAL_LIMITS.nameLength}
            autoComplete="off"
          />
        )}
      </Field>
      <Field
        id="interval-specs"
        label="Specs (JSON)"
        error={fieldError('intervals')}
        hint='Fields: times [{start, end}], weekdays ["monday:friday"], daysOfMonth ["1:5", "-1"], months, years, location (IANA).'
      >
        {(p) => (
          <Textarea
            {...p}
            rows={10}
            value={specs}
            onChange={(e) => setSpecs(e.target.value)}
            className="font-mono"
          />
        )}
      </Field>
    </FormDialog>
  );
}
