import { createHash } from 'node:crypto';
import type { Queries, Sql } from '@sextant/db';
import type { SeriesKind } from '@sextant/db/enums';
import type { MetricBatch } from '../../schemas/metrics';
import { type CardinalityLimitError, checkSeriesLimits, type OnLimit, type SeriesLimits } from './limits';
import { markLateSamples } from './rollups';

/** Identity of a series: its name and its labels in key order. */
export function seriesHash(name: string, labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k]]);
  return createHash('sha256')
    .update(JSON.stringify([name, sorted]))
    .digest('base64url');
}

interface SeriesEntry {
  name: string;
  labels: Record<string, string>;
  kind: SeriesKind;
  hash: string;
  /** metric_series.id, known once the series are upserted. */
  id: string;
}

/**
 * Tells (name, labels) apart without sorting or hashing; labels in another order only miss the cache.
 * Names and label names cannot contain NUL, and each value is length-prefixed, so distinct inputs never collide.
 */
function cheapKey(name: string, labels: Record<string, string>): string {
  let key = name;
  for (const k in labels) {
    const v = labels[k]!;
    key += `\0${k}\0${v.length}:${v}`;
  }
  return key;
}

/** Epoch ms to ISO text, remembering recent answers: a batch holds few distinct timestamps (one per scrape). */
function isoCache(): (ms: number) => string {
  const seen = new Map<number, string>();
  return (ms) => {
    let text = seen.get(ms);
    if (text === undefined) {
      text = new Date(ms).toISOString();
      if (seen.size < 10_000) seen.set(ms, text);
    }
    return text;
  };
}

export interface IngestResult {
  series: number;
  points: number;
  histograms: number;
  /** With `onLimit: 'dropNewSeries'`: what was left out, and why. */
  dropped: { series: number; points: number; histograms: number; refusal: CardinalityLimitError } | null;
}

/** The series limits, and what a batch that meets one does (default: refused whole). */
export type IngestLimits = SeriesLimits & { onLimit?: OnLimit };

/**
 * Writes a validated batch in one transaction: all of it or none of it, committed before the caller answers.
 * Series are looked up by hash; only a batch with new ones checks `limits` (CardinalityLimitError) and inserts
 * them (or, with `dropNewSeries`, stores the rest without the new series over a limit). Points go in by COPY, histograms from one jsonb array. `alsoInTransaction` runs last inside the same
 * transaction (audit row, idempotency key, a scrape's slot) and can veto the batch by throwing.
 */
