import { beforeAll, describe, expect, it } from 'vitest';
import { createServiceWithCheck, failure, useTestApi, useUser } from './helpers';

const api = useTestApi();
const maintainer = useUser(api, 'maintainer');
const admin = useUser(api, 'admin');

let environmentId: string;

beforeAll(async () => {
  environmentId = (await admin.client.environments.list.query()).at(-1)!.id;
});

/** The stored row as JSON, without the columns a write always touches and the ones named. */
async function stored(table: string, id: string, ...changed: string[]) {
  const [row] = await api.sql<{ r: Record<string, unknown> }[]>`
    select to_jsonb(t) - 'updated_at' - ${changed}::text[] as r from ${api.sql(table)} t where id = ${id}`;
  return row!.r;
}

/** Runs an update that sends only `field` and expects every other stored column as it was; returns them. */
async function leavesTheRest(table: string, id: string, field: string, update: () => Promise<unknown>) {
  const before = await stored(table, id, field);
  await update();
  expect(await stored(table, id, field)).toEqual(before);
  return before;
}

describe('an update changes only the fields it sends', () => {
  it('services.update: one field leaves the rest, and a maintainer may edit a public service', async () => {
    const service = await admin.client.services.create.mutate({
      name: 'Patched service',
      description: 'v1',
      owner: 'team-a',
      tier: 'critical',
      repositoryUrl: 'https://example.com/repo',
      tags: ['a', 'b'],
      isPublic: true,
    });
    const before = await leavesTheRest('services', service.id, 'description', () =>
      admin.client.services.update.mutate({ id: service.id, patch: { description: 'by admin' } }),
    );
    const saved = await maintainer.client.services.update.mutate({
      id: service.id,
      patch: { description: 'v2' },
    });
    expect(saved).toMatchObject({ description: 'v2', isPublic: true, tier: 'critical', tags: ['a', 'b'] });
    expect(await stored('services', service.id, 'description')).toEqual(before);
  });

  it('checks.update: one field, or one config field, leaves the rest (secrets included)', async () => {
    const { check } = await createServiceWithCheck(maintainer, 'Checked service', {
      kind: 'http',
      name: 'api',
      environmentId,
      intervalSeconds: 120,
      timeoutMs: 3_000,
      failureThreshold: 5,
      successThreshold: 3,
      latencyThresholdMs: 800,
      config: {
        method: 'POST',
        url: 'https://example.com/health',
        headers: { authorization: 'Bearer patch-secret' },
        body: '{}',
        expectedStatus: [{ from: 200, to: 204 }],
        keyword: 'ok',
        followRedirects: false,
      },
    });
    const before = await leavesTheRest('checks', check.id, 'name', () =>
      maintainer.client.checks.update.mutate({ id: check.id, check: { name: 'api v2' } }),
    );
    expect((await stored('checks', check.id)).name).toBe('api v2');

    await maintainer.client.checks.update.mutate({ id: check.id, check: { config: { keyword: 'fine' } } });
    const after = await stored('checks', check.id, 'name');
    expect(after).toEqual({ ...before, config: { ...(before.config as object), keyword: 'fine' } });
  });

  it('heartbeats.update: one field leaves the rest', async () => {
    const service = await maintainer.client.services.create.mutate({ name: 'Beating service' });
    const heartbeat = await maintainer.client.heartbeats.create.mutate({
      service: service.id,
      heartbeat: {
        name: 'nightly',
        environmentId,
        cron: '0 3 * * *',
        timezone: 'Europe/Berlin',
        graceSeconds: 900,
      },
    });
    await leavesTheRest('heartbeats', heartbeat.id, 'name', () =>
      maintainer.client.heartbeats.update.mutate({ id: heartbeat.id, heartbeat: { name: 'nightly v2' } }),
    );
  });

  it('scrapeTargets.update: one field leaves the rest', async () => {
    const service = await maintainer.client.services.create.mutate({ name: 'Scraped service' });
    const target = await maintainer.client.scrapeTargets.create.mutate({
      service: service.id,
      target: {
        environmentId,
        url: 'https://user:scrape-secret@example.com/metrics',
        dropPrefix: 'app_',
        intervalSeconds: 60,
        timeoutMs: 2_000,
        labels: { team: 'a' },
      },
    });
    await leavesTheRest('scrape_targets', target.id, 'labels', () =>
      maintainer.client.scrapeTargets.update.mutate({ id: target.id, target: { labels: { team: 'b' } } }),
    );
  });

  it('a patch that breaks a rule across fields is refused with the field’s path, and nothing is written', async () => {
    const service = await maintainer.client.services.create.mutate({ name: 'Ruled service' });
    const target = await maintainer.client.scrapeTargets.create.mutate({
      service: service.id,
      target: { environmentId, url: 'https://example.com/metrics', intervalSeconds: 30, timeoutMs: 2_000 },
    });
    const before = await stored('scrape_targets', target.id);
    // The stored interval is 30 s, so a 40 s timeout is too long although valid on its own.
    const data = await failure(
      maintainer.client.scrapeTargets.update.mutate({ id: target.id, target: { timeoutMs: 40_000 } }),
    );
    expect(data).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION_FAILED' });
    expect(data.zodError?.issues).toEqual([
      { path: 'target.timeoutMs', message: 'The timeout must be shorter than the interval.' },
    ]);
    expect(await stored('scrape_targets', target.id)).toEqual(before);

    // A check cannot change kind without the new kind's config.
    const check = await maintainer.client.checks.create.mutate({
      service: service.id,
      check: { kind: 'tcp', name: 'db', environmentId, config: { host: 'db.example.com', port: 5432 } },
    });
    const kindChange = await failure(
      maintainer.client.checks.update.mutate({ id: check.id, check: { kind: 'http' } }),
    );
    expect(kindChange).toMatchObject({ code: 'BAD_REQUEST' });
    await maintainer.client.checks.update.mutate({
      id: check.id,
      check: { kind: 'http', config: { url: 'https://db.example.com/health' } },
    });
    expect((await stored('checks', check.id)).config).toEqual({
      method: 'GET',
      url: 'https://db.example.com/health',
      headers: {},
      body: null,
      expectedStatus: [{ from: 200, to: 399 }],
      keyword: null,
      jsonPath: null,
      followRedirects: true,
    });
  });

  it('environments.update and users.update: one field leaves the rest', async () => {
    const env = await admin.client.environments.create.mutate({ name: 'patch-env', isProduction: true });
    const envBefore = await stored('environments', env.id, 'name');
    await admin.client.environments.update.mutate({ id: env.id, name: 'patch-env-2' });
    expect(await stored('environments', env.id, 'name')).toEqual(envBefore);

    const { user } = await admin.client.users.create.mutate({
      email: 'patched@test.local',
      name: 'Pat',
      role: 'maintainer',
    });
    await admin.client.users.update.mutate({ id: user.id, disabled: true });
    const userBefore = await stored('users', user.id, 'name');
    await admin.client.users.update.mutate({ id: user.id, name: 'Patricia' });
    expect(await stored('users', user.id, 'name')).toEqual(userBefore);
  });
});
