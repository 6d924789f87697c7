'use client';

import { TimeSeriesChart, type TimeSeriesMarker, type TimeSeriesSpan } from '@sextant/ui';
import { useMemo } from 'react';
import { type BurnUpInput, burnUpSeries, secondsOfDay as secondsOf } from '~/lib/burn-up';
import { formatDay } from '~/lib/projects';

/**
 * The burn-up (spec D): scope and done points per day, so added scope shows as the scope line stepping up; the
 * target and predicted dates as markers and the predicted range shaded.
 */
export function BurnUpChart({ data }: { data: BurnUpInput }) {
  const s = useMemo(() => burnUpSeries(data), [data]);
  const series = useMemo(
    () => [
      { label: 'Scope (points)', values: s.scope, color: '--warning' },
      { label: 'Done (points)', values: s.done, color: '--primary' },
    ],
    [s],
  );
  const { targetDate } = data.project;
  const { date, earliest, latest } = data.prediction;
  const markers = useMemo<TimeSeriesMarker[]>(
    () => [
      { t: secondsOf(data.today), label: 'Today', tone: 'neutral' },
      ...(targetDate ? [{ t: secondsOf(targetDate), label: 'Target', tone: 'danger' as const }] : []),
      ...(date ? [{ t: secondsOf(date), label: 'Predicted', tone: 'info' as const }] : []),
    ],
    [data.today, targetDate, date],
  );
  const spans = useMemo<TimeSeriesSpan[]>(
    () =>
      earliest ? [{ from: secondsOf(earliest), to: latest ? secondsOf(latest) : null, tone: 'info' }] : [],
    [earliest, latest],
  );
  return (
    <div
      className="burn-up flex flex-col gap-2"
      data-testid="burn-up"
      data-points={data.burnUp.points.length}
      data-scope-added={s.scopeAdded}
    >
      <TimeSeriesChart
        x={s.x}
        series={series}
        unit="number"
        height={220}
        markers={markers}
        spans={spans}
        syncKey="sextant-burn-up"
        aria-label="Burn-up: scope and done points per day"
      />
      <p className="text-xs text-muted-foreground" data-testid="burn-up-caption">
        {s.firstDay
          ? s.scopeAdded > 0
            ? `Scope added since ${formatDay(s.firstDay)}: +${s.scopeAdded} points (the scope line steps up). `
            : s.scopeAdded < 0
              ? `Scope removed since ${formatDay(s.firstDay)}: ${s.scopeAdded} points. `
              : `No scope added since ${formatDay(s.firstDay)}. `
          : null}
        Dashed lines: today, the target date and the predicted date; the shaded stretch is the predicted
        range.
      </p>
    </div>
  );
}
