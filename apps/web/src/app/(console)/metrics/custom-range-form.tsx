'use client';

import { TIME_LIMITS, windowProblem } from '@sextant/trpc/time-range';
import { Button, FieldError, Input, Label } from '@sextant/ui';
import { useState } from 'react';
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
        const data = new FormData(e.currentTarget);
        const from = new Date(String(data.get('from') ?? ''));
        const to = new Date(String(data.get('to') ?? ''));
        if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return setError('Pick both times.');
        if (to <= from) return setError('“To” must be after “From”.');
        const problem = windowProblem(from.getTime(), to.getTime());
        if (problem) return setError(problem);
        setError(null);
        onApply({ kind: 'absolute', from, to });
      }}
    >
      <div className="flex flex-col gap-1">
        <Label htmlFor="metrics-from">From</Label>
        <Input
          id="metrics-from"
          name="from"
          type="datetime-local"
          defaultValue={toLocalInput(initial.from)}
          required
        />
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="metrics-to">To</Label>
        <Input
          id="metrics-to"
          name="to"
          type="datetime-local"
          defaultValue={toLocalInput(initial.to)}
          required
        />
      </div>
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
