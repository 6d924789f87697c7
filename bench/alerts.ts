// The alert engine at scale: 2,000 metric rules x 10 label sets (20,000 alert instances) every 15 s over a 10M-point store.
import { availableParallelism, cpus } from 'node:os';
import { createDatabase, nextSlot, phaseOffsetMs } from '@sextant/db';
import {
  evaluateCondition,
  evaluateSlot,
  RESEND_DELAY_MS,
  runDueRules,
  type SlotResult,
} from '@sextant/trpc';
import type { Cleanup } from './lib/cleanup';
import { machineBusyPct, machineTicks } from './lib/cpu';
import { startDatabase } from './lib/database';
import {
  benchSql,
  copyPoints,
  copyText,
  createSeries,
  int,
  partitions,
  percentile,
  positiveInt,
  rollupMinutes,
} from './lib/metrics';
import { printAligned } from './lib/report';
import { BENCH_MARK, perEvaluation, STATEMENT_STATS_SETTINGS, statementStats } from './lib/statements';

export const description =
  'alert engine: 2,000 metric rules x 10 label sets every 15 s over 10M points: evaluation lag, server time (pg_stat_statements) and wall-clock vs the query alone, CPU';

const DAY = 86_400_000;
const INTERVAL_S = 15;
const LABEL_SETS = 10;
/** Rules share metrics (10 rules per metric name), as rules on one service's metrics do. */
const RULES_PER_METRIC = 10;

