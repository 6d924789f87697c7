'use client';

import { TIME_LIMITS, windowProblem } from '@sextant/trpc/time-range';
import { Button, FieldError, Input } from '@sextant/ui';
import { useState } from 'react';
import { Field } from '~/components/field';
import { readForm } from '~/lib/form-data';
import type { MetricsRange } from '~/lib/metrics-range';

/** `datetime-local` wants "YYYY-MM-DDTHH:mm" in the viewer's zone. */
function toLocalInput(d: Date): string {
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** From/to in local time; starts from the current fixed range, or the last hour. */
export function CustomRangeForm({
  range,
  onApply,
}: {
  range: MetricsRange;
  onApply: (r: MetricsRange) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [initial] = useState(() =>
    range.kind === 'absolute' ? range : { from: new Date(Date.now() - 3_600_000), to: new Date() },
  );
  return (
    <form
      aria-label="Custom time range"
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const text = readForm(e.currentTarget, ['from', 'to']);
        const from = new Date(text.from);
        const to = new Date(text.to);
        if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return setError('Pick both times.');
        if (to <= from) return setError('“To” must be after “From”.');
        const problem = windowProblem(from.getTime(), to.getTime());
        if (problem) return setError(problem);
        setError(null);
        onApply({ kind: 'absolute', from, to });
      }}
    >
      {(['from', 'to'] as const).map((key) => (
        <Field
          key={key}
          id={`metrics-${key}`}
          label={key === 'from' ? 'From' : 'To'}
          className="flex flex-col gap-1"
        >
          {(p) => (
            <Input
              {...p}
              name={key}
              type="datetime-local"
              defaultValue={toLocalInput(initial[key])}
              required
            />
          )}
        </Field>
      ))}
      <Button type="submit" size="sm" className="h-9">
        Apply
      </Button>
      {error ? (
        <FieldError className="basis-full text-right">{error}</FieldError>
      ) : (
        <p className="basis-full text-right text-xs text-muted-foreground">
          Up to {TIME_LIMITS.maxSpanMs / 86_400_000} days.
        </p>
      )}
    </form>
  );
}
