// Remote write bodies for the ingest bench: what a Prometheus sends, built ahead so only the server is measured.
import { remoteWriteBody } from '@sextant/api/remote-write-proto';
import type { BenchSeries } from './metrics';

/**
 * Snappy-compressed WriteRequests over the same points as the JSON batches: request k holds every series with
 * `samplesPerSeries` consecutive timestamps. `job` becomes the `service` label on the way in, as from Prometheus.
 */
export function remoteWriteBodies(o: {
  series: BenchSeries[];
  samplesPerSeries: number;
  timestamps: number;
  tsOf: (step: number) => number;
  valueOf: (series: number, step: number) => number;
}): Buffer[] {
  const bodies: Buffer[] = [];
  for (let first = 0; first < o.timestamps; first += o.samplesPerSeries) {
    const steps = Array.from(
      { length: Math.min(o.samplesPerSeries, o.timestamps - first) },
      (_, i) => first + i,
    );
    bodies.push(
      remoteWriteBody({
        timeseries: o.series.map((s, i) => ({
          labels: [
            { name: '__name__', value: s.name },
            ...Object.entries(s.labels).map(([name, value]) => ({ name, value })),
          ],
          samples: steps.map((step) => ({ value: o.valueOf(i, step), timestamp: o.tsOf(step) })),
        })),
      }),
    );
  }
  return bodies;
}
