// Notification delivery at scale: 10,000 alerts in 1,000 groups routed to a local webhook sink, on one API instance
// and then on three sharing the database, against the same number of plain node:http POSTs to the same sink.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { SETTINGS_KEYS } from '@sextant/db';
import { createClient } from '@sextant/trpc/client';
import type { Cleanup } from './lib/cleanup';
import { startDatabase } from './lib/database';
import { apiKey, benchSql, int, percentile, positiveInt } from './lib/metrics';
import { freePort, spawnServer, waitForHttp } from './lib/process';
import { printAligned } from './lib/report';
import { startApiProcess } from './lib/targets';

export const description =
  'notifications: 10,000 alerts in 1,000 groups to a local webhook sink: tick → delivery p50/p99, deliveries/s vs plain node:http POSTs, 3 instances: duplicates';

/** Prometheus' and our per-request bound (EXTERNAL_ALERT_LIMITS.alertsPerRequest). */
const ALERTS_PER_POST = 1_000;

interface SinkRecord {
  at: number;
  key: string | null;
  tickTime: string | null;
  groupKey: string | null;
  alerts: number;
}

interface RunResult {
  label: string;
  deliveries: number;
  groups: number;
  distinctKeys: number;
  duplicates: number;
  /** Groups no delivery reached before the deadline. */
  missing: number;
  latencies: number[];
  /** First tick to last delivery, ms: the whole drain. */
  spanMs: number;
  /** First to last tick, ms: how spread the ticks were. */
  tickSpreadMs: number;
  outboxRows: number;
  stages: { flushP50: number; flushP99: number; sendP50: number; sendP99: number };
  /** First message enqueued to last delivered, ms: the delivery loop's drain. */
  deliverySpanMs: number;
  /** Deliveries of other groups that reached the sink meanwhile. */
  others: number;
}

export async function run(cleanup: Cleanup): Promise<void> {
  const groups = positiveInt('BENCH_NOTIFY_GROUPS', 1_000);
  const alerts = positiveInt('BENCH_NOTIFY_ALERTS', 10_000);
  const deadlineS = positiveInt('BENCH_NOTIFY_TIMEOUT', 120);
  const concurrency = positiveInt('BENCH_NOTIFY_CONCURRENCY', 64);
  const perGroup = Math.max(1, Math.floor(alerts / groups));

  const databaseUrl = await startDatabase(cleanup);
  const sql = benchSql(databaseUrl);
  cleanup.add('bench sql', () => sql.end());
  const sinkPort = await freePort();
  const sinkServer = spawnServer(
    cleanup,
    'sink',
    process.execPath,
    [new URL('./lib/webhook-sink.mjs', import.meta.url).pathname],
    { ...process.env, SINK_PORT: String(sinkPort) },
  );
  const sink = `http://127.0.0.1:${sinkPort}`;
  await waitForHttp(sinkServer, `${sink}/`);
  // The sink is on loopback, which outbound requests may not reach by default: allow it, as an admin would.
  await sql`insert into settings (key, value) values (${SETTINGS_KEYS.allowNetworks}, ${sql.json([`127.0.0.1:${sinkPort}`])})`;
  const key = await apiKey(sql, 'maintainer');

  const env = notifyEnv(concurrency);
  const one = await startApiProcess(cleanup, databaseUrl, env);
  await configure(one.base, key, `${sink}/hook`);
  console.log(
    `settings: ${int(perGroup * groups)} alerts in ${int(groups)} groups (group_by alertname, group_wait 1 s, group_interval 1 h), webhook sink on 127.0.0.1, deadline ${deadlineS} s per run, delivery concurrency ${concurrency}`,
  );

  const single = await notifyRun('one instance', [one.base], key, sink, sql, groups, perGroup, deadlineS);
  await one.stop();

  // An instance sends at most half its concurrency to one endpoint (delivery-policy.ts): the baseline gets as many sockets.
  const sockets = Math.max(1, Math.ceil(concurrency / 2));
  const baseline = await plainPosts(sink, single.deliveries || groups, sockets, perGroup);

  const three = await Promise.all([1, 2, 3].map(() => startApiProcess(cleanup, databaseUrl, env)));
  const multi = await notifyRun(
    'three instances',
    three.map((a) => a.base),
    key,
    sink,
    sql,
    groups,
    perGroup,
    deadlineS,
  );
  await Promise.all(three.map((a) => a.stop()));

  report(single, multi, baseline);
  const problems = [single, multi].flatMap((r) => [
    ...(r.missing > 0 ? [`${r.label}: ${r.missing} groups never delivered`] : []),
    ...(r.duplicates > 0 ? [`${r.label}: ${r.duplicates} duplicate deliveries`] : []),
  ]);
  if (problems.length > 0) throw new Error(problems.join('; '));
}

