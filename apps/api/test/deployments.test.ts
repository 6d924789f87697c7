import { beforeAll, describe, expect, it } from 'vitest';
import { type SignedIn, useTestApi } from './helpers';

describe('POST /v1/deployments (requirement 1 for CI that is not TypeScript)', () => {
  const api = useTestApi({ API_RATE_LIMIT_PER_MIN: '0' });
  let maintainer: SignedIn;
  let service: string;
  let writer: string;
  let reader: string;
  beforeAll(async () => {
    maintainer = await api.asUser('maintainer');
    service = (await maintainer.client.services.create.mutate({ name: `Deployed ${Date.now()}` })).slug;
    writer = (await api.withKey('maintainer')).key;
    reader = (await api.withKey('viewer')).key;
  });

  const post = async (key: string | null, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${api.baseUrl}/v1/deployments`, {
      method: 'POST',
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        'content-type': 'application/json',
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
  };
  const stored = () =>
    api.sql<{ d: number; r: number; a: number }[]>`
      select (select count(*) from deployments)::int as d, (select count(*) from releases)::int as r,
             (select count(*) from audit_log)::int as a`.then((rows) => rows[0]!);
  const report = (over: Record<string, unknown> = {}) => ({
    service,
    environment: 'DEV',
    version: '1.2.3',
    commitSha: 'deadbeef',
    commits: [{ sha: 'deadbeef', committedAt: '2026-11-30T09:00:00Z', message: 'Fix it' }],
    state: 'in_progress',
    externalId: `gh-${Math.random().toString(36).slice(2)}`,
    ...over,
  });

  it('401 {code, message} without a key or with a bad one; nothing stored', async () => {
    const before = await stored();
    for (const key of [null, 'sx_not_a_real_key']) {
      const r = await post(key, report());
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ code: 'UNAUTHORIZED' });
      expect(typeof r.body.message).toBe('string');
    }
    expect(await stored()).toEqual(before);
  });

  it('403 FORBIDDEN with a viewer key; nothing stored', async () => {
    const before = await stored();
    const r = await post(reader, report());
    expect(r).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await stored()).toEqual(before);
  });

  it('201 with the deployment, then 200 with the same id for a replay (nothing added), then 200 for the next state', async () => {
    const body = report();
    const first = await post(writer, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ created: true, replayed: false, state: 'in_progress' });
    const made = await stored();
    const replay = await post(writer, body);
    expect(replay).toMatchObject({
      status: 200,
      body: { id: first.body.id, created: false, replayed: true },
    });
    expect(await stored()).toEqual(made);
    const done = await post(writer, { ...body, state: 'succeeded' });
    expect(done).toMatchObject({
      status: 200,
      body: { id: first.body.id, state: 'succeeded', replayed: false },
    });
    // The typed API sees the same deployment.
    const shown = await maintainer.client.deployments.get.query({ id: first.body.id as string });
    expect(shown).toMatchObject({ service, environment: 'DEV', version: '1.2.3', state: 'succeeded' });
  });

  it('400 on bad JSON and on an invalid report (issues name the field); nothing stored', async () => {
    const before = await stored();
    const bad = await post(writer, '{"service": ');
    expect(bad).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    const invalid = await post(writer, report({ commitSha: 'xyz' }));
    expect(invalid).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(invalid.body.issues).toEqual([expect.objectContaining({ path: 'commitSha' })]);
    expect(await stored()).toEqual(before);
  });

  it('coded refusals map to their status: unknown service 404, illegal transition 409; nothing stored', async () => {
    const body = report({ state: 'succeeded' });
    expect((await post(writer, body)).status).toBe(201);
    const before = await stored();
    const unknown = await post(writer, report({ service: 'no-such-service' }));
    expect(unknown).toMatchObject({ status: 404, body: { code: 'SERVICE_NOT_FOUND' } });
    const env = await post(writer, report({ environment: 'MARS' }));
    expect(env).toMatchObject({ status: 404, body: { code: 'ENVIRONMENT_NOT_FOUND' } });
    const back = await post(writer, { ...body, state: 'queued' });
    expect(back).toMatchObject({ status: 409, body: { code: 'DEPLOYMENT_ILLEGAL_TRANSITION' } });
    expect(await stored()).toEqual(before);
  });

  it('415 for a body that is not JSON; 413 past the body limit', async () => {
    const text = await post(writer, 'service=x', { 'content-type': 'text/plain' });
    expect(text).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    const huge = await post(writer, report({ notes: 'x'.repeat(1_100_000) }));
    expect(huge).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
  });
});
