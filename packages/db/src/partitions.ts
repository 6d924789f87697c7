import type { Queries, Sql } from './client';

/** Partitioned time-series tables, their partition width, and how long their data is kept by default. */
export const PARTITIONED = [
  { table: 'metric_points', unit: 'day', column: 'ts' },
  { table: 'metric_histograms', unit: 'day', column: 'ts' },
  { table: 'metric_rollups_1m', unit: 'day', column: 'bucket' },
  { table: 'metric_rollups_1h', unit: 'month', column: 'bucket' },
  { table: 'metric_agg_1m', unit: 'day', column: 'bucket' },
  { table: 'metric_agg_1h', unit: 'month', column: 'bucket' },
] as const;

type Unit = 'day' | 'month';

function startOf(unit: Unit, d: Date): Date {
  return unit === 'day'
    ? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()))
    : new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

function next(unit: Unit, d: Date): Date {
  return unit === 'day'
    ? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1))
    : new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
}

const suffix = (d: Date) => d.toISOString().slice(0, 10).replaceAll('-', '');

/** Creates the partitions covering [from, to) for every time-series table; existing ones are left alone. */
export async function ensurePartitions(sql: Sql, from: Date, to: Date): Promise<number> {
  // Instances starting together would race on CREATE TABLE; one at a time, the rest find them made.
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${0x70617274})`;
    return createMissing(tx, from, to);
  });
}

async function createMissing(sql: Queries, from: Date, to: Date): Promise<number> {
  let created = 0;
  for (const { table, unit } of PARTITIONED) {
    for (let start = startOf(unit, from); start < to; start = next(unit, start)) {
      const name = `${table}_p${suffix(start)}`;
      const [exists] = await sql`select to_regclass(${name}) as r`;
      if (exists?.r) continue;
      await sql.unsafe(
        `create table if not exists "${name}" partition of "${table}" for values from ('${start.toISOString()}') to ('${next(unit, start).toISOString()}')`,
      );
      created++;
    }
  }
  return created;
}

/** Drops whole partitions that end before `before` (retention); far cheaper than DELETE, and leaves no bloat. */
export async function dropPartitionsBefore(
  sql: Sql,
  table: (typeof PARTITIONED)[number]['table'],
  before: Date,
) {
  const unit = PARTITIONED.find((p) => p.table === table)!.unit;
  const parts = await sql<{ name: string }[]>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = ${table}::regclass`;
  const dropped: string[] = [];
  for (const { name } of parts) {
    const m = /_p(\d{4})(\d{2})(\d{2})$/.exec(name);
    if (!m) continue;
    const start = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    if (next(unit, start) <= before) {
      await sql.unsafe(`drop table if exists "${name}"`);
      dropped.push(name);
    }
  }
  return dropped;
}
