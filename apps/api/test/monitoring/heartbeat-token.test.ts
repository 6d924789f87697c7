import { describe, expect, it } from 'vitest';
import { useTestApi, useUser } from '../helpers';

const logs: Array<Record<string, unknown>> = [];
const api = useTestApi({}, { logs });
const maintainer = useUser(api, 'maintainer');

const ping = (path: string) => fetch(`${api.baseUrl}${path}`).then((r) => r.status);

async function newHeartbeat(name: string) {
  const svc = await maintainer.client.services.create.mutate({ name });
  const hb = await maintainer.client.heartbeats.create.mutate({
    service: svc.id,
    heartbeat: { name: 'nightly', periodSeconds: 3600 },
  });
  return { svc, hb };
}

describe('heartbeat ping tokens', () => {
  it('are stored only as a hash; the console gets a prefix, the full token only at creation', async () => {
    const { svc, hb } = await newHeartbeat('Hashed tokens');
    expect(hb.token).toMatch(/^[A-Za-z0-9_-]{24,}$/);
    const [row] = await api.sql`select row_to_json(h)::text as j from heartbeats h where id = ${hb.id}`;
    expect(row!.j).not.toContain(hb.token);
    const detail = await maintainer.client.services.get.query({ id: svc.id });
    const listed = detail.heartbeats.find((h) => h.id === hb.id)!;
    expect(JSON.stringify(listed)).not.toContain(hb.token);
    expect(listed.tokenPrefix).toBe(hb.token.slice(0, listed.tokenPrefix!.length));
    const audit = await api.sql`select diff::text as d from audit_log where target_id = ${hb.id}`;
    expect(audit.map((a) => a.d).join()).not.toContain(hb.token);
    expect(await ping(`/ping/${hb.token}`)).toBe(200);
  });

  it('no answer holds the token hash (nor any 64-hex string); viewers get no prefix either', async () => {
    const { svc, hb } = await newHeartbeat('No hashes');
    const [stored] = await api.sql<
      { token_hash: string }[]
    >`select token_hash from heartbeats where id = ${hb.id}`;
    const answers: Array<[string, unknown]> = [['heartbeats.create', hb]];
    for (const role of ['viewer', 'maintainer', 'admin'] as const) {
      const { client } = await api.asUser(role);
      const detail = await client.services.get.query({ id: svc.slug });
      const listed = detail.heartbeats.find((h) => h.id === hb.id)!;
      expect(listed.tokenPrefix === null, role).toBe(role === 'viewer');
      answers.push([`services.get as ${role}`, detail]);
    }
    const heartbeat = { name: 'nightly', periodSeconds: 1800 };
    answers.push([
      'heartbeats.update',
      await maintainer.client.heartbeats.update.mutate({ id: hb.id, heartbeat }),
    ]);
    answers.push([
      'heartbeats.setPaused',
      await maintainer.client.heartbeats.setPaused.mutate({ id: hb.id, paused: true }),
    ]);
    answers.push([
      'heartbeats.rotateToken',
      await maintainer.client.heartbeats.rotateToken.mutate({ id: hb.id }),
    ]);
    for (const [label, answer] of answers) {
      const text = JSON.stringify(answer);
      expect(text, label).not.toContain('tokenHash');
      expect(text, label).not.toContain(stored!.token_hash);
      expect(text, label).not.toMatch(/[0-9a-f]{64}/i);
    }
  });

  it('rotate: the old URL stops working, the new one works; audited without the token', async () => {
    const { hb } = await newHeartbeat('Rotated tokens');
    const viewer = await api.asUser('viewer');
    await expect(viewer.client.heartbeats.rotateToken.mutate({ id: hb.id })).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
    const rotated = await maintainer.client.heartbeats.rotateToken.mutate({ id: hb.id });
    expect(rotated.token).not.toBe(hb.token);
    expect(await ping(`/ping/${hb.token}`)).toBe(404);
    expect(await ping(`/ping/${rotated.token}`)).toBe(200);
    const audit = await api.sql`
      select actor_id, diff::text as d from audit_log where action = 'heartbeat.rotate_token' and target_id = ${hb.id}`;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(maintainer.userId);
    expect(audit[0]!.d ?? '').not.toContain(rotated.token);
    expect(audit[0]!.d ?? '').not.toContain(hb.token);
    // A prefix is no secret: the trail says which URL was replaced by which.
    expect(JSON.parse(audit[0]!.d)).toEqual({
      before: { tokenPrefix: hb.tokenPrefix },
      after: { tokenPrefix: rotated.tokenPrefix },
    });
  });

  it('never reach the request log', async () => {
    const { hb } = await newHeartbeat('Quiet tokens');
    const from = logs.length;
    for (const path of [`/ping/${hb.token}`, `/ping/${hb.token}/start`, `/ping/${hb.token}/fail`])
      expect(await ping(path)).toBe(200);
    expect(await ping(`/ping/${hb.token}/bogus`)).toBe(404);
    expect(await ping(`/ping/${hb.token}/0/extra`)).toBe(404);
    const lines = logs.slice(from);
    // The requests are logged (so this cannot pass by logging nothing), with the token masked.
    const urls = lines.map((l) => (l.req as { url?: string } | undefined)?.url).filter(Boolean);
    expect(urls).toEqual(
      expect.arrayContaining(['/ping/<token>', '/ping/<token>/start', '/ping/<token>/fail']),
    );
    expect(JSON.stringify(lines)).not.toContain(hb.token);
  });

  it('share the log with API keys sent in a URL: refused, and logged with the key masked', async () => {
    const { key } = await api.withKey('viewer');
    const from = logs.length;
    expect(await ping(`/trpc/me.get?api_key=${key}`)).toBe(400);
    expect(await ping(`/trpc/me.get?input=%7B%7D&x=${key}`)).toBe(400);
    const lines = logs.slice(from);
    const urls = lines.map((l) => (l.req as { url?: string } | undefined)?.url).filter(Boolean);
    expect(urls).toEqual(
      expect.arrayContaining([
        '/trpc/me.get?api_key=%3Credacted%3E',
        '/trpc/me.get?input=%7B%7D&x=%3Credacted%3E',
      ]),
    );
    expect(JSON.stringify(lines)).not.toContain(key);
  });

  it('share the log with an API key anywhere in a URL: refused, and masked wherever it sits', async () => {
    const { key } = await api.withKey('viewer');
    const from = logs.length;
    for (const path of [
      `/trpc/me.get?authorization=Bearer%20${key}`,
      `/trpc/me.get?x=Bearer+${key}`,
      `/trpc/me.get?input=%22${key}%22`,
      `/trpc/me.get?input=${encodeURIComponent(JSON.stringify({ note: `key: ${key}` }))}`,
    ])
      expect(await ping(path), path).toBe(400);
    expect(await ping(`/no-such-route/${key}?q=1`)).toBe(404);
    const lines = logs.slice(from);
    const urls = lines.map((l) => (l.req as { url?: string } | undefined)?.url).filter(Boolean);
    // Logged (so this cannot pass by logging nothing), with the key masked.
    expect(urls.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(lines)).toContain('redacted');
    expect(JSON.stringify(lines)).not.toContain(key.slice(12));

    // A key's 12-character prefix is no credential: people search the audit log for it.
    const prefix = key.slice(0, 12);
    const admin = await api.asUser('admin');
    const search = `/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ json: { actor: prefix } }))}`;
    const res = await fetch(`${api.baseUrl}${search}`, { headers: { cookie: admin.cookie } });
    expect(res.status).toBe(200);
    expect(JSON.stringify(logs.slice(from))).toContain(prefix);
  });
});
