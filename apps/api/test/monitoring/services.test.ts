import { beforeAll, describe, expect, it } from 'vitest';
import { failure, useTestApi } from '../helpers';

const api = useTestApi();

beforeAll(async () => {
  // Loopback targets are refused by default; these tests name 127.0.0.1, so an admin allows it explicitly.
  const admin = await api.asUser('admin');
  await admin.client.settings.setOutbound.mutate({ deny: [], allow: ['127.0.0.1'] });
});

describe('services', () => {
  it('names are unique regardless of case; renames keep the id', async () => {
    const { client } = await api.asUser('maintainer');
    const svc = await client.services.create.mutate({
      name: 'Payments API',
      tier: 'critical',
      tags: ['pay'],
    });
    expect(svc.slug).toBe('payments-api');
    expect((await failure(client.services.create.mutate({ name: 'payments api' }))).code).toBe('CONFLICT');
    const renamed = await client.services.update.mutate({ id: svc.id, patch: { name: 'Payments' } });
    expect(renamed.id).toBe(svc.id);
    expect(renamed.name).toBe('Payments');
  });
});

describe('bad check input', () => {
  it('is rejected with a field error and saves nothing', async () => {
    const { client } = await api.asUser('maintainer');
    const svc = await client.services.create.mutate({ name: 'Bad input target' });
    const [env] = await api.sql<{ id: string }[]>`select id from environments order by position limit 1`;
    const base = {
      kind: 'http' as const,
      name: 'c',
      environmentId: env!.id,
      config: { url: 'https://example.test/' },
    };
    const cases: Array<[string, unknown]> = [
      ['invalid URL', { ...base, config: { url: 'not a url' } }],
      ['ftp scheme', { ...base, config: { url: 'ftp://example.test/file' } }],
      ['file scheme', { ...base, config: { url: 'file:///etc/passwd' } }],
      ['interval 0', { ...base, intervalSeconds: 0 }],
      ['negative timeout', { ...base, timeoutMs: -5 }],
      [
        'oversized header',
        { ...base, config: { ...base.config, headers: { 'x-big': 'a'.repeat(100_000) } } },
      ],
      ['header injection', { ...base, config: { ...base.config, headers: { 'x-a': 'b\r\nx-evil: 1' } } }],
    ];
    for (const [label, check] of cases) {
      const data = await failure(client.checks.create.mutate({ service: svc.id, check: check as never }));
      expect(data.code, label).toBe('BAD_REQUEST');
      expect(Object.keys(data.zodError?.fieldErrors ?? {}), label).toContain('check');
    }
    // A 10 MB header never reaches validation: the body limit refuses it first, as a 413.
    const res = await fetch(`${api.baseUrl}/trpc/checks.create`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${(await api.withKey('maintainer')).key}`,
      },
      body: JSON.stringify({
        json: {
          service: svc.id,
          check: { ...base, config: { ...base.config, headers: { 'x-big': 'a'.repeat(10 * 1024 * 1024) } } },
        },
      }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      error: {
        json: {
          message: 'The request body is larger than the 1048576-byte limit.',
          data: { code: 'PAYLOAD_TOO_LARGE' },
        },
      },
    });
    const [row] = await api.sql<
      { n: number }[]
    >`select count(*)::int as n from checks where service_id = ${svc.id}`;
    expect(row!.n).toBe(0);
  });

  it('viewers cannot create checks', async () => {
    const maintainer = await api.asUser('maintainer');
    const svc = await maintainer.client.services.create.mutate({ name: 'Viewer target' });
    const viewer = await api.asUser('viewer');
    const [env] = await api.sql<{ id: string }[]>`select id from environments order by position limit 1`;
    const data = await failure(
      viewer.client.checks.create.mutate({
        service: svc.id,
        check: { kind: 'tcp', name: 'db', environmentId: env!.id, config: { host: '127.0.0.1', port: 5432 } },
      }),
    );
    expect(data.code).toBe('FORBIDDEN');
  });
});

describe('service discovery', () => {
  it('lists only live instances; expired ones disappear', async () => {
    const maintainer = await api.asUser('maintainer');
    await maintainer.client.services.create.mutate({ name: 'Orders' });
    const { client } = await api.withKey('maintainer');
    const a = await client.discovery.register.mutate({
      service: 'orders',
      environment: 'dev',
      host: '10.0.0.1',
      port: 8080,
      version: '1.2.3',
      ttlSeconds: 30,
    });
    await client.discovery.register.mutate({
      service: 'orders',
      environment: 'DEV',
      host: '10.0.0.2',
      port: 8080,
      ttlSeconds: 5,
    });
    expect(
      (await client.discovery.list.query({ service: 'orders', environment: 'DEV' })).map((i) => i.host),
    ).toEqual(['10.0.0.1', '10.0.0.2']);
    await api.sql`update instances set expires_at = now() - interval '1 second' where host = '10.0.0.2'`;
    expect((await client.discovery.list.query({ service: 'orders' })).map((i) => i.host)).toEqual([
      '10.0.0.1',
    ]);
    await client.discovery.heartbeat.mutate({ id: a.id });
    await client.discovery.deregister.mutate({ id: a.id });
    expect(await client.discovery.list.query({ service: 'orders' })).toEqual([]);
  });
});

describe('public status', () => {
  it('shows only public services and nothing private', async () => {
    // Publishing on the status page is an admin's decision.
    const { client } = await api.asUser('admin');
    const pub = await client.services.create.mutate({ name: 'Public web', isPublic: true });
    await client.services.create.mutate({ name: 'Internal batch', isPublic: false });
    const [env] = await api.sql<{ id: string }[]>`select id from environments order by position limit 1`;
    await client.checks.create.mutate({
      service: pub.id,
      check: {
        kind: 'http',
        name: 'secret-check-name',
        environmentId: env!.id,
        config: { url: 'http://10.1.2.3:9999/private' },
      },
    });
    const status = await api.client.status.get.query();
    expect(status.services.map((s) => s.name)).toEqual(['Public web']);
    expect(status.services[0]!.bars).toHaveLength(90);
    const text = JSON.stringify(status);
    for (const secret of ['10.1.2.3', 'private', 'secret-check-name', 'Internal batch'])
      expect(text).not.toContain(secret);
  });
});

describe('pausing', () => {
  it('records paused and resumed as state changes, so paused time is excluded from uptime', async () => {
    const { client } = await api.asUser('maintainer');
    const svc = await client.services.create.mutate({ name: 'Pausable' });
    const [env] = await api.sql<{ id: string }[]>`select id from environments order by position limit 1`;
    const check = await client.checks.create.mutate({
      service: svc.id,
      check: { kind: 'tcp', name: 'db', environmentId: env!.id, config: { host: '127.0.0.1', port: 9 } },
    });
    expect((await client.checks.setPaused.mutate({ id: check.id, paused: true })).status).toBe('paused');
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await client.checks.setPaused.mutate({ id: check.id, paused: false })).status).toBe('unknown');
    const events = await api.sql<{ from_status: string; to_status: string; cause: string }[]>`
      select from_status, to_status, cause from monitor_events where check_id = ${check.id} order by at, id`;
    expect(events.map((e) => `${e.from_status}>${e.to_status}:${e.cause}`)).toEqual([
      'unknown>paused:paused',
      'paused>unknown:resumed',
    ]);
    const uptime = await client.checks.uptime.query({ id: check.id });
    expect(uptime['24h']!.excludedSeconds).toBeGreaterThanOrEqual(1);
    expect(uptime['24h']!.uptime).toBeNull();
  });
});
