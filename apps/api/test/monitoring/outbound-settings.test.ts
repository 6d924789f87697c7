import { beforeAll, describe, expect, it } from 'vitest';
import { refused, useTestApi, useUser } from '../helpers';

const api = useTestApi();
const admin = useUser(api, 'admin');
const maintainer = useUser(api, 'maintainer');

let envId: string;

beforeAll(async () => {
  envId = (await api.sql<{ id: string }[]>`select id from environments order by position limit 1`)[0]!.id;
});

const httpCheck = (url: string, name = 'c') => ({
  kind: 'http' as const,
  name,
  environmentId: envId,
  config: { url },
});

describe('outbound policy: create-time refusal of literal targets', () => {
  it('refuses loopback, metadata and NAT64 literals with a coded error naming the way out', async () => {
    const svc = await maintainer.client.services.create.mutate({ name: 'Literal targets' });
    for (const url of [
      'http://127.0.0.1:8080/health',
      'http://[::1]:8080/health',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:127.0.0.1]/',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://0.0.0.0:5432/',
    ]) {
      const { data, message } = await refused(
        maintainer.client.checks.create.mutate({ service: svc.id, check: httpCheck(url) }),
      );
      expect(data, url).toMatchObject({ code: 'BAD_REQUEST', appCode: 'TARGET_DENIED' });
      expect(message, url).toContain('an admin can allow it under Settings → Outbound');
    }
    const tcp = await refused(
      maintainer.client.checks.create.mutate({
        service: svc.id,
        check: { kind: 'tcp', name: 't', environmentId: envId, config: { host: '127.0.0.1', port: 5432 } },
      }),
    );
    expect(tcp.data.appCode).toBe('TARGET_DENIED');
    const scrape = await refused(
      maintainer.client.scrapeTargets.create.mutate({
        service: svc.slug,
        target: { environmentId: envId, url: 'http://127.0.0.1:9100/metrics' },
      }),
    );
    expect(scrape.data.appCode).toBe('TARGET_DENIED');
    // Private ranges stay reachable by default, and names are vetted when the probe resolves them.
    await maintainer.client.checks.create.mutate({ service: svc.id, check: httpCheck('http://10.1.2.3/') });
    await maintainer.client.checks.create.mutate({
      service: svc.id,
      check: httpCheck('http://db.internal/'),
    });
    const [n] = await api.sql<
      { n: number }[]
    >`select count(*)::int as n from checks where service_id = ${svc.id}`;
    expect(n!.n).toBe(2);
  });
});

describe('outbound policy: admin settings', () => {
  it('only admins read it, only signed-in admins change it', async () => {
    const viewer = await api.asUser('viewer');
    expect((await refused(viewer.client.settings.outbound.query())).data.code).toBe('FORBIDDEN');
    expect((await refused(maintainer.client.settings.outbound.query())).data.code).toBe('FORBIDDEN');
    const change = { deny: [], allow: ['127.0.0.1'] };
    expect((await refused(maintainer.client.settings.setOutbound.mutate(change))).data.code).toBe(
      'FORBIDDEN',
    );
    const adminKey = await api.withKey('admin');
    expect((await refused(adminKey.client.settings.setOutbound.mutate(change))).data.code).toBe('FORBIDDEN');
    const [row] = await api.sql<
      { n: number }[]
    >`select count(*)::int as n from settings where key like 'probe.%'`;
    expect(row!.n).toBe(0);
  });

  it('shows the built-in rules and the preset; an allow entry opens a literal target, audited', async () => {
    const policy = await admin.client.settings.outbound.query();
    expect(policy.deny).toEqual([]);
    expect(policy.allow).toEqual([]);
    const builtIn = policy.builtIn.map((r) => r.cidr);
    for (const cidr of [
      '127.0.0.0/8',
      '::1/128',
      '169.254.0.0/16',
      '0.0.0.0/8',
      'fd00:ec2::254/128',
      '100.100.100.200/32',
      '168.63.129.16/32',
    ])
      expect(builtIn).toContain(cidr);
    expect(policy.privateNetworks).toEqual(
      expect.arrayContaining(['10.0.0.0/8', '192.168.0.0/16', 'fc00::/7']),
    );

    const svc = await maintainer.client.services.create.mutate({ name: 'Allowed literal' });
    await admin.client.settings.setOutbound.mutate({ deny: [], allow: ['127.0.0.1', '[::1]:8080'] });
    await maintainer.client.checks.create.mutate({
      service: svc.id,
      check: httpCheck('http://127.0.0.1:8080/health', 'v4'),
    });
    await maintainer.client.checks.create.mutate({
      service: svc.id,
      check: httpCheck('http://[::1]:8080/', 'v6'),
    });
    // The entry names a port: the same address on another port is still refused.
    expect(
      (
        await refused(
          maintainer.client.checks.create.mutate({ service: svc.id, check: httpCheck('http://[::1]:9090/') }),
        )
      ).data.appCode,
    ).toBe('TARGET_DENIED');

    // The one-click preset: private networks are refused too.
    await admin.client.settings.setOutbound.mutate({
      deny: [...policy.privateNetworks],
      allow: ['127.0.0.1'],
    });
    const priv = await refused(
      maintainer.client.checks.create.mutate({ service: svc.id, check: httpCheck('http://10.1.2.3/') }),
    );
    expect(priv.data.appCode).toBe('TARGET_DENIED');
    expect(priv.message).toMatch(/^10\.1\.2\.3 is in 10\.0\.0\.0\/8, which an admin denied/);

    const audit = await api.sql<{ actor_label: string; diff: { before: unknown; after: unknown } }[]>`
      select actor_label, diff from audit_log where action = 'settings.outbound' order by id`;
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({
      actor_label: admin.email,
      diff: { before: { allow: [] }, after: { allow: ['127.0.0.1', '[::1]:8080'] } },
    });
  });

  it('rejects unreadable entries with field errors and keeps the old lists', async () => {
    const before = await admin.client.settings.outbound.query();
    for (const [deny, allow] of [
      [['10.0.0.0/33'], []],
      [['192.168/16'], []],
      [[], ['nonsense']],
      [[], ['127.0.0.1:70000']],
      [[], ['[::1]:0']],
    ] as const) {
      const { data } = await refused(
        admin.client.settings.setOutbound.mutate({ deny: [...deny], allow: [...allow] }),
      );
      expect(data.code, `${deny} ${allow}`).toBe('BAD_REQUEST');
    }
    expect(await admin.client.settings.outbound.query()).toMatchObject({
      deny: before.deny,
      allow: before.allow,
    });
  });
});
