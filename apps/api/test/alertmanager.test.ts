import { createDatabase, type Database } from '@sextant/db';
import { resolveLapsedExternalAlerts } from '@sextant/trpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from './helpers';

const iso = (ms: number) => new Date(ms).toISOString();

describe('POST/GET /api/v2/alerts (Alertmanager v2, spec A3)', () => {
  const api = useTestApi({ API_RATE_LIMIT_PER_MIN: '0' });
  // The app's own client (jsonb parameters as the services send them), not the test's plain one.
  let database: Database;
  beforeAll(() => {
    database = createDatabase(api.databaseUrl, { max: 2 });
  });
  afterAll(() => database?.close());
  const keyOf = async (role: 'viewer' | 'maintainer') => (await api.withKey(role)).key;

  const post = async (key: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${api.baseUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
  };
  const list = async (key: string, query = '') => {
    const res = await fetch(`${api.baseUrl}/api/v2/alerts${query}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>[] };
  };
  const stored = () =>
    api.sql<{ n: number; t: number; a: number }[]>`
      select (select count(*) from alert_instances)::int as n, (select count(*) from alert_transitions)::int as t,
             (select count(*) from audit_log where action = 'alerts.receive')::int as a`.then((r) => r[0]!);
  const history = (name: string) =>
    api.sql<{ from_state: string; to_state: string; reason: string; at: Date }[]>`
      select from_state, to_state, reason, at from alert_transitions
      where labels->>'alertname' = ${name} and rule_id is null order by id`;

  it("Prometheus' sequence: firing, resent, resolved via endsAt, re-fired: merged per spec A3, with history", async () => {
    const key = await keyOf('maintainer');
    const labels = { alertname: 'Seq', instance: 'a:9100', severity: '' };
    const t0 = Date.now() - 60_000;
    const send = (startsAt: number, endsAt: number, summary: string) =>
      post(key, [
        {
          labels,
          annotations: { summary },
          startsAt: iso(startsAt),
          endsAt: iso(endsAt),
          generatorURL: 'http://prom/graph',
        },
      ]);

    expect((await send(t0, Date.now() + 240_000, 'v1')).status).toBe(200);
    const [first] = (await list(key)).body.filter(
      (a) => (a.labels as Record<string, string>).alertname === 'Seq',
    );
    expect(first).toMatchObject({
      labels: { alertname: 'Seq', instance: 'a:9100' },
      annotations: { summary: 'v1' },
      startsAt: iso(t0),
      generatorURL: 'http://prom/graph',
      receivers: [],
      status: { state: 'active', silencedBy: [], inhibitedBy: [] },
    });
    expect(first!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(Object.keys(first!).sort()).toEqual(
      [
        'annotations',
        'endsAt',
        'fingerprint',
        'generatorURL',
        'labels',
        'receivers',
        'startsAt',
        'status',
        'updatedAt',
      ].sort(),
    );

    // A resend with a later validity and a new summary: same occurrence, newest annotations.
    await send(t0, Date.now() + 300_000, 'v2');
    // Resolved via endsAt.
    const resolvedAt = Date.now() - 1_000;
    await send(t0, resolvedAt, 'v2');
    expect((await list(key)).body.some((a) => a.fingerprint === first!.fingerprint)).toBe(false);
    const [resolved] = (await list(key, '?resolved=true&filter=alertname%3D%22Seq%22')).body;
    expect(resolved).toMatchObject({
      startsAt: iso(t0),
      endsAt: iso(resolvedAt),
      annotations: { summary: 'v2' },
    });
    // Re-fire: a new occurrence with its own startsAt.
    const t1 = Date.now();
    await send(t1, Date.now() + 240_000, 'v3');
    const [refired] = (await list(key, '?filter=alertname="Seq"')).body;
    expect(refired).toMatchObject({
      startsAt: iso(t1),
      annotations: { summary: 'v3' },
      fingerprint: first!.fingerprint,
    });

    expect((await history('Seq')).map((h) => [h.from_state, h.to_state, h.reason, h.at.getTime()])).toEqual([
      ['inactive', 'firing', 'Received', t0],
      ['firing', 'resolved', 'Received', resolvedAt],
      ['resolved', 'firing', 'Received', t1],
    ]);
    const [row] = await api.sql`select state, source, rule_id, ends_at_from_timeout from alert_instances
      where labels->>'alertname' = 'Seq'`;
    expect(row).toMatchObject({
      state: 'firing',
      source: 'external',
      rule_id: null,
      ends_at_from_timeout: false,
    });
  });

  it('without endsAt, an alert resolves resolve_timeout after its last post; the lapse job records it', async () => {
    const key = await keyOf('maintainer');
    const startsAt = Date.now() - 3_600_000;
    expect((await post(key, [{ labels: { alertname: 'Lapse' }, startsAt: iso(startsAt) }])).status).toBe(200);
    const [a] = (await list(key, '?filter=alertname="Lapse"')).body;
    // Default resolve_timeout 5 m, derived from the receiving clock.
    expect(Date.parse(a!.endsAt as string) - Date.parse(a!.updatedAt as string)).toBe(300_000);
    await resolveLapsedExternalAlerts(database.sql, Date.parse(a!.endsAt as string) - 1);
    expect(await history('Lapse')).toHaveLength(1);
    expect(await resolveLapsedExternalAlerts(database.sql, Date.parse(a!.endsAt as string))).toBe(1);
    expect((await history('Lapse')).map((h) => [h.to_state, h.reason, h.at.toISOString()])).toEqual([
      ['firing', 'Received', iso(startsAt)],
      ['resolved', 'EndsAtPassed', a!.endsAt],
    ]);
  });

  it('concurrent posts of one new alert (three Prometheus replicas) store one row and one start', async () => {
    const key = await keyOf('maintainer');
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        post(key, [{ labels: { alertname: 'Race' }, annotations: { n: `${i}` } }]),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    const rows = await api.sql`select 1 from alert_instances where labels->>'alertname' = 'Race'`;
    expect(rows).toHaveLength(1);
    expect((await history('Race')).map((h) => h.to_state)).toEqual(['firing']);
  });

  it('bad payloads get a 400 (413 for the size) naming the problem, and change nothing', async () => {
    const key = await keyOf('maintainer');
    const good = { labels: { alertname: 'Good' } };
    const before = await stored();
    const cases: [string, unknown, number, string][] = [
      ['no labels', [good, { labels: {} }], 400, 'At least one label'],
      [
        'endsAt before startsAt',
        [good, { labels: { a: '1' }, startsAt: iso(Date.now()), endsAt: iso(Date.now() - 60_000) }],
        400,
        'endsAt must not be before startsAt',
      ],
      ['invalid label name', [good, { labels: { 'bad-name': 'x' } }], 400, 'Label names use'],
      ['not JSON', '[{"labels":', 400, 'JSON'],
      ['not an array', { labels: { a: '1' } }, 400, 'rejected'],
      [
        '10 MB',
        [{ labels: { a: '1' }, annotations: { big: 'x'.repeat(10 * 1_048_576) } }],
        413,
        'larger than',
      ],
    ];
    for (const [name, body, status, message] of cases) {
      const res = await post(key, body);
      expect([name, res.status]).toEqual([name, status]);
      expect(JSON.stringify(res.body), name).toContain(message);
    }
    const bad = await post(key, [good, { labels: { 'bad-name': 'x' } }]);
    expect(bad.body.issues).toEqual([
      { path: '1.labels.bad-name', message: expect.stringContaining('Label names') },
    ]);
    expect(await stored()).toEqual(before);
  });

  it('needs an API key before reading the body: none, unknown, or a viewer key to post', async () => {
    const viewer = await keyOf('viewer');
    const before = await stored();
    const noKey = await fetch(`${api.baseUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[{"labels":{"a":"1"}}]',
    });
    expect(noKey.status).toBe(401);
    expect((await post(`sxt_${'A'.repeat(43)}`, [{ labels: { a: '1' } }])).status).toBe(401);
    const asViewer = await post(viewer, [{ labels: { a: '1' } }]);
    expect(asViewer.status).toBe(403);
    expect(asViewer.body.error).toContain('maintainer');
    // Even an oversized body is refused for the key, not the size.
    expect((await post(viewer, 'x'.repeat(3 * 1_048_576))).status).toBe(403);
    expect((await fetch(`${api.baseUrl}/api/v2/alerts`)).status).toBe(401);
    expect((await list(viewer)).status).toBe(200);
    expect(await stored()).toEqual(before);
  });

  it('GET filters like Alertmanager: matchers, active, silenced (from the silences table)', async () => {
    const key = await keyOf('maintainer');
    await post(key, [
      { labels: { alertname: 'Filt', team: 'db' } },
      { labels: { alertname: 'Filt', team: 'web' } },
    ]);
    expect(
      (await list(key, '?filter=alertname="Filt"&filter=team=~"d.*"')).body.map((a) => a.labels),
    ).toEqual([{ alertname: 'Filt', team: 'db' }]);
    const [silence] = await database.sql<{ id: string }[]>`
      insert into silences (matchers, starts_at, ends_at, created_by, comment)
      values (${JSON.stringify([{ label: 'team', op: '=', value: 'web' }])}::jsonb, ${new Date(Date.now() - 60_000)},
              ${new Date(Date.now() + 3_600_000)}, 'test', 'quiet') returning id`;
    const all = (await list(key, '?filter=alertname="Filt"')).body;
    expect(all.map((a) => [(a.labels as Record<string, string>).team, a.status])).toEqual(
      expect.arrayContaining([
        ['db', { state: 'active', silencedBy: [], inhibitedBy: [] }],
        ['web', { state: 'suppressed', silencedBy: [silence!.id], inhibitedBy: [] }],
      ]),
    );
    expect((await list(key, '?filter=alertname="Filt"&silenced=false')).body).toHaveLength(1);
    expect((await list(key, '?filter=alertname="Filt"&active=false')).body).toHaveLength(1);
    // Inhibition (read from inhibition_rules): a firing source mutes a target that agrees on `equal`.
    await database.sql`
      insert into inhibition_rules (name, source_matchers, target_matchers, equal)
      values ('db down', ${JSON.stringify([{ label: 'alertname', op: '=', value: 'FiltSrc' }])}::jsonb,
              ${JSON.stringify([{ label: 'alertname', op: '=', value: 'Filt' }])}::jsonb, '["team"]'::jsonb)`;
    await post(key, [{ labels: { alertname: 'FiltSrc', team: 'db' } }]);
    const [source] = (await list(key, '?filter=alertname="FiltSrc"')).body;
    const [db] = (await list(key, '?filter=alertname="Filt"&filter=team="db"')).body;
    expect(db!.status).toEqual({ state: 'suppressed', silencedBy: [], inhibitedBy: [source!.fingerprint] });
    expect((await list(key, '?filter=alertname="Filt"&inhibited=false&silenced=false')).body).toHaveLength(0);
    expect((await list(key, '?filter=nonsense')).status).toBe(400);
    expect((await list(key, '?active=maybe')).status).toBe(400);
  });

  it('GET: rule alerts inhibit posted ones; a posted source whose endsAt passed no longer does', async () => {
    const key = await keyOf('maintainer');
    await database.sql`
      insert into inhibition_rules (name, source_matchers, target_matchers, equal)
      values ('inh', ${JSON.stringify([{ label: 'alertname', op: '=', value: 'InhSrc' }])}::jsonb,
              ${JSON.stringify([{ label: 'alertname', op: '=', value: 'Inh' }])}::jsonb, '["zone"]'::jsonb)`;
    await post(key, [
      { labels: { alertname: 'Inh', zone: 'a' } },
      { labels: { alertname: 'InhSrc', zone: 'a' }, endsAt: iso(Date.now() + 3_600_000) },
    ]);
    const target = async () => (await list(key, '?filter=alertname="Inh"')).body[0]!.status;
    const [source] = (await list(key, '?filter=alertname="InhSrc"')).body;
    expect(await target()).toEqual({
      state: 'suppressed',
      silencedBy: [],
      inhibitedBy: [source!.fingerprint],
    });
    // The endsAt passes without any write (the lapse job has not run): the source no longer inhibits.
    await database.sql`update alert_instances set ends_at = now() - interval '1 second'
                       where labels->>'alertname' = 'InhSrc'`;
    expect(await target()).toEqual({ state: 'active', silencedBy: [], inhibitedBy: [] });
    // A firing rule alert inhibits it, reported by its fingerprint as Alertmanager reports sources.
    const [rule] = await database.sql<{ id: string }[]>`
      insert into alert_rules (name, kind, interval_seconds, condition)
      values ('InhSrc', 'metric', 60, ${JSON.stringify({ kind: 'metric', metric: 'up', fn: 'min', matchers: [], by: [], windowSeconds: 60, comparison: '<', threshold: 1 })}::jsonb)
      returning id`;
    await database.sql`
      insert into alert_instances (source, rule_id, fingerprint, labels, state, reason, active_at)
      values ('rule', ${rule!.id}, '00000000000000aa', ${JSON.stringify({ alertname: 'InhSrc', zone: 'a', rule: 'y' })}::jsonb,
              'firing', 'test', now())`;
    expect(await target()).toEqual({
      state: 'suppressed',
      silencedBy: [],
      inhibitedBy: ['00000000000000aa'],
    });
  });
});

describe('/api/v2/alerts under the API rate limit', () => {
  const api = useTestApi({ API_RATE_LIMIT_PER_MIN: '3' });

  it('answers 429 past API_RATE_LIMIT_PER_MIN, like every other edge', async () => {
    const { key } = await api.withKey('maintainer');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${api.baseUrl}/api/v2/alerts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: '[{"labels":{"alertname":"Limited"}}]',
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
