'use client';

import { Button } from '@sextant/ui';
import { useState } from 'react';
import { useHydrated } from '~/lib/local-time';
import { type MetricsRange, RELATIVE_RANGES } from '~/lib/metrics-range';
import { CustomRangeForm } from './custom-range-form';

/** 15m … 30d presets plus a custom from/to; the parent puts the choice in the URL. */
export function RangePicker({
  range,
  onChange,
}: {
  range: MetricsRange;
  onChange: (r: MetricsRange) => void;
}) {
  const hydrated = useHydrated();
  const [customOpen, setCustomOpen] = useState(false);
  // Local date inputs only after hydration: the server does not know the viewer's time zone.
  const showCustom = hydrated && (customOpen || range.kind === 'absolute');
  return (
    <div className="flex flex-col items-end gap-2">
      <fieldset data-testid="range-picker" className="flex flex-wrap gap-1">
        <legend className="sr-only">Time range</legend>
        {RELATIVE_RANGES.map((r) => {
          const active = range.kind === 'relative' && range.range === r;
          return (
            <Button
              key={r}
              size="sm"
              variant={active ? 'default' : 'outline'}
              aria-pressed={active}
              disabled={!hydrated}
              onClick={() => {
                setCustomOpen(false);
                onChange({ kind: 'relative', range: r });
              }}
            >
              {r}
            </Button>
          );
        })}
        <Button
          size="sm"
          variant={range.kind === 'absolute' ? 'default' : 'outline'}
          aria-pressed={range.kind === 'absolute'}
          aria-expanded={showCustom}
          disabled={!hydrated}
          onClick={() => setCustomOpen((open) => !open)}
        >
          Custom
        </Button>
      </fieldset>
      {showCustom ? (
        <CustomRangeForm
          key={range.kind === 'absolute' ? `${range.from.getTime()}-${range.to.getTime()}` : 'relative'}
          range={range}
          onApply={onChange}
        />
      ) : null}
    </div>
  );
}