/** Settings of the API processes under test: the delivery loop's concurrency, and no rate limit on the one sink. */
function notifyEnv(concurrency: number): Record<string, string> {
  return {
    SEXTANT_SELF_SCRAPE_SECONDS: '0',
    NOTIFY_DELIVERY_CONCURRENCY: String(concurrency),
    NOTIFY_ENDPOINT_RATE_PER_MIN: '0',
  };
}

/** One webhook receiver at the sink; the root route sends everything there, one group per alertname. */
async function configure(base: string, key: string, url: string): Promise<void> {
  const client = createClient({ url: `${base}/trpc`, apiKey: key });
  const receiver = await client.receivers.create.mutate({
    receiver: { name: 'bench sink', integrations: [{ kind: 'webhook', url, sendResolved: true }] },
  });
  const current = await client.routes.get.query();
  await client.routes.update.mutate({
    expectedVersion: current.version,
    tree: {
      ...current.tree,
      receiverId: receiver.id,
      groupBy: ['alertname'],
      groupWaitSeconds: 1,
      groupIntervalSeconds: 3_600,
      repeatIntervalSeconds: 86_400,
      children: [],
    },
  });
}

async function notifyRun(
  label: string,
  bases: string[],
  key: string,
  sink: string,
  sql: ReturnType<typeof benchSql>,
  groups: number,
  perGroup: number,
  deadlineS: number,
): Promise<RunResult> {
  const prefix = label.replace(/\W+/g, '_');
  const ours = (r: SinkRecord) => r.groupKey?.includes(`"${prefix}_`) ?? false;
  await fetch(`${sink}/records`); // drop anything earlier
  const all = Array.from({ length: groups * perGroup }, (_, i) => ({
    labels: {
      alertname: `${prefix}_${Math.floor(i / perGroup)}`,
      instance: `i${i % perGroup}`,
      bench: prefix,
    },
    annotations: { summary: `bench alert ${i}` },
  }));
  const batches = Array.from({ length: Math.ceil(all.length / ALERTS_PER_POST) }, (_, b) =>
    all.slice(b * ALERTS_PER_POST, (b + 1) * ALERTS_PER_POST),
  );
  // Each batch to the next instance: with three, every instance ingests a third.
  await Promise.all(
    batches.map(async (batch, b) => {
      const res = await fetch(`${bases[b % bases.length]}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(batch),
      });
      if (!res.ok) throw new Error(`POST /api/v2/alerts: ${res.status} ${await res.text()}`);
    }),
  );

  const arrived: SinkRecord[] = [];
  const deadline = Date.now() + deadlineS * 1000;
  let quietSince = Date.now();
  // Until every group arrived, then 3 s more so a late duplicate would still be counted.
  for (;;) {
    const batch = (await (await fetch(`${sink}/records`)).json()) as SinkRecord[];
    if (batch.length > 0) quietSince = Date.now();
    arrived.push(...batch);
    const seen = new Set(arrived.filter(ours).map((r) => r.groupKey)).size;
    if ((seen >= groups && Date.now() - quietSince > 3_000) || Date.now() > deadline) break;
    await sleep(250);
  }
  // Only this run's groups: anything else at the sink (e.g. an alert of the seeded self-monitoring) is counted apart.
  const records = arrived.filter(ours);
  const keys = new Set(records.map((r) => r.key));
  const ticks = records.map((r) => Date.parse(r.tickTime ?? ''));
  const firstTick = Math.min(...ticks);
  // Where the time went, per stage: the tick's flush (tick → enqueue) and the delivery loop (enqueue → delivered).
  const [outbox] = await sql<
    {
      n: number;
      flushP50: number;
      flushP99: number;
      sendP50: number;
      sendP99: number;
      firstEnqueued: Date;
      lastDelivered: Date;
    }[]
  >`
    select count(*)::int as n, min(created_at) as "firstEnqueued", max(delivered_at) as "lastDelivered",
      percentile_cont(0.5) within group (order by extract(epoch from created_at - tick_at) * 1000) as "flushP50",
      percentile_cont(0.99) within group (order by extract(epoch from created_at - tick_at) * 1000) as "flushP99",
      percentile_cont(0.5) within group (order by extract(epoch from delivered_at - created_at) * 1000) as "sendP50",
      percentile_cont(0.99) within group (order by extract(epoch from delivered_at - created_at) * 1000) as "sendP99"
    from notification_outbox where group_key like ${`%${prefix}_%`}`;
  return {
    label,
    deliveries: records.length,
    groups: new Set(records.map((r) => r.groupKey)).size,
    distinctKeys: keys.size,
    duplicates: records.length - keys.size,
    missing: groups - new Set(records.map((r) => r.groupKey)).size,
    latencies: records.map((r, i) => r.at - ticks[i]!).sort((a, b) => a - b),
    spanMs: Math.max(...records.map((r) => r.at)) - firstTick,
    tickSpreadMs: Math.max(...ticks) - firstTick,
    outboxRows: outbox!.n,
    stages: outbox!,
    deliverySpanMs: outbox!.lastDelivered.getTime() - outbox!.firstEnqueued.getTime(),
    others: arrived.length - records.length,
  };
}

/** The floor: the same number of POSTs of a same-sized message from one process, keep-alive, `concurrency` at once. */
async function plainPosts(sink: string, n: number, concurrency: number, perGroup: number) {
  await fetch(`${sink}/records`);
  const body = JSON.stringify({
    version: '4',
    status: 'firing',
    groupKey: '{}:{alertname="baseline"}',
    alerts: Array.from({ length: perGroup }, (_, i) => ({
      status: 'firing',
      labels: { alertname: 'baseline', instance: `i${i}`, bench: 'baseline' },
      annotations: { summary: `bench alert ${i}` },
      startsAt: new Date().toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      fingerprint: '0000000000000000',
    })),
  });
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(`${sink}/hook`);
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        url,
        { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) await post();
    }),
  );
  const ms = performance.now() - t0;
  agent.destroy();
  await fetch(`${sink}/records`);
  return { n, ms, perSec: (n / ms) * 1000, bytes: body.length, concurrency };
}

function report(
  single: RunResult,
  multi: RunResult,
  baseline: { n: number; ms: number; perSec: number; concurrency: number },
) {
  const rate = (r: RunResult) => (r.deliveries / r.spanMs) * 1000;
  const loopRate = (r: RunResult) => (r.outboxRows / r.deliverySpanMs) * 1000;
  const p = (r: RunResult, q: number) => percentile(r.latencies, q);
  const stage = (r: RunResult, s: 'flush' | 'send') =>
    `${Number(r.stages[`${s}P50`]).toFixed(0)} / ${Number(r.stages[`${s}P99`]).toFixed(0)}`;
  console.log('');
  printAligned(
    ['measure', 'one instance', 'three instances', 'target'],
    [
      [
        'deliveries (groups)',
        `${single.deliveries} (${single.groups})`,
        `${multi.deliveries} (${multi.groups})`,
        '',
      ],
      ['outbox rows', String(single.outboxRows), String(multi.outboxRows), '= groups'],
      ['other deliveries at the sink', String(single.others), String(multi.others), ''],
      ['duplicate deliveries (same key)', String(single.duplicates), String(multi.duplicates), '0'],
      ['groups never delivered', String(single.missing), String(multi.missing), '0'],
      ['tick → delivery p50 ms', p(single, 50).toFixed(0), p(multi, 50).toFixed(0), ''],
      ['tick → delivery p99 ms', p(single, 99).toFixed(0), p(multi, 99).toFixed(0), '< 1000'],
      ['tick → delivery max ms', p(single, 100).toFixed(0), p(multi, 100).toFixed(0), ''],
      ['  of which tick → enqueued p50 / p99 ms', stage(single, 'flush'), stage(multi, 'flush'), ''],
      ['  of which enqueued → delivered p50 / p99 ms', stage(single, 'send'), stage(multi, 'send'), ''],
      ['ticks spread (first → last) ms', single.tickSpreadMs.toFixed(0), multi.tickSpreadMs.toFixed(0), ''],
      ['deliveries/s (first tick → last delivery)', rate(single).toFixed(0), rate(multi).toFixed(0), ''],
      [
        'deliveries/s of the delivery loop (first enqueued → last delivered)',
        loopRate(single).toFixed(0),
        loopRate(multi).toFixed(0),
        '',
      ],
      [
        `plain node:http POSTs/s (${baseline.n} in ${baseline.ms.toFixed(0)} ms, ${baseline.concurrency} sockets)`,
        baseline.perSec.toFixed(0),
        '',
        'baseline',
      ],
      [
        'deliveries/s vs plain POSTs',
        `${((rate(single) / baseline.perSec) * 100).toFixed(1)} %`,
        `${((rate(multi) / baseline.perSec) * 100).toFixed(1)} %`,
        '>= 50 %',
      ],
      [
        'delivery loop vs plain POSTs',
        `${((loopRate(single) / baseline.perSec) * 100).toFixed(1)} %`,
        `${((loopRate(multi) / baseline.perSec) * 100).toFixed(1)} %`,
        '',
      ],
    ],
  );
}
