'use client';

import { TimeSeriesChart, type TimeSeriesUnit } from '@sextant/ui';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { RefreshError } from '~/components/refresh-error';
import { SectionCard } from '~/components/section-card';
import type { MetricsRange } from '~/lib/metrics-range';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';
import { RangePicker } from '../../metrics/range-picker';
import { useSlidingWindow } from '../../metrics/use-live-window';

type Chart = RouterOutputs['alerts']['chart'];
const HEIGHT = 240;

/** Error ratios read as percentages; other functions keep the metric's own numbers. */
function unitOf(fn: string): { unit: TimeSeriesUnit; scale: number } {
  return fn === 'error_ratio' ? { unit: '%', scale: 100 } : { unit: 'number', scale: 1 };
}

function toChart(c: Chart) {
  const spans = c.spans.map((s) => ({
    from: s.from.getTime() / 1_000,
    to: s.to ? s.to.getTime() / 1_000 : null,
    tone: 'danger' as const,
  }));
  if (!c.metric) return { spans, metric: null };
  const m = c.metric;
  const { unit, scale } = unitOf(m.fn);
  const thresholds = [
    {
      value: m.threshold * scale,
      label: `threshold ${m.comparison} ${m.threshold}`,
      tone: 'danger' as const,
    },
    ...(m.resolveThreshold === null
      ? []
      : [
          {
            value: m.resolveThreshold * scale,
            label: `resolves at ${m.resolveThreshold}`,
            tone: 'success' as const,
          },
        ]),
  ];
  return {
    spans,
    metric: {
      unit,
      thresholds,
      points: m.values.filter((v) => v !== null).length,
      x: m.values.map((_, j) => (m.start + j * m.step * 1_000) / 1_000),
      series: [{ label: `${m.fn}(${m.name})`, values: m.values.map((v) => (v === null ? null : v * scale)) }],
    },
  };
}

/** The rule's metric for this alert's labels, its threshold lines, and the spans it fired shaded. */
export function AlertChartCard({
  alertRef,
  now,
  initialRange,
}: {
  alertRef: { fingerprint: string; ruleId?: string };
  now: number;
  initialRange: MetricsRange;
}) {
  const trpc = useTRPC();
  const [range, setRange] = useState(initialRange);
  const { window } = useSlidingWindow(range, now);
  const chart = useQuery(
    trpc.alerts.chart.queryOptions(
      { ...alertRef, from: window.from, to: window.to },
      { placeholderData: keepPreviousData },
    ),
  );
  const data = useMemo(() => (chart.data ? toChart(chart.data) : null), [chart.data]);
  return (
    <SectionCard
      title="Metric"
      description="The rule's query for this alert's labels; shaded while the alert was firing."
      action={<RangePicker range={range} onChange={setRange} />}
      data-testid="alert-chart"
      data-points={data?.metric?.points ?? 0}
      data-spans={data?.spans.length ?? 0}
    >
      <RefreshError queries={[chart]} />
      {!data ? (
        <div style={{ height: HEIGHT }} />
      ) : data.metric ? (
        <TimeSeriesChart
          x={data.metric.x}
          series={data.metric.series}
          unit={data.metric.unit}
          height={HEIGHT}
          thresholds={data.metric.thresholds}
          spans={data.spans}
          syncKey="alert"
        />
      ) : (
        <p className="text-sm text-muted-foreground">
          Only metric rules have a chart; the state history below shows when this alert fired.
        </p>
      )}
    </SectionCard>
  );
}
