import { beforeAll, describe, expect, it } from 'vitest';
import { type SignedIn, useTestApi } from './helpers';

describe('GET /v1/rollouts/:service/:environment and POST …/status (the deploy tool edge)', () => {
  const api = useTestApi({ API_RATE_LIMIT_PER_MIN: '0' });
  let maintainer: SignedIn;
  let service: string;
  let writer: string;
  let reader: string;
  beforeAll(async () => {
    maintainer = await api.asUser('maintainer');
    service = (await maintainer.client.services.create.mutate({ name: `Canaried ${Date.now()}` })).slug;
    writer = (await api.withKey('maintainer')).key;
    reader = (await api.withKey('viewer')).key;
    const c = maintainer.client;
    await c.deployments.report.mutate({ service, environment: 'DEV', version: '1.0.0', state: 'succeeded' });
    await c.deployments.report.mutate({ service, environment: 'DEV', version: '2.0.0', state: 'failed' });
    await c.rollouts.start.mutate({
      service,
      environment: 'DEV',
      release: '2.0.0',
      steps: [{ type: 'setWeight', weight: 25 }, { type: 'pause' }],
    });
  });

  const url = (suffix = '') => `${api.baseUrl}/v1/rollouts/${service}/DEV${suffix}`;
  const get = (key: string | null, headers: Record<string, string> = {}) =>
    fetch(url(), { headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } });
  const post = (key: string | null, body: unknown) =>
    fetch(url('/status'), {
      method: 'POST',
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const audits = () =>
    api.sql<{ n: number }[]>`select count(*)::int as n from audit_log`.then((rows) => rows[0]!.n);

  it('answers the desired state to any key, 304 while it is unchanged, 401 without a key', async () => {
    expect((await get(null)).status).toBe(401);
    const first = await get(reader);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      version: '2.0.0',
      weight: 25,
      stableVersion: '1.0.0',
      state: 'progressing',
    });
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await get(reader, { 'if-none-match': etag });
    expect(again.status).toBe(304);
  });

  it('takes the report-back from a maintainer key: the setWeight step is done and the ETag changes', async () => {
    const before = await get(reader);
    const etag = before.headers.get('etag')!;
    const audited = await audits();
    expect((await post(reader, { version: '2.0.0', weight: 25 })).status).toBe(403);
    const bad = await post(writer, { version: '2.0.0', weight: 250 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await audits()).toBe(audited);
    const ok = await post(writer, { version: '2.0.0', weight: 25 });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ state: 'paused', weight: 25 });
    const after = await get(reader, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ state: 'paused' });
  });

  it('refuses before any work, coded, changing nothing: key before body, size, encoding, media type, shape', async () => {
    const audited = await audits();
    const raw = (key: string | null, body: string, headers: Record<string, string> = {}) =>
      fetch(url('/status'), {
        method: 'POST',
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          'content-type': 'application/json',
          ...headers,
        },
        body,
      });
    const big = JSON.stringify({ version: '2.0.0', weight: 25, pad: 'x'.repeat(8_000) });
    const noKey = await raw(null, big);
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    const tooBig = await raw(writer, big);
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const zipped = await raw(writer, '{}', { 'content-encoding': 'gzip' });
    expect(zipped.status).toBe(415);
    expect(await zipped.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    const text = await raw(writer, 'weight=25', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    const notJson = await raw(writer, '{"version":');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const list = await raw(writer, '[{"version":"2.0.0","weight":25}]');
    expect(list.status).toBe(400);
    const nul = await post(writer, { version: '2.0.0\u0000', weight: 25 });
    expect(nul.status).toBe(400);
    expect(await nul.json()).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: 'version' }] });
    expect(await audits()).toBe(audited);
  });

  it('404 {code, message} for a service without a rollout', async () => {
    const other = (await maintainer.client.services.create.mutate({ name: `Quiet ${Date.now()}` })).slug;
    const r = await fetch(`${api.baseUrl}/v1/rollouts/${other}/DEV`, {
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});