export async function ingestBatch(
  sql: Sql,
  batch: MetricBatch,
  limits: IngestLimits,
  alsoInTransaction?: (tx: Queries, stored: IngestResult) => Promise<void>,
): Promise<IngestResult> {
  const series = new Map<string, SeriesEntry>();
  // Points of one series repeat within a batch: hash each distinct (name, labels) once, found by a cheap key.
  const byKey = new Map<string, SeriesEntry>();
  const entryOf = (name: string, labels: Record<string, string>, kind: SeriesKind) => {
    const key = cheapKey(name, labels);
    let entry = byKey.get(key);
    if (entry === undefined) {
      const hash = seriesHash(name, labels);
      entry = series.get(hash);
      if (entry === undefined) {
        entry = { name, labels, kind, hash, id: '' };
        series.set(hash, entry);
      }
      byKey.set(key, entry);
    }
    return entry;
  };
  const pointSeries = batch.points.map((p) => entryOf(p.name, p.labels, p.kind));
  const histSeries = batch.histograms.map((h) => entryOf(h.name, h.labels, 'histogram'));
  // Sorted, so concurrent batches creating the same new series lock them in the same order (no deadlock).
  const hashes = [...series.keys()].sort();
  const ordered = hashes.map((h) => series.get(h)!);

  return sql.begin(async (tx) => {
    for (const r of await tx<
      { id: string; hash: string }[]
    >`select id::text, hash from metric_series where hash = any(${hashes}::text[])`) {
      series.get(r.hash)!.id = r.id;
    }
    const missing = ordered.filter((s) => s.id === '');
    // Only a batch that creates series pays for the limit check; one that writes existing series never waits.
    const outcome =
      missing.length === 0 ? null : await checkSeriesLimits(tx, missing, limits, limits.onLimit);
    const fresh = outcome?.fresh ?? [];
    if (fresh.length > 0) {
      for (const r of await tx<{ id: string; hash: string }[]>`
        insert into metric_series (name, labels, hash, kind)
        select n, l::jsonb, h, k from unnest(${fresh.map((s) => s.name)}::text[],
                             ${fresh.map((s) => JSON.stringify(s.labels))}::text[],
                             ${fresh.map((s) => s.hash)}::text[],
                             ${fresh.map((s) => s.kind)}::text[]) as u(n, l, h, k)
        on conflict (hash) do nothing
        returning id::text, hash`) {
        series.get(r.hash)!.id = r.id;
      }
    }
    const left = new Set(outcome?.dropped);
    const late = missing.filter((s) => s.id === '' && !left.has(s)).map((s) => s.hash);
    if (late.length > 0) {
      // Made by a concurrent batch while this one waited for the limit locks.
      for (const r of await tx<{ id: string; hash: string }[]>`
        select id::text, hash from metric_series where hash = any(${late}::text[])`) {
        series.get(r.hash)!.id = r.id;
      }
    }
    // Samples of series left out by the limits (dropNewSeries): still without an id.
    const points = left.size === 0 ? batch.points : batch.points.filter((_, i) => pointSeries[i]!.id !== '');
    const pointIds = left.size === 0 ? pointSeries : pointSeries.filter((e) => e.id !== '');
    const histIds = left.size === 0 ? histSeries : histSeries.filter((e) => e.id !== '');
    const histograms =
      left.size === 0 ? batch.histograms : batch.histograms.filter((_, i) => histSeries[i]!.id !== '');
    if (points.length > 0) {
      // COPY inside the transaction: Postgres' bulk path, still all-or-nothing with the rest of the batch.
      const copy = await tx`copy metric_points (series_id, ts, value) from stdin`.writable();
      await new Promise<void>((resolve, reject) => {
        copy.on('error', reject);
        copy.on('finish', resolve);
        const iso = isoCache();
        for (let start = 0; start < points.length; start += 1_000) {
          let chunk = '';
          for (let i = start; i < Math.min(points.length, start + 1_000); i++) {
            const p = points[i]!;
            chunk += `${pointIds[i]!.id}\t${iso(p.ts)}\t${p.value}\n`;
          }
          copy.write(chunk);
        }
        copy.end();
      });
    }
    if (histograms.length > 0) {
      const rows = histograms.map((h, i) => ({
        s: histIds[i]!.id,
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
    await markLateSamples(tx, [points, histograms]);
    const refusal = outcome?.refusal;
    const result: IngestResult = {
      series: series.size - left.size,
      points: points.length,
      histograms: histograms.length,
      dropped: refusal
        ? {
            series: left.size,
            points: batch.points.length - points.length,
            histograms: batch.histograms.length - histograms.length,
            refusal,
          }
        : null,
    };
    await alsoInTransaction?.(tx, result);
    return result;
  });
}

/**
 * Deletes the series rows of `name` carrying every one of `labels`: queries and the series limits stop seeing
 * them at once, and samples sent later make new series. Their samples and rollups stay until retention drops
 * their partitions, so this never deletes rows from a partitioned table nor waits on a partition drop.
 */
export async function deleteSeriesRows(tx: Queries, name: string, labels: Record<string, string>) {
  const rows = await tx<{ labels: Record<string, string> }[]>`
    delete from metric_series where name = ${name} and labels @> ${JSON.stringify(labels)}::jsonb
    returning labels`;
  return rows.length;
}
