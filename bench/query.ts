// metrics.query over 10M points: a 24 h chart at a 1-minute step from the service tier and the 1m rollups vs. raw samples.
import { availableParallelism, cpus } from 'node:os';
import type { Cleanup } from './lib/cleanup';
import { startDatabase } from './lib/database';
import {
  apiKey,
  benchSql,
  copyPoints,
  copyText,
  createSeries,
  int,
  mib,
  partitions,
  percentile,
  positiveInt,
  rollupHours,
  rollupMinutes,
  tableStats,
} from './lib/metrics';
import {
  type Answer,
  httpCaller,
  injectCaller,
  inProcessApi,
  procedureCaller,
  type QueryInput,
} from './lib/query-callers';
import { printAligned } from './lib/report';
import { startApiProcess } from './lib/targets';

export const description =
  'metrics.query 24 h at a 1-minute step: service tier and 1m rollups vs. raw points (10M stored), one series and a sum over all';

const METRIC = 'bench_query';
const DAY = 86_400_000;
const WARMUP = 200;
/**
 * A sum over every series from raw or per-series 1m rollups reads millions of rows per call (seconds each): fewer
 * calls for those rows (with many sparse series the 1m rollups hold about as many rows as raw).
 */
const WIDE_RAW_CALLS = 20;

