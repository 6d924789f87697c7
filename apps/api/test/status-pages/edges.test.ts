import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../helpers';
import { buildWorld, edgePaths, HOSTILE_TITLE, JSON_FILES, type World } from './world';
import { childrenOf, parseXml, textOf } from './xml-check';

const PUBLIC_URL = 'https://status.example.test';
const api = useTestApi({ API_RATE_LIMIT_PER_MIN: '0', SEXTANT_PUBLIC_URL: PUBLIC_URL });
let w: World;
// biome-ignore lint/suspicious/noExplicitAny: JSON documents read field by field.
type Json = any;

beforeAll(async () => {
  w = await buildWorld(api);
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${api.baseUrl}${path}`, { headers });
const json = async (file: string): Promise<Json> => {
  const res = await get(`/status-pages/${w.publicSlug}/api/v2/${file}`);
  expect(res.status).toBe(200);
  return res.json();
};

const PAGE_KEYS = ['id', 'name', 'time_zone', 'updated_at', 'url'];
const COMPONENT_KEYS = [
  'created_at',
  'description',
  'group',
  'group_id',
  'id',
  'name',
  'only_show_if_degraded',
  'page_id',
  'position',
  'showcase',
  'start_date',
  'status',
  'updated_at',
];
const INCIDENT_KEYS = [
  'components',
  'created_at',
  'id',
  'impact',
  'incident_updates',
  'monitoring_at',
  'name',
  'page_id',
  'resolved_at',
  'shortlink',
  'started_at',
  'status',
  'updated_at',
];
const UPDATE_KEYS = [
  'affected_components',
  'body',
  'created_at',
  'custom_tweet',
  'deliver_notifications',
  'display_at',
  'id',
  'incident_id',
  'status',
  'tweet_id',
  'updated_at',
];
const COMPONENT_STATUSES = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function expectComponent(c: Json) {
  expect(
    Object.keys(c)
      .filter((k) => k !== 'components')
      .sort(),
  ).toEqual(COMPONENT_KEYS);
  expect(COMPONENT_STATUSES).toContain(c.status);
  expect(c.created_at).toMatch(ISO);
  expect(c.page_id).toBe(w.publicSlug);
}

function expectIncident(i: Json) {
  expect(Object.keys(i).sort()).toEqual(INCIDENT_KEYS);
  expect(['none', 'minor', 'major', 'critical']).toContain(i.impact);
  expect(['investigating', 'identified', 'monitoring', 'resolved', 'postmortem']).toContain(i.status);
  expect(i.started_at).toMatch(ISO);
  for (const u of i.incident_updates) {
    expect(Object.keys(u).sort()).toEqual(UPDATE_KEYS);
    expect(u.incident_id).toBe(i.id);
    expect(u.display_at).toMatch(ISO);
  }
  for (const c of i.components) expectComponent(c);
}

describe('Statuspage v2 JSON', () => {
  it('summary.json: page, status, components with groups, unresolved incidents, maintenance', async () => {
    const s = await json('summary.json');
    expect(Object.keys(s).sort()).toEqual([
      'components',
      'incidents',
      'page',
      'scheduled_maintenances',
      'status',
    ]);
    expect(Object.keys(s.page).sort()).toEqual(PAGE_KEYS);
    expect(s.page).toMatchObject({
      id: w.publicSlug,
      name: 'Acme status',
      url: `${PUBLIC_URL}/status/${w.publicSlug}`,
      time_zone: 'Etc/UTC',
    });
    // Shop's open incident is a partial outage on the page: Statuspage's "major".
    expect(s.status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    for (const c of s.components) expectComponent(c);
    const byName = Object.fromEntries(s.components.map((c: Json) => [c.name, c]));
    const group = byName.Core;
    expect(group).toMatchObject({ group: true, group_id: null, status: 'partial_outage' });
    expect(group.components).toEqual([w.services.shop.slug, w.services.search.slug]);
    const [shop, mail, search] = ['Shop', 'Mail', 'Search'].map((n) =>
      s.components.find((c: Json) => c.name === n),
    );
    expect(shop).toMatchObject({
      id: w.services.shop.slug,
      group: false,
      group_id: group.id,
      status: 'partial_outage',
    });
    expect(search).toMatchObject({ group_id: group.id, status: 'operational' });
    expect(mail).toMatchObject({ group_id: null, status: 'under_maintenance' });
    expect(s.components.map((c: Json) => c.position)).toEqual([1, 2, 3, 4]);
    expect(s.incidents.map((i: Json) => i.id)).toEqual([w.incidents.open]);
    expect(s.scheduled_maintenances.map((m: Json) => [m.name, m.status])).toEqual([
      ['Mail server upgrade', 'in_progress'],
      ['Search reindex', 'scheduled'],
    ]);
  });

  it('status.json and components.json carry the page and their one part', async () => {
    const status = await json('status.json');
    expect(Object.keys(status).sort()).toEqual(['page', 'status']);
    expect(['none', 'minor', 'major', 'critical']).toContain(status.status.indicator);
    const components = await json('components.json');
    expect(Object.keys(components).sort()).toEqual(['components', 'page']);
    expect(components.components).toHaveLength(4);
  });

  it('incidents.json has open and resolved incidents; unresolved.json only the open one', async () => {
    const all = await json('incidents.json');
    expect(all.incidents.map((i: Json) => i.id)).toEqual([w.incidents.open, w.incidents.resolved]);
    for (const i of all.incidents) expectIncident(i);
    const [open, resolved] = all.incidents;
    expect(open).toMatchObject({
      status: 'monitoring',
      impact: 'major',
      resolved_at: null,
      page_id: w.publicSlug,
    });
    expect(open.monitoring_at).toMatch(ISO);
    expect(open.shortlink).toBe(`${PUBLIC_URL}/status/${w.publicSlug}#incident-${open.id}`);
    // The private service it also hits is not a component of the page.
    expect(open.components.map((c: Json) => c.id)).toEqual([w.services.shop.slug]);
    // Public updates only, newest first.
    expect(open.incident_updates.map((u: Json) => u.status)).toEqual(['monitoring', 'investigating']);
    expect(resolved).toMatchObject({
      status: 'resolved',
      impact: 'minor',
      name: HOSTILE_TITLE,
      monitoring_at: null,
    });
    expect(resolved.resolved_at).toMatch(ISO);
    const unresolved = await json('incidents/unresolved.json');
    expect(unresolved.incidents.map((i: Json) => i.id)).toEqual([w.incidents.open]);
  });

  it('scheduled maintenances: all, upcoming and active', async () => {
    const all = await json('scheduled-maintenances.json');
    for (const m of all.scheduled_maintenances) {
      expect(['scheduled', 'in_progress', 'verifying', 'completed']).toContain(m.status);
      expect(m.scheduled_for).toMatch(ISO);
      expect(m.scheduled_until).toMatch(ISO);
      expect(new Date(m.scheduled_until) > new Date(m.scheduled_for)).toBe(true);
    }
    const upcoming = await json('scheduled-maintenances/upcoming.json');
    expect(upcoming.scheduled_maintenances.map((m: Json) => [m.name, m.status])).toEqual([
      ['Search reindex', 'scheduled'],
    ]);
    const active = await json('scheduled-maintenances/active.json');
    const [mail] = active.scheduled_maintenances;
    expect(active.scheduled_maintenances).toHaveLength(1);
    expect(mail).toMatchObject({ name: 'Mail server upgrade', status: 'in_progress' });
    expect(mail.components.map((c: Json) => c.id)).toEqual([w.services.mail.slug]);
    expect(mail.incident_updates.map((u: Json) => u.body)).toEqual(['Mail may be delayed.']);
  });

  it('is served with CORS for widgets, a short public max-age and JSON content type', async () => {
    for (const file of JSON_FILES) {
      const res = await get(`/status-pages/${w.publicSlug}/api/v2/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('cache-control')).toBe('public, max-age=30');
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    }
  });
});

describe('history feeds', () => {
  it('Atom 1.0: well-formed, one entry per incident, the hostile title escaped and read back whole', async () => {
    const res = await get(`/status-pages/${w.publicSlug}/history.atom`);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const body = await res.text();
    expect(body).not.toContain('<script>');
    const feed = parseXml(body);
    expect(feed.name).toBe('feed');
    expect(feed.attrs.xmlns).toBe('http://www.w3.org/2005/Atom');
    expect(textOf(feed, 'title')).toBe('Acme status status history');
    const entries = childrenOf(feed, 'entry');
    expect(entries.map((e) => textOf(e, 'id'))).toEqual([
      `urn:uuid:${w.incidents.open}`,
      `urn:uuid:${w.incidents.resolved}`,
    ]);
    const resolved = entries[1]!;
    expect(textOf(resolved, 'title')).toBe(HOSTILE_TITLE);
    // The content is HTML escaped once more: read back, the update's own text is still escaped HTML.
    const content = textOf(resolved, 'content')!;
    expect(content).toContain('Search is fast again.');
    expect(content).toContain('&lt;script&gt;');
    expect(content).not.toContain('<script>');
    for (const e of entries) expect(textOf(e, 'updated')).toMatch(/Z$/);
  });

  it('RSS 2.0: well-formed, items with guid, pubDate and the escaped title', async () => {
    const res = await get(`/status-pages/${w.publicSlug}/history.rss`);
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const rss = parseXml(await res.text());
    expect(rss.name).toBe('rss');
    expect(rss.attrs.version).toBe('2.0');
    const channel = childrenOf(rss, 'channel')[0]!;
    expect(textOf(channel, 'link')).toBe(`${PUBLIC_URL}/status/${w.publicSlug}`);
    const items = childrenOf(channel, 'item');
    expect(items.map((i) => textOf(i, 'guid'))).toEqual([w.incidents.open, w.incidents.resolved]);
    expect(textOf(items[1]!, 'title')).toBe(HOSTILE_TITLE);
    for (const i of items) expect(Number.isNaN(Date.parse(textOf(i, 'pubDate')!))).toBe(false);
  });
});

describe('badges', () => {
  const svg = async (path: string) => {
    const res = await get(`/status-pages/${w.publicSlug}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('cache-control')).toBe('public, max-age=30');
    const root = parseXml(await res.text());
    expect(root.name).toBe('svg');
    return root.attrs['aria-label'];
  };

  it('the page and each component show their state', async () => {
    expect(await svg('/badge.svg')).toBe('status: partial outage');
    expect(await svg(`/components/${w.services.shop.slug}/badge.svg`)).toBe('Shop: partial outage');
    expect(await svg(`/components/${w.services.mail.slug}/badge.svg`)).toMatch(/: maintenance$/);
    expect(await svg(`/components/${w.services.search.slug}/badge.svg`)).toMatch(/: no data$/);
  });

  it('uptime over 24 h, 7 d and 30 d is time-based from the monitor history', async () => {
    const shop = `/components/${w.services.shop.slug}`;
    // 30 minutes down in the last 24 h; in 7 and 30 days the check existed for 48 h.
    expect(await svg(`${shop}/uptime-24h.svg`)).toBe('uptime 24h: 97.91%');
    expect(await svg(`${shop}/uptime-7d.svg`)).toBe('uptime 7d: 98.95%');
    expect(await svg(`${shop}/uptime-30d.svg`)).toBe('uptime 30d: 98.95%');
    expect(await svg(`/components/${w.services.search.slug}/uptime-7d.svg`)).toBe('uptime 7d: no data');
  });
});

