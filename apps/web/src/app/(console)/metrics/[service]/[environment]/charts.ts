import type { TimeSeriesUnit } from '@sextant/ui';
import type { RouterInputs } from '~/lib/router-types';

export type MetricQueryInput = RouterInputs['metrics']['query'];
type Fn = MetricQueryInput['fn'];

export type ChartKey = 'requests' | 'errors' | 'latency' | 'cpu' | 'memory';

export interface ChartSpec {
  key: ChartKey;
  title: string;
  description: string;
  unit: TimeSeriesUnit;
  lines: { label: string; metric: string; fn: Fn; color?: string; scale: number }[];
}

/** RED (rate, errors, duration) then USE (CPU, memory), Prometheus naming. */
export const RED: ChartSpec[] = [
  {
    key: 'requests',
    title: 'Requests',
    description: 'Per second, all routes and statuses.',
    unit: 'req/s',
    lines: [{ label: 'req/s', metric: 'http_requests_total', fn: 'rate', scale: 1 }],
  },
  {
    key: 'errors',
    title: 'Errors',
    description: 'Share of requests answered with a 5xx status.',
    unit: '%',
    lines: [
      {
        label: 'errors',
        metric: 'http_requests_total',
        fn: 'error_ratio',
        color: '--destructive',
        scale: 100,
      },
    ],
  },
  {
    key: 'latency',
    title: 'Latency',
    description: 'p50, p95 and p99 from the request duration histogram.',
    unit: 'ms',
    lines: [
      { label: 'p50', metric: 'http_request_duration_seconds', fn: 'p50', color: '--primary', scale: 1_000 },
      { label: 'p95', metric: 'http_request_duration_seconds', fn: 'p95', color: '--warning', scale: 1_000 },
      {
        label: 'p99',
        metric: 'http_request_duration_seconds',
        fn: 'p99',
        color: '--destructive',
        scale: 1_000,
      },
    ],
  },
];

export const USE: ChartSpec[] = [
  {
    key: 'cpu',
    title: 'CPU',
    description: 'Cores in use, summed over instances.',
    unit: 'cores',
    lines: [{ label: 'cores', metric: 'process_cpu_seconds_total', fn: 'rate', scale: 1 }],
  },
  {
    key: 'memory',
    title: 'Memory',
    description: 'Resident memory, averaged over instances.',
    unit: 'bytes',
    lines: [{ label: 'resident', metric: 'process_resident_memory_bytes', fn: 'avg', scale: 1 }],
  },
];

export interface Target {
  service: string;
  environment: string;
}

/** One `metrics.query` input per line, built identically on server and client so the query keys match. */
export function lineInputs(
  spec: ChartSpec,
  target: Target,
  window: { from: Date; to: Date; step: number },
): MetricQueryInput[] {
  return spec.lines.map((l) => ({
    selector: {
      name: l.metric,
      matchers: [
        { label: 'service', op: '=', value: target.service },
        { label: 'environment', op: '=', value: target.environment },
      ],
    },
    from: window.from,
    to: window.to,
    step: window.step,
    fn: l.fn,
  }));
}
