// Shared by the metrics benches: a direct pool, partitions, series, API keys, COPY loading and table stats.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createSql, ensurePartitions, generateApiKey, type Sql } from '@sextant/db';
import { seriesHash } from '@sextant/trpc';

export { rollupHours, rollupMinutes } from '@sextant/trpc';

const DAY = 86_400_000;

/** A positive integer setting from the environment. */
export function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** A pool for loading and bookkeeping; no statement timeout (a 10M-row COPY or rollup runs long). */
export function benchSql(databaseUrl: string, max = 4): Sql {
  return createSql(databaseUrl, { max, statementTimeoutMs: 0, applicationName: 'sextant-bench' });
}

/** What the API's metrics job would create: partitions from 3 days back to 3 days ahead (the job does not run with the scheduler off). */
export function partitions(sql: Sql): Promise<number> {
  return ensurePartitions(sql, new Date(Date.now() - 3 * DAY), new Date(Date.now() + 3 * DAY));
}

export async function apiKey(sql: Sql, role: 'viewer' | 'maintainer'): Promise<string> {
  const { key, prefix, keyHash } = generateApiKey();
  // Keys need an owner whose role covers theirs.
  await sql`with owner as (insert into users (id, email, role) values (gen_random_uuid()::text, ${`bench-${prefix}@bench.local`}, ${role}) returning id)
    insert into api_keys (name, prefix, key_hash, role, created_by) select ${`bench-${role}`}, ${prefix}, ${keyHash}, ${role}, id from owner`;
  return key;
}

export interface BenchSeries {
  id: string;
  name: string;
  labels: Record<string, string>;
}

/** `count` gauge series named `name` of one service × environment, hashed exactly as the ingest route does, so both paths share them. */
export async function createSeries(sql: Sql, name: string, count: number): Promise<BenchSeries[]> {
  const series = Array.from({ length: count }, (_, i) => ({
    name,
    labels: {
      instance: `host-${String(i).padStart(4, '0')}`,
      job: 'bench',
      service: 'bench',
      environment: 'PRO',
    },
  }));
  const rows = await sql<{ id: string; hash: string }[]>`
    insert into metric_series (name, labels, hash, kind)
    select ${name}, l::jsonb, h, 'gauge'
    from unnest(${series.map((s) => JSON.stringify(s.labels))}::text[], ${series.map((s) => seriesHash(s.name, s.labels))}::text[]) as u(l, h)
    returning id::text, hash`;
  const ids = new Map(rows.map((r) => [r.hash, r.id]));
  return series.map((s) => ({ ...s, id: ids.get(seriesHash(s.name, s.labels))! }));
}

/** Streams text-format COPY chunks into metric_points; resolves once the server has committed the COPY. */
export async function copyPoints(sql: Sql, chunks: Iterable<string> | AsyncIterable<string>): Promise<void> {
  const writable = await sql`copy metric_points (series_id, ts, value) from stdin`.writable();
  await pipeline(Readable.from(chunks), writable);
}

/** Rows and on-disk size (heap + indexes + TOAST, summed over the partitions) of a partitioned table. */
export async function tableStats(sql: Sql, table: string): Promise<{ rows: number; bytes: number }> {
  const [size] = await sql<{ bytes: string }[]>`
    select coalesce(sum(pg_total_relation_size(i.inhrelid)), 0)::text as bytes
    from pg_inherits i where i.inhparent = ${table}::regclass`;
  const [count] = await sql<{ n: string }[]>`select count(*)::text as n from ${sql(table)}`;
  return { rows: Number(count!.n), bytes: Number(size!.bytes) };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  return sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MiB`;
export const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** Text-format COPY rows, time-major (every series at each timestamp, as scrapes arrive), with progress. */
export async function* copyText(
  series: { id: string }[],
  perSeries: number,
  start: number,
  spacingMs: number,
  t0: number,
): AsyncGenerator<string> {
  const total = perSeries * series.length;
  const every = Math.max(1, Math.floor(total / 10));
  let done = 0;
  let text = '';
  for (let j = 0; j < perSeries; j++) {
    const ts = new Date(start + j * spacingMs).toISOString();
    for (const s of series) {
      text += `${s.id}\t${ts}\t${(Math.random() * 1000).toFixed(3)}\n`;
      if (++done % every === 0) {
        const s2 = (performance.now() - t0) / 1000;
        console.log(`  ${int(done)} / ${int(total)} points, ${s2.toFixed(1)} s`);
      }
    }
    if (text.length >= 512 * 1024) {
      yield text;
      text = '';
    }
  }
  if (text) yield text;
}
