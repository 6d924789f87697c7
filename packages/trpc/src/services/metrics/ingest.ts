import { createHash } from 'node:crypto';
import type { Sql } from '@sextant/db';
import type { MetricBatch } from '../../schemas/metrics';
import { markLateSamples } from './rollups';

type SeriesKind = 'gauge' | 'counter' | 'histogram';

/** Identity of a series: its name and its labels in key order. */
export function seriesHash(name: string, labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k]]);
  return createHash('sha256')
    .update(JSON.stringify([name, sorted]))
    .digest('base64url');
}

function* lateCandidates(batch: MetricBatch): Iterable<number> {
  for (const p of batch.points) yield p.ts;
  for (const h of batch.histograms) yield h.ts;
}

export interface IngestResult {
  series: number;
  points: number;
  histograms: number;
}

/**
 * Writes a validated batch in one transaction: all of it or none of it, committed before the caller answers.
 * Series are upserted by hash; samples go in with set-based `INSERT … SELECT FROM unnest(...)`.
 */
export async function ingestBatch(
  sql: Sql,
  batch: MetricBatch,
  audit?: (tx: Sql) => Promise<void>,
): Promise<IngestResult> {
  const series = new Map<string, { name: string; labels: Record<string, string>; kind: SeriesKind }>();
  const pointHashes = batch.points.map((p) => {
    const h = seriesHash(p.name, p.labels);
    if (!series.has(h)) series.set(h, { name: p.name, labels: p.labels, kind: p.kind });
    return h;
  });
  const histHashes = batch.histograms.map((p) => {
    const h = seriesHash(p.name, p.labels);
    if (!series.has(h)) series.set(h, { name: p.name, labels: p.labels, kind: 'histogram' });
    return h;
  });
  // Sorted, so concurrent batches creating the same new series lock them in the same order (no deadlock).
  const hashes = [...series.keys()].sort();
  const ordered = hashes.map((h) => series.get(h)!);

  return sql.begin(async (tx) => {
    await tx`
      insert into metric_series (name, labels, hash, kind)
      select n, l::jsonb, h, k from unnest(${ordered.map((s) => s.name)}::text[],
                           ${ordered.map((s) => JSON.stringify(s.labels))}::text[],
                           ${hashes}::text[],
                           ${ordered.map((s) => s.kind)}::text[]) as u(n, l, h, k)
      on conflict (hash) do nothing`;
    const ids = new Map(
      (
        await tx<
          { id: string; hash: string }[]
        >`select id::text, hash from metric_series where hash = any(${hashes}::text[])`
      ).map((r) => [r.hash, r.id]),
    );
    if (batch.points.length > 0) {
      // COPY inside the transaction: Postgres' bulk path, still all-or-nothing with the rest of the batch.
      const lines = batch.points.map(
        (p, i) => `${ids.get(pointHashes[i]!)}\t${new Date(p.ts).toISOString()}\t${p.value}\n`,
      );
      const copy = await tx`copy metric_points (series_id, ts, value) from stdin`.writable();
      await new Promise<void>((resolve, reject) => {
        copy.on('error', reject);
        copy.on('finish', resolve);
        for (let i = 0; i < lines.length; i += 1_000) copy.write(lines.slice(i, i + 1_000).join(''));
        copy.end();
      });
    }
    if (batch.histograms.length > 0) {
      const rows = batch.histograms.map((h, i) => ({
        s: ids.get(histHashes[i]!)!,
        t: new Date(h.ts).toISOString(),
        b: h.buckets.map((b) => (b.le === '+Inf' ? 'Infinity' : b.le)),
        c: h.buckets.map((b) => b.count),
        sum: h.sum,
        n: h.count,
      }));
      await tx`
        insert into metric_histograms (series_id, ts, bounds, counts, sum, count)
        select (r->>'s')::bigint, (r->>'t')::timestamptz,
          array(select jsonb_array_elements_text(r->'b')::float8), array(select jsonb_array_elements_text(r->'c')::float8),
          (r->>'sum')::float8, (r->>'n')::float8
        from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) r`;
    }
    await markLateSamples(tx as unknown as Sql, lateCandidates(batch));
    await audit?.(tx as unknown as Sql); // same transaction: no sample without its trail
    return { series: series.size, points: batch.points.length, histograms: batch.histograms.length };
  });
}