describe('caching', () => {
  it('answers 304 to a matching If-None-Match on every edge, from the cached view', async () => {
    const keys = [w.services.shop.slug, w.services.mail.slug];
    for (const path of edgePaths(w.publicSlug, keys)) {
      const first = await get(path);
      const etag = first.headers.get('etag');
      expect(etag, path).toMatch(/^"[\w-]+"$/);
      // Served from the cache: the same build, so the same ETag.
      expect((await get(path)).headers.get('etag'), path).toBe(etag);
      const again = await get(path, { 'if-none-match': `W/"other", ${etag}` });
      expect(again.status, path).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect((await get(path, { 'if-none-match': '"stale"' })).status, path).toBe(200);
    }
  });

  it('a change to the page reaches the edges through NOTIFY, with a new ETag', async () => {
    const path = `/status-pages/${w.publicSlug}/api/v2/status.json`;
    const uptimePath = `/status-pages/${w.publicSlug}/components/${w.services.shop.slug}/uptime-24h.svg`;
    const before = await get(path);
    const etag = before.headers.get('etag')!;
    const uptimeEtag = (await get(uptimePath)).headers.get('etag')!;
    await api.sql`update status_pages set title = 'Acme renamed' where slug = ${w.publicSlug}`;
    let after: Json = null;
    let res: Response | null = null;
    for (let i = 0; i < 100 && after?.page?.name !== 'Acme renamed'; i++) {
      res = await get(path, { 'if-none-match': etag });
      after = res.status === 200 ? await res.json() : null;
      if (!after) await new Promise((r) => setTimeout(r, 50));
    }
    expect(after.page.name).toBe('Acme renamed');
    expect(res!.headers.get('etag')).not.toBe(etag);
    // The uptimes go with the view they were computed for, so they are computed again too.
    const uptime = await get(uptimePath, { 'if-none-match': uptimeEtag });
    expect(uptime.status).toBe(200);
    expect(uptime.headers.get('etag')).not.toBe(uptimeEtag);
    await api.sql`update status_pages set title = 'Acme status' where slug = ${w.publicSlug}`;
  });
});

