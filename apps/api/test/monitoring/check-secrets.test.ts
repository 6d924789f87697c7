import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDatabase, type Database } from '@sextant/db';
import type { HttpConfig } from '@sextant/db/check-config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceWithCheck, refused, startTestApi, type TestApi } from '../helpers';
import { withOutbound } from '../probe/checks';
import { scheduler, until } from './fixtures';

let api: TestApi;
let db: Database;
let target: Server;
let targetPort: number;
/** What the target saw on its last request. */
let seen: { authorization?: string; apiKey?: string; cookie?: string; custom?: string; body: string } | null =
  null;

const SECRETS = [
  'url-pass-S1',
  'query-S2',
  'hdr-auth-S3',
  'hdr-key-S4',
  'hdr-cookie-S5',
  'hdr-custom-S6',
  'body-S7',
] as const;

function secretConfig(host: string) {
  return {
    method: 'POST' as const,
    url: `http://probe:url-pass-S1@${host}/secure?token=query-S2&plain=visible`,
    headers: {
      Authorization: 'Bearer hdr-auth-S3',
      'X-Api-Key': 'hdr-key-S4',
      Cookie: 'session=hdr-cookie-S5',
      'X-Tenant': 'hdr-custom-S6',
      Accept: 'application/json',
    },
    body: 'body-S7',
    expectedStatus: [{ from: 200, to: 299 }],
  };
}

beforeAll(async () => {
  api = await startTestApi();
  db = createDatabase(api.databaseUrl, { max: 4 });
  // Answers 200 only when every secret arrives, so a check that lost one goes DOWN.
  target = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen = {
        authorization: req.headers.authorization,
        apiKey: req.headers['x-api-key'] as string | undefined,
        cookie: req.headers.cookie,
        custom: req.headers['x-tenant'] as string | undefined,
        body: Buffer.concat(chunks).toString(),
      };
      const ok =
        seen.authorization === 'Bearer hdr-auth-S3' &&
        seen.apiKey === 'hdr-key-S4' &&
        seen.cookie === 'session=hdr-cookie-S5' &&
        seen.custom === 'hdr-custom-S6' &&
        seen.body === 'body-S7' &&
        req.url === '/secure?token=query-S2&plain=visible';
      res.statusCode = ok ? 200 : 401;
      res.end(ok ? 'ok' : 'missing secret');
    });
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  targetPort = (target.address() as AddressInfo).port;
});
afterAll(async () => {
  target?.close();
  await db?.close();
  await api?.close();
});

async function environmentId() {
  const [env] = await db.sql<{ id: string }[]>`select id from environments order by position limit 1`;
  return env!.id;
}

/** A new maintainer, and a service of theirs with one HTTP check that carries every secret and calls `host`. */
async function secretCheck(serviceName: string, checkName: string, host: string) {
  const maintainer = await api.asUser('maintainer');
  const created = await createServiceWithCheck(maintainer, serviceName, {
    kind: 'http',
    name: checkName,
    environmentId: await environmentId(),
    config: secretConfig(host),
  });
  return { maintainer, svc: created.service, created: created.check };
}

function expectNoSecret(label: string, value: unknown) {
  const text = JSON.stringify(value);
  for (const secret of SECRETS) expect(text, `${label} holds ${secret}`).not.toContain(secret);
}

async function auditRows(targetId: string) {
  return db.sql<{ row: unknown }[]>`
    select row_to_json(a) as row from audit_log a where target_id = ${targetId} order by id`;
}

