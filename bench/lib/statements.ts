// Server-side statement time from pg_stat_statements, split by who sent the statement.
import type postgres from 'postgres';

/** Loaded at server start; `statements.start` then creates the extension in the bench's database. */
export const STATEMENT_STATS_SETTINGS = {
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track_utility': 'on',
};

/** Statements the bench itself sends carry this comment after their first word (pg_stat_statements drops leading ones). */
export const BENCH_MARK = '/* bench */';

export type Part = 'claim' | 'read' | 'write' | 'query' | 'other';

/**
 * The engine's statements (services/alerting/schedule.ts claimDueRules, engine.ts loadRule, instances.ts
 * persistEvaluation with schedule.ts slotCompletion) and the condition query's (services/metrics: the selection
 * check and the aggregate over metric_* tables, in transactions with local settings); anything else is `other`.
 */
export function partOf(query: string): Part {
  const q = query.trim().toLowerCase();
  if (q.includes('skip locked') && q.includes('alert_rule_schedule')) return 'claim';
  if (q.includes('from alert_rules r where id')) return 'read';
  if (q.startsWith('with slot as')) return 'write';
  if (
    q.includes('metric_') ||
    q.includes("set_config('statement_timeout'") ||
    /^(begin|commit|rollback|set local)\b/.test(q)
  )
    return 'query';
  return 'other';
}

export type Totals = Record<Part, { ms: number; calls: number }>;

/** pg_stat_statements in the bench's database; when the server did not load it, `unavailable` says why and totals are null. */
export async function statementStats(sql: postgres.Sql) {
  const reset = () => sql.unsafe(`select ${BENCH_MARK} pg_stat_statements_reset()`);
  let unavailable: string | null = null;
  try {
    await sql.unsafe(`${BENCH_MARK} create extension if not exists pg_stat_statements`);
    await reset();
  } catch (err) {
    unavailable = err instanceof Error ? err.message : String(err);
  }
  return {
    unavailable,
    reset: async () => {
      if (unavailable === null) await reset();
    },
    /** Server execution time (total_exec_time: no planning, no network, no client) per part since the last reset. */
    totals: async (): Promise<Totals | null> => {
      if (unavailable !== null) return null;
      const rows = await sql.unsafe<{ query: string; calls: number; ms: number }[]>(
        `select ${BENCH_MARK} query, calls::int as calls, total_exec_time::float8 as ms from pg_stat_statements
         where dbid = (select oid from pg_database where datname = current_database())`,
      );
      const totals: Totals = {
        claim: { ms: 0, calls: 0 },
        read: { ms: 0, calls: 0 },
        write: { ms: 0, calls: 0 },
        query: { ms: 0, calls: 0 },
        other: { ms: 0, calls: 0 },
      };
      for (const r of rows) {
        if (r.query.includes(BENCH_MARK)) continue;
        const part = totals[partOf(r.query)];
        part.ms += r.ms;
        part.calls += r.calls;
      }
      return totals;
    },
  };
}

/** Per evaluation: each part's ms, the engine's own (claim + read + write + other) and (engine + query) / query. */
export function perEvaluation(t: Totals, evaluations: number, queriesPerEvaluation = 1) {
  const per = (ms: number) => ms / Math.max(1, evaluations);
  const query = t.query.ms / Math.max(1, evaluations * queriesPerEvaluation);
  const engine = per(t.claim.ms + t.read.ms + t.write.ms + t.other.ms);
  return {
    claim: per(t.claim.ms),
    read: per(t.read.ms),
    write: per(t.write.ms),
    other: per(t.other.ms),
    engine,
    query,
    ratio: (engine + query) / query,
  };
}