export async function run(cleanup: Cleanup): Promise<void> {
  const total = positiveInt('BENCH_QUERY_POINTS', 10_000_000);
  const seriesCount = positiveInt('BENCH_QUERY_SERIES', 1_000);
  const samples = positiveInt('BENCH_QUERY_SAMPLES', 300);
  const denseSpacingMs = positiveInt('BENCH_QUERY_DENSE_MS', 1_000);
  // One series is scraped every second (86,400 points a day); the others share the rest of the points.
  const densePoints = Math.floor(DAY / denseSpacingMs);
  const perSeries = Math.floor((total - densePoints) / (seriesCount - 1));
  if (perSeries < 1) throw new Error('BENCH_QUERY_POINTS is too small for BENCH_QUERY_SERIES');
  const spacingMs = Math.floor(DAY / perSeries);
  if (spacingMs < 1) throw new Error('more than one point per ms per series; raise BENCH_QUERY_SERIES');
  const points = perSeries * (seriesCount - 1) + densePoints;
  if (total < 10_000_000) console.log(`note: BENCH_QUERY_POINTS=${total}, scaled down from 10,000,000`);

  const databaseUrl = await startDatabase(cleanup);
  const sql = benchSql(databaseUrl);
  cleanup.add('bench sql', () => sql.end());
  await partitions(sql);
  const series = await createSeries(sql, METRIC, seriesCount);

  // 24 whole hours ending at the last whole minute: well inside the 48 h window, and the query range is exact.
  const end = Math.floor(Date.now() / 60_000) * 60_000;
  const start = end - DAY;

  const [dense, ...sparse] = series;
  console.log(
    `loading ${int(points)} points (${seriesCount - 1} series x ${int(perSeries)}, every ${spacingMs / 1000} s, and 1 series every ${denseSpacingMs / 1000} s) with COPY ...`,
  );
  const t0 = performance.now();
  await copyPoints(sql, copyText(sparse, perSeries, start, spacingMs, t0));
  await copyPoints(sql, copyText([dense!], densePoints, start, denseSpacingMs, t0));
  const loadSeconds = (performance.now() - t0) / 1000;
  console.log(`  loaded in ${loadSeconds.toFixed(1)} s (${int(points / loadSeconds)} points/s)`);

  console.log('building rollups over the whole range ...');
  const r0 = performance.now();
  await rollupMinutes(sql, new Date(start), new Date(end + 60_000));
  const minuteSeconds = (performance.now() - r0) / 1000;
  const r1 = performance.now();
  await rollupHours(sql, new Date(start), new Date(end + 3_600_000));
  const hourSeconds = (performance.now() - r1) / 1000;
  console.log(`  rollupMinutes ${minuteSeconds.toFixed(1)} s, rollupHours ${hourSeconds.toFixed(1)} s`);
  // VACUUM as well as ANALYZE: otherwise autovacuum picks the fresh partitions up in the middle of the timings.
  const a0 = performance.now();
  await sql`vacuum (analyze) metric_series, metric_points, metric_rollups_1m, metric_rollups_1h, metric_agg_1m`;
  console.log(`  vacuum (analyze) ${((performance.now() - a0) / 1000).toFixed(1)} s`);

  const stats = [];
  for (const table of ['metric_points', 'metric_rollups_1m', 'metric_rollups_1h', 'metric_agg_1m']) {
    stats.push({ table, ...(await tableStats(sql, table)) });
  }

  // Raw sums over every series take seconds each; on a busy machine the default 15 s statement timeout cut them off.
  const timeout = { DB_STATEMENT_TIMEOUT_MS: String(positiveInt('BENCH_QUERY_TIMEOUT_MS', 120_000)) };
  const api = await startApiProcess(cleanup, databaseUrl, { SEXTANT_SCHEDULER: 'false', ...timeout });
  const key = await apiKey(sql, 'viewer');
  const typical = sparse[Math.floor(sparse.length / 2)]!;
  const from = new Date(start);
  const to = new Date(end);
  // One series (avg, by its instance label), or `one: null`: the sum over every series, selected by service and
  // environment (the service tier answers at whole minutes) or by a pattern on instance (the per-series tiers).
  type Matchers = QueryInput['selector']['matchers'];
  const service: Matchers = [
    { label: 'service', op: '=', value: 'bench' },
    { label: 'environment', op: '=', value: 'PRO' },
  ];
  const instances: Matchers = [{ label: 'instance', op: '=~', value: 'host-.*' }];
  const input = (t: {
    one: { labels: Record<string, string> } | null;
    matchers: Matchers;
    step: number;
  }): QueryInput => ({
    selector: {
      name: METRIC,
      matchers: t.one ? [{ label: 'instance', op: '=', value: t.one.labels.instance! }] : t.matchers,
    },
    from,
    to,
    step: t.step,
    fn: t.one ? 'avg' : 'sum',
  });

  const all = `sum of ${seriesCount}`;
  const targets = [
    {
      series: `1 of ${seriesCount}`,
      one: typical,
      selector: 'instance=',
      matchers: [],
      tier: '1m',
      step: 60,
    },
    {
      series: `1 of ${seriesCount}`,
      one: typical,
      selector: 'instance=',
      matchers: [],
      tier: 'raw',
      step: 59,
    },
    { series: '1 s scrape', one: dense!, selector: 'instance=', matchers: [], tier: '1m', step: 60 },
    { series: '1 s scrape', one: dense!, selector: 'instance=', matchers: [], tier: 'raw', step: 59 },
    {
      series: all,
      one: null,
      selector: 'service=,environment=',
      matchers: service,
      tier: 'service-1m',
      step: 60,
    },
    { series: all, one: null, selector: 'instance=~', matchers: instances, tier: '1m', step: 60 },
    { series: all, one: null, selector: 'service=,environment=', matchers: service, tier: 'raw', step: 59 },
  ] as const;
  const results: ((typeof targets)[number] & { rowsRead: number })[] = [];
  for (const t of targets) {
    const [table, time] =
      t.tier === 'raw'
        ? ['metric_points', 'ts']
        : t.tier === 'service-1m'
          ? ['metric_agg_1m', 'bucket']
          : ['metric_rollups_1m', 'bucket'];
    const [read] = await sql<{ n: string }[]>`
      select count(*)::text as n from ${sql(table)}
      where ${t.one ? sql`series_id = ${t.one.id}` : sql`true`} and ${sql(time)} >= ${from} and ${sql(time)} < ${to}`;
    results.push({ ...t, rowsRead: Number(read!.n) });
  }
  const inProcess = await inProcessApi(cleanup, databaseUrl, timeout);
  const layers = [
    { name: 'procedure', caller: procedureCaller(inProcess, key) },
    { name: 'inject', caller: injectCaller(inProcess, key) },
    { name: 'HTTP', caller: httpCaller(cleanup, api.base, key) },
  ];
  const timed: Timing[][] = [];
  for (const layer of layers) {
    console.log(`timing ${layer.name}: ${WARMUP} warm-up + ${samples} calls per row, interleaved ...`);
    timed.push(
      await time(
        targets.map((t) => ({
          call: layer.caller(input(t)),
          tier: t.tier,
          calls: t.one || t.tier === 'service-1m' ? samples : Math.min(samples, WIDE_RAW_CALLS),
          // A sparse series (many series in few points) leaves some 1-minute buckets empty.
          fill: t.one === typical ? Math.min(1, (t.step * 1000) / spacingMs) : 1,
        })),
      ),
    );
  }

  const cpu = cpus()[0]?.model.trim() ?? 'unknown cpu';
  console.log(
    `\nmachine:  ${availableParallelism()} cpus (${cpu}), node ${process.version}, API and Postgres on the same machine`,
  );
  console.log(
    `data:     ${int(points)} points over 24 h: ${seriesCount - 1} series x ${int(perSeries)} points (every ${spacingMs / 1000} s, loaded time-ordered), 1 series x ${int(densePoints)} (every ${denseSpacingMs / 1000} s)`,
  );
  console.log(
    `load:     COPY ${loadSeconds.toFixed(1)} s (${int(points / loadSeconds)} points/s); rollupMinutes ${minuteSeconds.toFixed(1)} s; rollupHours ${hourSeconds.toFixed(1)} s\n`,
  );
  printAligned(
    ['table', 'rows', 'size (all partitions)', 'bytes/row'],
    stats.map((s) => [s.table, int(s.rows), mib(s.bytes), s.rows ? (s.bytes / s.rows).toFixed(0) : 'n/a']),
  );
  console.log(
    `\nquery:    metrics.query fn avg of one series by its instance label, or fn sum of every series (by service and environment, or instance=~"host-.*"), ${from.toISOString()} .. ${to.toISOString()}, viewer API key`,
  );
  console.log(
    'layers:   procedure = in this process: key checked in Postgres, input validated, role check, query, answer serialized to JSON;',
  );
  console.log(
    "          inject = the API's Fastify server (all hooks and plugins, tRPC's adapter) built in this process, called with inject (no sockets);",
  );
  console.log(
    '          HTTP = GET /trpc/metrics.query to the built API (another process), one keep-alive node:http connection, 127.0.0.1',
  );
  console.log(
    `method:   ${samples} sequential calls per row (the raw and 1m sums over all series ${Math.min(samples, WIDE_RAW_CALLS)}) after up to ${WARMUP} warm-up each, rows alternating call by call (same noise for all)\n`,
  );
  const ratio = (layer: number, i: number) => {
    const r = results[i]!;
    const raw = results.findIndex((x) => x.series === r.series && x.tier === 'raw');
    return (timed[layer]![i]!.p95 / timed[layer]![raw]!.p95) * 100;
  };
  printAligned(
    [
      'series',
      'fn',
      'selector',
      'tier',
      'step s',
      'buckets',
      'rows read',
      ...layers.flatMap((l) => [`${l.name} p50 ms`, 'p95 ms', 'p95 vs raw']),
    ],
    results.map((r, i) => [
      r.series,
      r.one ? 'avg' : 'sum',
      r.selector,
      r.tier,
      String(r.step),
      int(timed[0]![i]!.buckets),
      int(r.rowsRead),
      ...layers.flatMap((_, l) => [
        timed[l]![i]!.p50.toFixed(2),
        timed[l]![i]!.p95.toFixed(2),
        `${ratio(l, i).toFixed(1)} %`,
      ]),
    ]),
  );
  for (const [i, r] of results.entries()) {
    if (r.tier === 'raw') continue;
    const verdicts = layers.map((l, n) => {
      const pct = ratio(n, i);
      return `${l.name} ${pct.toFixed(1)} % (${pct <= 15 ? 'meets' : 'MISSES'} <= 15 %)`;
    });
    console.log(`${r.series} (${r.tier}): p95 vs raw p95: ${verdicts.join(', ')}`);
    if (r.tier !== 'service-1m') continue;
    const http = timed[layers.length - 1]![i]!.p95;
    console.log(
      `${r.series} (${r.tier}): HTTP p95 ${http.toFixed(1)} ms (${http < 250 ? 'meets' : 'MISSES'} < 250 ms)`,
    );
  }
}