describe('pages the public may not see', () => {
  const answer = async (path: string) => {
    const res = await get(path);
    return {
      status: res.status,
      body: await res.text(),
      type: res.headers.get('content-type'),
      cors: res.headers.get('access-control-allow-origin'),
      cache: res.headers.get('cache-control'),
    };
  };

  it('a private page, an unknown one and a malformed slug answer one and the same 404 on every edge', async () => {
    const key = w.services.secret.slug;
    const reference = await answer(`/status-pages/no-such-page/api/v2/summary.json`);
    expect(reference).toEqual({
      status: 404,
      body: '{"error":"Not found."}',
      type: 'application/json; charset=utf-8',
      cors: '*',
      cache: 'public, max-age=30',
    });
    for (const slug of [w.privateSlug, 'no-such-page', 'Bad_Slug', 'a'.repeat(61), '--x']) {
      for (const path of edgePaths(slug, [key])) expect(await answer(path), path).toEqual(reference);
    }
    // A component key not on the public page (here the private service's) is the same 404.
    for (const path of edgePaths(w.publicSlug, [key, 'no-such-key', 'BAD KEY']).slice(11))
      expect(await answer(path), path).toEqual(reference);
  });
});

describe('the edges under the API rate limit', () => {
  const limited = useTestApi({ API_RATE_LIMIT_PER_MIN: '3' });

  it('answers 429 per IP past API_RATE_LIMIT_PER_MIN, 404s included', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await fetch(`${limited.baseUrl}/status-pages/no-such-page/api/v2/status.json`)).status);
    expect(statuses).toEqual([404, 404, 404, 429]);
  });
});
