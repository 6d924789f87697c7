import { beforeAll, describe, expect, it } from 'vitest';
import { type SignedIn, useTestApi } from '../helpers';
import { buildWorld, edgePaths, PLANTED, type World } from './world';

// Issue 15 part 6: a public page never reveals private services, internal updates, check URLs, hosts, error
// texts or user names. Every public edge is read as raw text and searched for what was planted.

const api = useTestApi({ API_RATE_LIMIT_PER_MIN: '0' });
let w: World;
let admin: SignedIn;

beforeAll(async () => {
  w = await buildWorld(api);
  admin = await api.asUser('admin');
});

const trpcGet = (path: string, input: unknown, headers: Record<string, string> = {}) =>
  fetch(
    `${api.baseUrl}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`,
    {
      headers,
    },
  );

const planted = () => [...Object.values(PLANTED), w.adminEmail, w.services.secret.slug];

describe('what the public edges reveal', () => {
  it('the planted strings are really there for those allowed to see them', async () => {
    const [row] = await api.sql<{ internal: number; hosts: number; errors: number; named: number }[]>`
      select (select count(*)::int from incident_updates where body = ${PLANTED.internal}) as internal,
        (select count(*)::int from checks where config::text like ${`%${PLANTED.host}%`}) as hosts,
        (select count(*)::int from checks where last_error = ${PLANTED.error}) as errors,
        (select count(*)::int from incidents i join users u on u.id = i.commander_id
          where u.name = ${PLANTED.person}) as named`;
    expect(row).toEqual({ internal: 2, hosts: 2, errors: 2, named: 2 });
    // A signed-in user reads the private page, private service and all: the search below would see it.
    const res = await trpcGet('statusPages.view', { slug: w.privateSlug }, { cookie: admin.cookie });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(PLANTED.privateService);
  });

  it('no public edge, nor statusPages.view or status.get over HTTP, contains any of them', async () => {
    const keys = [w.services.shop.slug, w.services.mail.slug, w.services.search.slug];
    const bodies: [string, string][] = [];
    for (const path of edgePaths(w.publicSlug, keys)) {
      const res = await fetch(`${api.baseUrl}${path}`);
      expect(res.status, path).toBe(200);
      bodies.push([path, await res.text()]);
    }
    for (const [path, res] of [
      ['statusPages.view', await trpcGet('statusPages.view', { slug: w.publicSlug })],
      ['status.get', await trpcGet('status.get', undefined)],
    ] as const) {
      expect(res.status, path).toBe(200);
      bodies.push([path, await res.text()]);
    }
    // The edges did show the incidents whose other parts were planted.
    expect(bodies.find(([p]) => p.endsWith('incidents.json'))![1]).toContain('Checkout errors');
    expect(bodies.find(([p]) => p.endsWith('history.atom'))![1]).toContain('Checkout errors');
    for (const [path, body] of bodies) {
      for (const secret of planted()) expect(body.includes(secret), `${path} reveals ${secret}`).toBe(false);
      // Nor the private service's uuid, nor any part of a check URL.
      expect(body.includes(w.services.secret.id), path).toBe(false);
      expect(body.includes('token=abc'), path).toBe(false);
    }
  });

  it('the private page gives a probe nothing: the same 404 as a page that does not exist', async () => {
    for (const path of edgePaths(w.privateSlug, [w.services.secret.slug])) {
      const res = await fetch(`${api.baseUrl}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toBe('{"error":"Not found."}');
    }
  });
});