interface Timing {
  buckets: number;
  p50: number;
  p95: number;
}

/** Checks each target's answer, warms all up, then alternates between them so machine noise hits every tier alike. */
async function time(
  targets: { call: () => Promise<Answer>; tier: string; calls: number; fill: number }[],
): Promise<Timing[]> {
  const buckets: number[] = [];
  for (const { call, tier, calls, fill } of targets) {
    const first = await call();
    if (first.tier !== tier) throw new Error(`expected tier ${tier}, the API used ${first.tier}`);
    const filled = first.values.filter((v) => v !== null).length;
    if (filled < first.values.length * 0.9 * fill) {
      throw new Error(`only ${filled} of ${first.values.length} buckets have a value (tier ${tier})`);
    }
    buckets.push(first.values.length);
    // Rows of seconds-long calls (raw sums over every series) warm up with a few calls only.
    for (let i = 1; i < (calls <= WIDE_RAW_CALLS ? 3 : Math.min(WARMUP, calls)); i++) await call();
  }
  const ms: number[][] = targets.map(() => []);
  const samples = Math.max(...targets.map((t) => t.calls));
  for (let i = 0; i < samples; i++) {
    // Alternate which tier goes first, so neither always follows the other.
    for (let j = 0; j < targets.length; j++) {
      const n = i % 2 ? targets.length - 1 - j : j;
      if (i >= targets[n]!.calls) continue;
      const t = performance.now();
      await targets[n]!.call();
      ms[n]!.push(performance.now() - t);
    }
  }
  return ms.map((m, i) => {
    m.sort((a, b) => a - b);
    return { buckets: buckets[i]!, p50: percentile(m, 50), p95: percentile(m, 95) };
  });
}
