import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMetricPartitions } from '../../src/monitoring/metrics-jobs';
import { type SignedIn, useTestApi } from '../helpers';
import { scrapeDueTargets } from '../metrics/scrape-once';
import { missingBinaries, promQuery, type Running, startNodeExporter, startPrometheus } from './binaries';

const missing = missingBinaries();
const hint =
  'Run `node apps/api/scripts/ensure-prometheus.mjs` as root (Debian packages prometheus and prometheus-node-exporter), ' +
  'or set PROMETHEUS_PATH / NODE_EXPORTER_PATH.';
// The binaries are part of the suite, like Chromium for e2e: missing ones fail it, saying how to get them.
if (missing.length > 0) throw new Error(`test/real: ${missing.join(' and ')} missing. ${hint}`);

type Labels = Record<string, string>;
interface PromSeries {
  metric: Labels;
  values?: [number, string][];
  value?: [number, string];
}

// Labels that say where a series came from rather than what it is.
const ORIGIN = new Set(['__name__', 'job', 'service', 'environment']);
const identity = (l: Labels, drop = ORIGIN) =>
  JSON.stringify(
    Object.entries(l)
      .filter(([k]) => !drop.has(k))
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
const ms = (seconds: number) => Math.round(seconds * 1000);

describe('a real Prometheus 2.42 and node exporter 1.5', () => {
  const api = useTestApi();
  let exporter: Running;
  let prometheus: Running;
  let viewer: SignedIn;

  beforeAll(async () => {
    await ensureMetricPartitions(api.sql);
    const key = (await api.withKey('maintainer')).key;
    viewer = await api.asUser('viewer');
    exporter = await startNodeExporter();
    prometheus = await startPrometheus({
      target: exporter.host,
      writeUrl: `${api.baseUrl}/api/v1/write`,
      apiKey: key,
    });
    // The exporter listens on loopback, which targets may reach only once an admin allows it.
    await (await api.asUser('admin')).client.settings.setOutbound.mutate({ deny: [], allow: ['127.0.0.1'] });
    // Prometheus' first scrape waits for its discovery (about 5 s); then a dozen one-second scrapes.
    for (let i = 0; i < 60; i++) {
      const [up] = await promQuery<PromSeries>(prometheus, 'count_over_time(up{job="node"}[1m])', Date.now());
      if (Number(up?.value?.[1] ?? 0) >= 12) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  });
  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.stop();
  });

  /** metrics.query's `max` over the series Prometheus forwarded (its job "node" arrives as the service). */
  const remoteWritten = (name: string, from: number, to: number, step: number, by: string[] = []) =>
    viewer.client.metrics.query.query({
      selector: { name, matchers: [{ label: 'service', op: '=', value: 'node' }] },
      from: new Date(from),
      to: new Date(to),
      step,
      fn: 'max',
      by,
    });

  const storedCount = async (name: string, from: number, to: number) => {
    const [row] = await api.sql<{ n: number }[]>`
      select count(*)::int as n from metric_points p join metric_series s on s.id = p.series_id
      where s.name = ${name} and s.labels->>'service' = 'node' and p.ts >= ${new Date(from)} and p.ts < ${new Date(to)}`;
    return row!.n;
  };

  it("answers, through metrics.query, what Prometheus' own API answers: sample for sample, series for series", async () => {
    // A range that ended a few seconds ago: Prometheus has scraped all of it and forwarded (nearly) all of it.
    const end = Math.floor(Date.now() / 1000) * 1000 - 3_000;
    const from = end - 20_000;
    const figures: string[] = [];
    for (const [name, by] of [
      ['node_memory_MemTotal_bytes', ['instance']],
      ['node_load1', ['instance']],
      ['node_cpu_seconds_total', ['instance', 'cpu', 'mode']],
    ] as const) {
      // A range selector returns the raw samples in [end-20s, end]; Sextant's 1 s buckets cover [end-20s, end).
      const prom = await promQuery<PromSeries>(prometheus, `${name}{job="node"}[20s]`, end);
      const promSamples = prom.map((s) => ({
        key: identity(s.metric),
        samples: s.values!.map(([t, v]) => [ms(t), Number(v)] as const).filter(([t]) => t < end),
      }));
      // Forwarding lags on a busy machine: wait (bounded) until Sextant holds as many samples of the range.
      const expected = promSamples.reduce((n, x) => n + x.samples.length, 0);
      for (let i = 0; i < 30 && (await storedCount(name, from, end)) < expected; i++)
        await new Promise((r) => setTimeout(r, 500));
      const answer = await remoteWritten(name, from, end, 1, [...by]);
      expect(answer.tier).toBe('raw');
      const ours = new Map(
        (answer.groups ?? []).map((g) => [
          identity(g.labels),
          g.values.flatMap((v, i) => (v === null ? [] : [[answer.start + i * 1000, v] as const])),
        ]),
      );
      // One sample per one-second bucket (scrapes are a second apart); a bucket with two would answer the larger.
      const theirs = new Map(
        promSamples.map(({ key, samples }) => {
          const buckets = new Map<number, number>();
          for (const [t, v] of samples) {
            const b = Math.floor(t / 1000) * 1000;
            buckets.set(b, Math.max(v, buckets.get(b) ?? Number.NEGATIVE_INFINITY));
          }
          return [key, [...buckets].sort(([a], [b]) => a - b)];
        }),
      );
      expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
      for (const [key, samples] of theirs) expect(ours.get(key), `${name} ${key}`).toEqual(samples);
      // And the stored samples themselves: the very timestamps and values Prometheus holds.
      const stored = await api.sql<{ labels: Labels; ts: Date; value: number }[]>`
        select s.labels, p.ts, p.value from metric_points p join metric_series s on s.id = p.series_id
        where s.name = ${name} and s.labels->>'service' = 'node' and p.ts >= ${new Date(from)} and p.ts < ${new Date(end)}
        order by p.ts`;
      for (const { key, samples } of promSamples)
        expect(
          stored.filter((r) => identity(r.labels) === key).map((r) => [r.ts.getTime(), r.value]),
          `${name} ${key}`,
        ).toEqual(samples.map(([t, v]) => [t, v]));
      expect(stored.every((r) => r.labels.environment === 'TEST')).toBe(true);
      const n = promSamples.reduce((a, s) => a + s.samples.length, 0);
      expect(n).toBeGreaterThanOrEqual(prom.length * 6);
      figures.push(`${name}: ${prom.length} series, ${n} samples equal`);
    }

    // Every metric of the job: as many series in Sextant as Prometheus counts.
    const counts = await promQuery<PromSeries>(prometheus, 'count by (__name__)({job="node"})', end);
    expect(counts.length).toBeGreaterThan(10);
    for (const c of counts) {
      const name = c.metric.__name__!;
      // Raw (a 1 s step): the series matched in metric_series, not the service tier the rollup jobs fill later.
      const answer = await remoteWritten(name, from, end, 1);
      expect(answer.tier).toBe('raw');
      expect(answer.series, name).toBe(Number(c.value![1]));
    }
    figures.push(`${counts.length} metrics with equal series counts`);
    // Prometheus' own account: every request, metadata-only ones included, was accepted.
    const own = await (await fetch(`${prometheus.url}/metrics`)).text();
    const counter = (name: string) =>
      Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(own)?.[1] ?? Number.NaN);
    expect(counter('prometheus_remote_storage_samples_total')).toBeGreaterThan(100);
    expect(counter('prometheus_remote_storage_metadata_total')).toBeGreaterThan(0);
    expect(counter('prometheus_remote_storage_samples_failed_total')).toBe(0);
    expect(counter('prometheus_remote_storage_metadata_failed_total')).toBe(0);
    console.log(`Prometheus vs Sextant (remote write): ${figures.join('; ')}`);
  });

  it("scrapes the same exporter into the same label sets as Prometheus', and the same MemTotal", async () => {
    const maintainer = await api.asUser('maintainer');
    const svc = await maintainer.client.services.create.mutate({ name: 'Node scraped' });
    const env = (await maintainer.client.environments.list.query())[0]!;
    await maintainer.client.scrapeTargets.create.mutate({
      service: svc.slug,
      target: { environmentId: env.id, url: `${exporter.url}/metrics`, intervalSeconds: 15 },
    });
    await scrapeDueTargets(api.sql);

    const ours = await api.sql<{ name: string; labels: Labels }[]>`
      select name, labels from metric_series where labels->>'service' = ${svc.slug} and name like 'node\\_%'`;
    const params = new URLSearchParams({ 'match[]': '{__name__=~"node_.+",job="node"}' });
    const theirs = (
      (await (await fetch(`${prometheus.url}/api/v1/series?${params}`)).json()) as { data: Labels[] }
    ).data;
    const WHERE = new Set([...ORIGIN, 'instance']);
    const sets = (rows: { name: string; labels: Labels }[]) => {
      const byName = new Map<string, string[]>();
      for (const r of rows) byName.set(r.name, [...(byName.get(r.name) ?? []), identity(r.labels, WHERE)]);
      return Object.fromEntries([...byName].map(([k, v]) => [k, v.sort()]).sort());
    };
    expect(ours.length).toBeGreaterThan(10);
    expect(sets(ours)).toEqual(sets(theirs.map((l) => ({ name: l.__name__!, labels: l }))));

    const [mem] = await api.sql<{ value: number }[]>`
      select p.value from metric_points p join metric_series s on s.id = p.series_id
      where s.name = 'node_memory_MemTotal_bytes' and s.labels->>'service' = ${svc.slug}`;
    const [promMem] = await promQuery<PromSeries>(
      prometheus,
      'node_memory_MemTotal_bytes{job="node"}',
      Date.now(),
    );
    expect(mem!.value).toBe(Number(promMem!.value![1]));
    console.log(
      `Prometheus vs Sextant (scrape): ${ours.length} node_* series in equal label sets; MemTotal ${mem!.value} on both`,
    );
  });
});
