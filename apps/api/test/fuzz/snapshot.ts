import type { Sql } from '@sextant/db';

/** Columns that reads legitimately write: a session's last-seen time (and so its idle deadline), a key's last use. */
const WRITTEN_BY_READS: Record<string, string[]> = {
  auth_sessions: ['last_seen_at', 'idle_expires_at'],
  api_keys: ['last_used_at'],
};

/** A checksum of every row of every table (partitions through their parent), to prove a call wrote nothing. */
export async function tableChecksums(sql: Sql): Promise<Record<string, string>> {
  const tables = await sql<{ name: string; columns: string[] }[]>`
    select c.relname as name, array_agg(a.attname::text order by a.attnum) as columns
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
    group by c.relname order by c.relname`;
  const parts = tables.map(({ name, columns }) => {
    const kept = columns.filter((col) => !WRITTEN_BY_READS[name]?.includes(col));
    const row = `md5(row(${kept.map((col) => `t."${col}"`).join(', ')})::text)`;
    return `select '${name}' as name, md5(coalesce(string_agg(${row}, ',' order by ${row}), '')) as sum from "${name}" t`;
  });
  const rows = await sql.unsafe<{ name: string; sum: string }[]>(parts.join(' union all '));
  return Object.fromEntries(rows.map((r) => [r.name, r.sum]));
}

/** Names of the tables whose contents differ between two checksums. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
}