export async function run(cleanup: Cleanup): Promise<void> {
  const ruleCount = positiveInt('BENCH_ALERT_RULES', 2_000);
  const total = positiveInt('BENCH_ALERT_POINTS', 10_000_000);
  const seconds = positiveInt('BENCH_ALERT_SECONDS', 60);
  const concurrency = positiveInt('BENCH_ALERT_CONCURRENCY', 8);
  const metricCount = Math.ceil(ruleCount / RULES_PER_METRIC);
  const seriesCount = metricCount * LABEL_SETS;
  // Points end after the run, so every window has samples while the engine runs; 10 s apart at most.
  // Ahead by the run plus 15 minutes for loading 10M points on a slow machine.
  const end = Date.now() + (seconds + 900) * 1_000;
  const perSeries = Math.max(2, Math.floor(total / seriesCount));
  // At most 10 s apart, so the 45 s raw windows always hold samples; a smaller store covers less than a day.
  const spacingMs = Math.min(10_000, Math.floor(DAY / perSeries));
  const start = end - perSeries * spacingMs;

  const databaseUrl = await startDatabase(cleanup, STATEMENT_STATS_SETTINGS);
  const sql = benchSql(databaseUrl);
  cleanup.add('bench sql', () => sql.end());
  const stats = await statementStats(sql);
  // The engine runs on the API's pool (createDatabase): Drizzle's serializers pass jsonb text through, as the services expect.
  const database = createDatabase(databaseUrl, { max: concurrency + 4, statementTimeoutMs: 0 });
  cleanup.add('engine pool', () => database.close());
  const engineSql = database.sql;
  await partitions(sql);
  const series = [];
  for (let m = 0; m < metricCount; m++)
    series.push(...(await createSeries(sql, `bench_alert_${m}`, LABEL_SETS)));
  console.log(
    `loading ${int(perSeries * seriesCount)} points (${seriesCount} series, every ${spacingMs / 1000} s) with COPY ...`,
  );
  const t0 = performance.now();
  await copyPoints(sql, copyText(series, perSeries, start, spacingMs, t0));
  console.log(
    `  loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s; 1m rollups of the last hour and the run ...`,
  );
  await rollupMinutes(sql, new Date(Date.now() - 3_600_000), new Date(end));
  await sql`vacuum (analyze) metric_series, metric_points, metric_rollups_1m`;

  // Half the rules read the 1m rollups (5-minute window), half raw samples (45 s); every label set alerts.
  const now = Date.now();
  const rules = Array.from({ length: ruleCount }, (_, i) => {
    const id = crypto.randomUUID();
    const condition = {
      kind: 'metric',
      metric: `bench_alert_${i % metricCount}`,
      fn: i % 2 === 0 ? 'avg' : 'max',
      matchers: [{ label: 'job', op: '=', value: 'bench' }],
      by: ['instance'],
      windowSeconds: i % 2 === 0 ? 300 : 45,
      comparison: '>',
      threshold: -1,
    };
    const offset = phaseOffsetMs(id, INTERVAL_S);
    return {
      id,
      name: `BenchAlert${i}`,
      condition,
      offset,
      next: new Date(nextSlot(now, INTERVAL_S, offset)),
    };
  });
  await sql`
    insert into alert_rules (id, name, kind, condition, interval_seconds)
    select u.id::uuid, u.name, 'metric', u.c::jsonb, ${INTERVAL_S}
    from unnest(${rules.map((r) => r.id)}::text[], ${rules.map((r) => r.name)}::text[],
      ${rules.map((r) => JSON.stringify(r.condition))}::text[]) as u(id, name, c)`;
  await sql`
    insert into alert_rule_schedule (rule_id, interval_seconds, phase_offset_ms, next_eval_at)
    select u.id::uuid, ${INTERVAL_S}, u.o, u.n
    from unnest(${rules.map((r) => r.id)}::text[], ${rules.map((r) => r.offset)}::int[],
      ${rules.map((r) => r.next.toISOString())}::timestamptz[]) as u(id, o, n)`;

  console.log(
    `running the engine for ${seconds} s (${ruleCount} rules, every ${INTERVAL_S} s, concurrency ${concurrency}) ...`,
  );
  const results: SlotResult[] = [];
  const cpu0 = process.cpuUsage();
  const m0 = machineTicks();
  const w0 = performance.now();
  const stopAt = Date.now() + seconds * 1_000;
  const spans: number[] = [];
  // Server time counts from the second interval on, like lag: the first pass catches up the slots due while loading.
  const warmUntil = Date.now() + INTERVAL_S * 1_000;
  let measuredFrom = -1;
  while (Date.now() < stopAt) {
    if (measuredFrom < 0 && Date.now() >= warmUntil) {
      await stats.reset();
      measuredFrom = results.length;
    }
    const p0 = performance.now();
    const pass = await runDueRules(engineSql, {
      owner: 'bench',
      clock: Date.now,
      limit: concurrency * 4,
      concurrency,
    });
    if (pass.length > 0) spans.push((performance.now() - p0) / pass.length);
    results.push(...pass);
    if (pass.length === 0) await new Promise((r) => setTimeout(r, 50));
  }
  const wall = (performance.now() - w0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const machine = machineBusyPct(m0, machineTicks());
  const runTotals = await stats.totals();
  const runEvaluations = results.length - Math.max(0, measuredFrom);
  // The first pass catches up the slots due while loading; lag counts from the second interval on.
  const steady = results.filter((r) => r.slotMs >= now + INTERVAL_S * 1_000);
  const lags = steady.map((r) => r.lagMs).sort((a, b) => a - b);
  const [instances] = await sql<{ n: number }[]>`
    select count(*)::int as n from alert_instances where state in ('pending', 'firing')`;

  // DB time: each sampled rule's whole evaluations (query + state machine + write) next to the same query alone,
  // alternating, over one resend delay of consecutive slots (4 at 15 s), the cycle in which the engine rewrites its
  // rows once: one slot alone measures either the refresh or the write-free path, whichever the clock lands on.
  const sample = rules.slice(0, Math.min(200, rules.length));
  const cycle = Math.ceil(RESEND_DELAY_MS / (INTERVAL_S * 1_000));
  const base = Math.floor(Date.now() / 1_000) * 1_000 - 1_000;
  const whole: number[] = [];
  const alone: number[] = [];
  await stats.reset();
  for (const [k, r] of sample.entries()) {
    for (let c = 0; c < cycle; c++) {
      // A claim made by hand on the next slot of the cycle, so each sample is one fresh evaluation of that rule.
      const slotMs = base + c * INTERVAL_S * 1_000;
      const lease = `bench-sample#${k}.${c}`;
      await sql`update ${sql.unsafe(BENCH_MARK)} alert_rule_schedule set next_eval_at = ${new Date(slotMs)}, lease_owner = ${lease},
        lease_until = ${new Date(slotMs + 60_000)} where rule_id = ${r.id}`;
      const claim = { ruleId: r.id, slotMs, intervalSeconds: INTERVAL_S, phaseOffsetMs: r.offset, lease };
      const a = performance.now();
      await evaluateCondition(engineSql, r.condition as never, slotMs);
      alone.push(performance.now() - a);
      const b = performance.now();
      await evaluateSlot(engineSql, claim, Date.now);
      whole.push(performance.now() - b);
    }
  }
  const sampleTotals = await stats.totals();
  const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
  const ms = (n: number) => n.toFixed(2);
  const server = (label: string, t: typeof runTotals, evaluations: number, queriesPerEvaluation: number) => {
    if (!t) return [[label, `n/a: pg_stat_statements unavailable (${stats.unavailable})`]];
    const p = perEvaluation(t, evaluations, queriesPerEvaluation);
    return [
      [
        `${label}: engine's own (claim share + read + write${p.other > 0 ? ' + other' : ''}), ms`,
        `${ms(p.engine)} (${ms(p.claim)} + ${ms(p.read)} + ${ms(p.write)}${p.other > 0 ? ` + ${ms(p.other)}` : ''})`,
      ],
      [`${label}: condition query, ms`, ms(p.query)],
      [`${label}: (engine + query) / query`, `${p.ratio.toFixed(2)}x (target <= 1.3x)`],
    ];
  };

  console.log(
    `\nmachine: ${availableParallelism()} cpus (${cpus()[0]?.model.trim() ?? 'unknown'}), node ${process.version}; the engine ran in this process (the API's worker loop runs the same runDueRules/evaluateSlot)`,
  );
  printAligned(
    ['measure', 'value'],
    [
      ['rules x label sets', `${int(ruleCount)} x ${LABEL_SETS}`],
      ['active alert instances at the end', int(instances!.n)],
      ['evaluations in the run', int(results.length)],
      [
        'evaluations / s (planned)',
        `${(results.length / wall).toFixed(1)} (${(ruleCount / INTERVAL_S).toFixed(1)})`,
      ],
      ['evaluation lag p50 / p99 (ms)', `${int(percentile(lags, 50))} / ${int(percentile(lags, 99))}`],
      [
        'wall-clock ms per evaluation in the run (pass time / evaluations)',
        (sum(spans) / Math.max(1, spans.length)).toFixed(1),
      ],
      ...server(
        `server time per evaluation in the run (${int(runEvaluations)} evaluations)`,
        runTotals,
        runEvaluations,
        1,
      ),
      ...server(`server time per evaluation, serial sample (${whole.length})`, sampleTotals, whole.length, 2),
      [
        'wall-clock per evaluation, serial sample: whole vs query alone (client side)',
        `${(sum(whole) / sum(alone)).toFixed(2)}x (${(sum(whole) / whole.length).toFixed(1)} ms vs ${(sum(alone) / alone.length).toFixed(1)} ms, ${sample.length} rules x ${cycle} slots)`,
      ],
      ['engine process CPU', `${(((cpu.user + cpu.system) / 1e6 / wall) * 100).toFixed(0)} % of one core`],
      ['machine busy (all cores, Postgres included)', `${machine.toFixed(0)} %`],
    ],
  );
}
