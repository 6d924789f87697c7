import { METRIC_LIMITS, type MetricBatch } from '@sextant/trpc';
import { METADATA_COUNTER, type WireRequest } from './decode';

type Point = MetricBatch['points'][number];

const COUNTER_SUFFIX = /_(total|count|sum|bucket)$/;

export interface Mapped {
  points: Point[];
  skipped: number;
  notes: string[];
}

/**
 * Prometheus series to Sextant points: `__name__` is the name, `service` is `service` or else `job` (which it
 * replaces); `environment` comes as a label (Prometheus' `external_labels`). Stale markers, other NaNs and
 * infinities, samples outside the accepted window and native histograms are left out and counted, never a failed request.
 */
export function mapWriteRequest(req: WireRequest, now = Date.now()): Mapped {
  const oldest = now - METRIC_LIMITS.maxAgeMs;
  const newest = now + METRIC_LIMITS.maxFutureMs;
  const points: Point[] = [];
  let stale = 0;
  let nan = 0;
  let outside = 0;
  let histograms = 0;
  let nameless = 0;
  for (const s of req.timeseries) {
    histograms += s.histograms;
    let name = '';
    let job: string | undefined;
    const labels: Record<string, string> = {};
    for (let i = 0; i < s.labels.length; i += 2) {
      const k = s.labels[i]!;
      const v = s.labels[i + 1]!;
      // An empty value is the label's absence in Prometheus.
      if (v === '') continue;
      if (k === '__name__') name = v;
      else if (k === 'job') job = v;
      else labels[k] = v;
    }
    if (name === '') {
      nameless += s.values.length;
      continue;
    }
    if (labels.service === undefined && job !== undefined) labels.service = job;
    else if (job !== undefined) labels.job = job;
    const kind =
      req.metadata.get(name) === METADATA_COUNTER || COUNTER_SUFFIX.test(name) ? 'counter' : 'gauge';
    stale += s.stale;
    for (let i = 0; i < s.values.length; i++) {
      const value = s.values[i]!;
      const ts = s.timestamps[i]!;
      if (!Number.isFinite(value)) nan++;
      else if (ts < oldest || ts > newest) outside++;
      else points.push({ name, labels, ts, value, kind });
    }
  }
  nan -= stale;
  const notes: string[] = [];
  const note = (n: number, what: string) => {
    if (n > 0) notes.push(`${n} ${what}`);
  };
  note(stale, 'stale markers were left out.');
  note(nan, 'NaN or infinite samples were left out.');
  note(outside, 'samples were left out: older than 48 hours or more than 10 minutes ahead.');
  note(histograms, 'native histograms were left out (classic _bucket series are stored).');
  note(nameless, 'samples without a __name__ label were left out.');
  return { points, skipped: stale + nan + outside + histograms + nameless, notes };
}