describe('secrets in checks', () => {
  it('are masked for viewer, maintainer and admin, and never reach the audit log', async () => {
    const { maintainer, svc, created } = await secretCheck('Secret keeper', 'guarded', 'api.example.test');
    expectNoSecret('checks.create answer', created);

    for (const role of ['viewer', 'maintainer', 'admin'] as const) {
      const { client } = await api.asUser(role);
      const detail = await client.services.get.query({ id: svc.slug });
      expectNoSecret(`services.get as ${role}`, detail);
      const [check] = detail.checks;
      const config = check!.config as { url: string; headers: Record<string, string>; body: string };
      // Masked, not dropped: the form shows that a value is stored, and what is not secret stays readable.
      expect(config.url).not.toContain('probe');
      expect(config.url).toContain('api.example.test/secure');
      expect(config.url).toContain('plain=visible');
      expect(config.headers.Accept).toBe('application/json');
      expect(Object.keys(config.headers).sort()).toEqual(
        ['Accept', 'Authorization', 'Cookie', 'X-Api-Key', 'X-Tenant'].sort(),
      );
      expect(check!.masked.sort()).toEqual(
        [
          'body',
          'headers.Authorization',
          'headers.Cookie',
          'headers.X-Api-Key',
          'headers.X-Tenant',
          'url.password',
          'url.query.token',
          'url.username',
        ].sort(),
      );
    }

    // A real edit of the secrets themselves: still nothing in the trail.
    const replaced = secretConfig('api.example.test');
    replaced.headers.Authorization = 'Bearer hdr-auth-S3-rotated';
    const updated = await maintainer.client.checks.update.mutate({
      id: created.id,
      check: { kind: 'http', name: 'guarded', environmentId: await environmentId(), config: replaced },
    });
    expectNoSecret('checks.update answer', updated);
    expect(JSON.stringify(updated)).not.toContain('rotated');

    const rows = await auditRows(created.id);
    expect(rows.length).toBe(2);
    expectNoSecret('audit rows', rows);
    expect(JSON.stringify(rows)).not.toContain('rotated');
    // The trail still says which secret changed, without its value.
    expect(JSON.stringify(rows[1])).toContain('headers.Authorization');
  });

  it('a user name alone (a token as the user) and jwt, bearer, private_token values are masked too', async () => {
    const userOnly = ['USERONLYTOKEN', 'jwt-S8', 'bearer-S9', 'private-S10'];
    const url = (path: string) =>
      `https://glpat-USERONLYTOKEN@gitlab.example.com${path}?jwt=jwt-S8&bearer=bearer-S9&private_token=private-S10&plain=visible`;
    const maintainer = await api.asUser('maintainer');
    const envId = await environmentId();
    const { service: svc, check } = await createServiceWithCheck(maintainer, 'User only', {
      kind: 'http',
      name: 'gitlab',
      environmentId: envId,
      config: { url: url('/api/v4/version') },
    });
    const target = await maintainer.client.scrapeTargets.create.mutate({
      service: svc.id,
      target: { environmentId: envId, url: url('/-/metrics') },
    });
    const { client } = await api.asUser('viewer');
    const shownCheck = (await client.services.get.query({ id: svc.slug })).checks[0]!;
    const [shownTarget] = await client.scrapeTargets.list.query({ service: svc.slug });
    const rows = [...(await auditRows(check.id)), ...(await auditRows(target.id))];
    expect(rows.length).toBe(2);
    for (const [label, value] of [
      ['services.get', shownCheck],
      ['scrapeTargets.list', shownTarget],
      ['audit rows', rows],
    ] as const) {
      const text = JSON.stringify(value);
      for (const secret of userOnly) expect(text, `${label} holds ${secret}`).not.toContain(secret);
      expect(text, label).toContain('plain=visible');
      expect(text, label).toContain('gitlab.example.com');
    }
    const paths = ['url.query.bearer', 'url.query.jwt', 'url.query.private_token', 'url.username'];
    expect(shownCheck.masked.sort()).toEqual(paths);
    expect(shownTarget!.masked.sort()).toEqual(paths);
  });

  it('an edit that sends the masks back keeps the stored secrets, and the probe sends them', async () => {
    const admin = await api.asUser('admin');
    await admin.client.settings.setOutbound.mutate({ deny: [], allow: ['127.0.0.1'] });
    const envId = await environmentId();
    const { maintainer, svc, created } = await secretCheck('Kept secrets', 'kept', `127.0.0.1:${targetPort}`);

    // What the console does: read the check, change only its name, send the rest back as it came.
    const detail = await maintainer.client.services.get.query({ id: svc.slug });
    const shown = detail.checks[0]!;
    await maintainer.client.checks.update.mutate({
      id: created.id,
      check: {
        kind: 'http',
        name: 'kept, renamed',
        environmentId: envId,
        intervalSeconds: shown.intervalSeconds,
        timeoutMs: 2_000,
        config: shown.config as HttpConfig,
      },
    });
    expectNoSecret('audit rows', await auditRows(created.id));

    await db.sql`update checks set next_run_at = now() where id = ${created.id}`;
    const sched = scheduler(db, 'secrets-test', {
      probeOptions: async () => withOutbound({ allow: ['127.0.0.1'] }),
    });
    sched.start();
    try {
      const [result] = await until(
        () =>
          db.sql<{ ok: boolean; http_status: number | null }[]>`
            select ok, http_status from check_results where check_id = ${created.id}`,
        (rows) => rows.length > 0,
        10_000,
      );
      expect(result).toMatchObject({ ok: true, http_status: 200 });
      expect(seen).toMatchObject({
        authorization: 'Bearer hdr-auth-S3',
        apiKey: 'hdr-key-S4',
        body: 'body-S7',
      });
    } finally {
      await sched.stop();
    }
  });

  it('refuses to keep a masked secret when the URL moves to another origin', async () => {
    const envId = await environmentId();
    const { maintainer, svc, created } = await secretCheck('Moving target', 'moving', 'api.example.test');
    const shown = (await maintainer.client.services.get.query({ id: svc.slug })).checks[0]!;
    const config = shown.config as HttpConfig;
    const { data, message } = await refused(
      maintainer.client.checks.update.mutate({
        id: created.id,
        check: {
          kind: 'http',
          name: 'moving',
          environmentId: envId,
          config: { ...config, url: config.url.replace('api.example.test', 'collector.evil.test') },
        },
      }),
    );
    expect(data).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION_FAILED' });
    expect(message).toMatch(/another origin/);
    const [stored] = await db.sql<
      { url: string }[]
    >`select config->>'url' as url from checks where id = ${created.id}`;
    expect(stored!.url).toContain('api.example.test');
  });

  it('a new check cannot be created with a mask in place of a secret', async () => {
    const { maintainer, svc, created: first } = await secretCheck('Mask only', 'first', 'a.example.test');
    const mask = (first.config as { headers: Record<string, string> }).headers.Authorization!;
    const { data, message } = await refused(
      maintainer.client.checks.create.mutate({
        service: svc.id,
        check: {
          kind: 'http',
          name: 'second',
          environmentId: await environmentId(),
          config: { url: 'https://a.example.test/', headers: { Authorization: mask } },
        },
      }),
    );
    expect(data).toMatchObject({ code: 'BAD_REQUEST' });
    expect(message).toMatch(/no stored value/i);
  });
});
