import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDatabase, type Database } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMetricPartitions } from '../../src/monitoring/metrics-jobs';
import { refused, type SignedIn, startTestApi, type TestApi } from '../helpers';
import { scrapeDueTargets } from './scrape-once';

let api: TestApi;
let db: Database;
let exporterUrl: string;
let closeExporter: () => void;

beforeAll(async () => {
  api = await startTestApi();
  db = createDatabase(api.databaseUrl, { max: 4 });
  // The exporter listens on loopback, which is refused by default: an admin allows it explicitly.
  const admin = await api.asUser('admin');
  await admin.client.settings.setOutbound.mutate({ deny: [], allow: ['127.0.0.1'] });
  await ensureMetricPartitions(db.sql);
  const server = createServer((_req, res) =>
    res.end('# TYPE queue_depth gauge\nqueue_depth{queue="sms"} 12\n'),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  exporterUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  closeExporter = () => server.close();
});
afterAll(async () => {
  closeExporter?.();
  await db?.close();
  await api?.close();
});

type TargetInput = Parameters<SignedIn['client']['scrapeTargets']['create']['mutate']>[0]['target'];

/** A new maintainer, service and scrape target (in the first environment, unless the input names one). */
async function createTarget(serviceName: string, target: Omit<TargetInput, 'environmentId'>) {
  const maintainer = await api.asUser('maintainer');
  const svc = await maintainer.client.services.create.mutate({ name: serviceName });
  const env = (await maintainer.client.environments.list.query())[0]!;
  const created = await maintainer.client.scrapeTargets.create.mutate({
    service: svc.slug,
    target: { environmentId: env.id, ...target },
  });
  return { maintainer, client: maintainer.client, svc, env, target: created };
}

describe('scrape targets through the API', () => {
  it('a maintainer adds a target; it is scraped into the store under its service and environment', async () => {
    const { client, svc, env, target } = await createTarget('Notifier', {
      url: exporterUrl,
      intervalSeconds: 15,
      labels: { region: 'eu' },
    });
    expect(target).toMatchObject({
      url: exporterUrl,
      intervalSeconds: 15,
      timeoutMs: 5_000,
      lastScrapeAt: null,
    });

    await scrapeDueTargets(db.sql);
    const [listed] = await client.scrapeTargets.list.query({ service: svc.slug });
    expect(listed).toMatchObject({ id: target.id, lastError: null, lastSamples: 1 });
    expect(listed!.lastScrapeAt).toBeInstanceOf(Date);

    const now = Date.now();
    const answer = await client.metrics.query.query({
      selector: {
        name: 'queue_depth',
        matchers: [
          { label: 'service', op: '=', value: svc.slug },
          { label: 'environment', op: '=', value: env.name },
          { label: 'region', op: '=', value: 'eu' },
        ],
      },
      from: new Date(now - 120_000),
      to: new Date(now + 60_000),
      step: 10, // below a minute: read from raw samples, no rollup job needed
      fn: 'max',
    });
    expect(answer.tier).toBe('raw');
    expect(JSON.stringify(answer)).toMatch(/[:,[]12[,}\]]/); // the scraped value, whatever the answer's shape

    const [audit] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from audit_log where action = 'scrape_target.create' and target_id = ${target.id}`;
    expect(audit!.n).toBe(1);
  });

  it('rejects bad input with field errors and saves nothing; a duplicate is a conflict', async () => {
    const { client } = await api.asUser('maintainer');
    const svc = await client.services.create.mutate({ name: 'Scrape input' });
    const env = (await client.environments.list.query())[0]!;
    const base = { environmentId: env.id, url: 'http://exporter.test:9100/metrics' };
    const cases: Array<[string, unknown]> = [
      ['not a URL', { ...base, url: 'exporter:9100' }],
      ['file scheme', { ...base, url: 'file:///etc/passwd' }],
      ['interval 0', { ...base, intervalSeconds: 0 }],
      ['timeout not below interval', { ...base, intervalSeconds: 5, timeoutMs: 5_000 }],
      ['reserved label', { ...base, labels: { service: 'other' } }],
      ['bad label name', { ...base, labels: { '1abc': 'x' } }],
      ['bad prefix', { ...base, dropPrefix: 'my-app_' }],
    ];
    for (const [label, target] of cases) {
      const { data } = await refused(
        client.scrapeTargets.create.mutate({ service: svc.slug, target: target as never }),
      );
      expect(data.code, label).toBe('BAD_REQUEST');
      expect(Object.keys(data.zodError?.fieldErrors ?? {}), label).toContain('target');
    }
    expect(await client.scrapeTargets.list.query({ service: svc.slug })).toEqual([]);

    await client.scrapeTargets.create.mutate({ service: svc.slug, target: base });
    const dup = await refused(client.scrapeTargets.create.mutate({ service: svc.slug, target: base }));
    expect(dup.data.code).toBe('CONFLICT');
    expect(dup.message).toBe('This endpoint is already scraped in that environment.');
    expect(await client.scrapeTargets.list.query({ service: svc.slug })).toHaveLength(1);
  });

  it('nobody sees URL credentials, viewers cannot change targets; pause, edit and delete are audited', async () => {
    const { maintainer, svc, env, target } = await createTarget('Secretive', {
      url: 'https://scraper:s3cret@exporter.test/metrics?token=t0ken',
    });
    const mask = '%E2%80%A2'.repeat(8);
    const masked = `https://${mask}:${mask}@exporter.test/metrics?token=${mask}`;
    expect(target).toMatchObject({
      url: masked,
      masked: ['url.username', 'url.password', 'url.query.token'],
    });
    const viewer = await api.asUser('viewer');
    const [seen] = await viewer.client.scrapeTargets.list.query({ service: svc.slug });
    expect(seen!.url).toBe(masked);
    expect((await maintainer.client.scrapeTargets.list.query({ service: svc.slug }))[0]!.url).toBe(masked);
    const forbidden = await refused(viewer.client.scrapeTargets.delete.mutate({ id: target.id }));
    expect(forbidden.data.code).toBe('FORBIDDEN');

    await maintainer.client.scrapeTargets.setPaused.mutate({ id: target.id, paused: true });
    // Sending the masked URL back keeps the stored user name, password and token.
    await maintainer.client.scrapeTargets.update.mutate({
      id: target.id,
      target: { environmentId: env.id, url: masked, intervalSeconds: 60 },
    });
    const [stored] = await db.sql<{ url: string }[]>`select url from scrape_targets where id = ${target.id}`;
    expect(stored!.url).toBe('https://scraper:s3cret@exporter.test/metrics?token=t0ken');
    await maintainer.client.scrapeTargets.delete.mutate({ id: target.id });
    expect(await viewer.client.scrapeTargets.list.query({ service: svc.slug })).toEqual([]);
    const actions = await db.sql<{ action: string; diff: unknown }[]>`
      select action, diff from audit_log where target_id = ${target.id} order by id`;
    expect(actions.map((a) => a.action)).toEqual([
      'scrape_target.create',
      'scrape_target.pause',
      'scrape_target.update',
      'scrape_target.delete',
    ]);
    // The audit trail never holds them either.
    expect(JSON.stringify(actions)).not.toMatch(/scraper|s3cret|t0ken/);
  });

  it('an edit that replaces a URL secret says which one in the audit trail, never its value', async () => {
    const { maintainer, env, target } = await createTarget('Rotating exporter', {
      url: 'https://exporter.test/metrics?token=old-t0ken',
    });
    const mask = '%E2%80%A2'.repeat(8);
    for (const token of [mask, 'new-t0ken'])
      await maintainer.client.scrapeTargets.update.mutate({
        id: target.id,
        target: { environmentId: env.id, url: `https://exporter.test/metrics?token=${token}` },
      });
    const updates = await db.sql<{ diff: { after: Record<string, unknown> } }[]>`
      select diff from audit_log where action = 'scrape_target.update' and target_id = ${target.id} order by id`;
    expect(updates.map((u) => u.diff.after.maskedChanged)).toEqual([undefined, ['url.query.token']]);
    expect(JSON.stringify(updates)).not.toMatch(/t0ken/);
  });
});
