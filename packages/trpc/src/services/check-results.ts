import type { Queries, Sql } from '@sextant/db';

/** What a probe found, as stored; the API's ProbeResult has this shape. */
export interface RunResult {
  ok: boolean;
  latencyMs: number | null;
  httpStatus: number | null;
  errorClass: string | null;
  message: string | null;
  tlsExpiresAt: Date | null;
}

/**
 * Stores one run of a check's slot; the (check, slot) key is unique, so a slot that somehow ran twice is
 * stored once. Returns false for such a repeat.
 */
export async function insertCheckResult(
  tx: Queries,
  run: { checkId: string; scheduledAt: Date; startedAt: Date; degraded: boolean; instance: string },
  result: RunResult,
) {
  const inserted = await tx`
    insert into check_results (check_id, scheduled_at, started_at, ok, degraded, latency_ms, http_status, error_class, message, instance)
    values (${run.checkId}, ${run.scheduledAt}, ${run.startedAt}, ${result.ok}, ${run.degraded}, ${result.latencyMs},
            ${result.httpStatus}, ${result.errorClass}, ${result.message}, ${run.instance})
    on conflict (check_id, scheduled_at) do nothing returning id`;
  return inserted.length > 0;
}

/** Re-summarises the last two hours of runs into hourly rollups; the upsert makes repeats harmless. */
export function rollupCheckHours(sql: Sql) {
  return sql`
    insert into check_rollups_hourly (check_id, hour, count, failures, latency_p50, latency_p95, latency_p99, latency_min, latency_max)
    select check_id, date_trunc('hour', started_at), count(*)::int, (count(*) filter (where not ok))::int,
      percentile_cont(0.5) within group (order by latency_ms) filter (where ok),
      percentile_cont(0.95) within group (order by latency_ms) filter (where ok),
      percentile_cont(0.99) within group (order by latency_ms) filter (where ok),
      min(latency_ms) filter (where ok), max(latency_ms) filter (where ok)
    from check_results
    where started_at >= date_trunc('hour', now()) - interval '2 hours'
    group by 1, 2
    on conflict (check_id, hour) do update set count = excluded.count, failures = excluded.failures,
      latency_p50 = excluded.latency_p50, latency_p95 = excluded.latency_p95, latency_p99 = excluded.latency_p99,
      latency_min = excluded.latency_min, latency_max = excluded.latency_max`;
}

/** Retention: runs older than `resultsDays`, rollups older than `rollupDays`. */
export async function pruneCheckResults(sql: Sql, resultsDays: number, rollupDays: number) {
  // Small batches keep locks and WAL bursts short.
  for (;;) {
    const deleted = await sql`
      delete from check_results where id in (
        select id from check_results where started_at < now() - make_interval(days => ${resultsDays}) limit 10000)`;
    if (deleted.count < 10_000) break;
  }
  await sql`delete from check_rollups_hourly where hour < now() - make_interval(days => ${rollupDays})`;
}
