'use client';

import { Badge, TimeSeriesChart, type TimeSeriesThreshold } from '@sextant/ui';
import { SectionCard } from '~/components/section-card';
import { LocalTime } from '~/lib/local-time';
import type { RolloutDetail } from './rollout-detail-view';

type Run = RolloutDetail['runs'][number];

/** What a run's template says of one metric: enough to draw its limits. */
interface MetricDef {
  name: string;
  comparison: { op: 'max_ratio' | 'max_delta'; max: number; marginal?: number };
}

const PHASE_TONE: Record<string, 'neutral' | 'info' | 'success' | 'warning' | 'danger'> = {
  running: 'info',
  successful: 'success',
  inconclusive: 'warning',
  failed: 'danger',
  error: 'danger',
  stopped: 'neutral',
};

const metricsOf = (run: Run): MetricDef[] =>
  (run.template as { metrics?: MetricDef[] } | null)?.metrics ?? [];

/** The comparison's limits as horizontal lines: above `max` fails, above `marginal` is inconclusive. */
function thresholdsOf(m: MetricDef): TimeSeriesThreshold[] {
  const what = m.comparison.op === 'max_ratio' ? 'ratio' : 'delta';
  return [
    { value: m.comparison.max, label: `max ${what} ${m.comparison.max}`, tone: 'danger' },
    ...(m.comparison.marginal === undefined
      ? []
      : [
          {
            value: m.comparison.marginal,
            label: `marginal ${m.comparison.marginal}`,
            tone: 'warning' as const,
          },
        ]),
  ];
}

/** Each analysis run with every metric's measurements (canary vs stable, as compared) drawn against its limits. */
export function AnalysisRuns({ runs }: { runs: Run[] }) {
  return (
    <SectionCard
      title="Analysis"
      description="Each measurement compares canary with stable (ratio or difference); the lines are the metric's limits."
      testId="rollout-analysis"
    >
      {runs.length === 0 ? (
        <p className="text-sm text-muted-foreground">No analysis has run yet.</p>
      ) : (
        <div className="flex flex-col gap-6">
          {[...runs].reverse().map((run) => (
            <div key={run.id} className="flex flex-col gap-3" data-testid="analysis-run">
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <span className="font-medium">
                  Step {run.stepIndex + 1}, attempt {run.attempt}
                </span>
                <Badge tone={PHASE_TONE[run.phase] ?? 'neutral'}>{run.phase}</Badge>
                <span className="text-muted-foreground">
                  {run.canaryVersion} vs {run.stableVersion ?? 'none'} · started{' '}
                  <LocalTime value={run.startedAt} />
                </span>
              </div>
              {metricsOf(run).map((m) => (
                <MetricChart key={m.name} metric={m} run={run} />
              ))}
            </div>
          ))}
        </div>
      )}
    </SectionCard>
  );
}

function MetricChart({ metric, run }: { metric: MetricDef; run: Run }) {
  const points = run.measurements.filter((p) => p.metric === metric.name);
  const failed = points.filter((p) => p.phase === 'failed').length;
  return (
    <div className="flex flex-col gap-1" data-testid="analysis-metric" data-metric={metric.name}>
      <div className="text-sm">
        <span className="font-mono">{metric.name}</span>{' '}
        <span className="text-muted-foreground">
          {points.length} measurement(s), {failed} failed
        </span>
      </div>
      {points.length === 0 ? (
        <p className="text-sm text-muted-foreground">No measurements yet.</p>
      ) : (
        <TimeSeriesChart
          x={points.map((p) => Math.floor(new Date(p.at).getTime() / 1000))}
          series={[{ label: metric.name, values: points.map((p) => p.value) }]}
          unit="number"
          height={180}
          thresholds={thresholdsOf(metric)}
        />
      )}
    </div>
  );
}
