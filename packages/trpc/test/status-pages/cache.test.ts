import { createDatabase, type Database } from '@sextant/db';
import { withDatabase } from '@sextant/db/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Context } from '../../src/context';
import { appRouter } from '../../src/root';
import { StatusPageCache, viewVersion } from '../../src/services/status-page-cache';
import type { StatusPageView } from '../../src/services/status-page-view';
import { type PageWorld, pageWorld } from './helpers';

const HOUR = 3_600_000;

let w: PageWorld;
let others: Database[] = [];
let slug: string;
let incidentId: string;
let serviceId: string;
let pro: string;

/** One API instance: its own connection pool, its own cache listening on it. */
interface Instance {
  cache: StatusPageCache;
  view(): Promise<StatusPageView>;
  /** Resolves at the next clear caused by a NOTIFY from `table`. */
  clearedBy(table: string): Promise<void>;
}

async function instance(database: Database): Promise<Instance> {
  const cache = new StatusPageCache();
  await cache.listen(database.sql);
  const base = w.f.ctx(null);
  const ctx: Context = {
    ...base,
    db: database.db,
    sql: database.sql,
    runtime: { ...base.runtime, statusPageCache: cache },
  };
  const api = appRouter.createCaller(ctx);
  return {
    cache,
    view: () => api.statusPages.view({ slug }),
    clearedBy: (table) =>
      new Promise((resolve) => {
        const off = cache.onClear((reason) => {
          if (reason !== table) return;
          off();
          resolve();
        });
      }),
  };
}

beforeAll(async () => {
  w = await pageWorld();
  pro = await w.env('PRO');
  serviceId = (await w.service('Shop', true)).id;
  slug = (
    await w.as('admin').statusPages.create({
      slug: w.fx.unique('cached'),
      title: 'Cached',
      visibility: 'public',
      environmentIds: [pro],
      components: [{ serviceId }],
    })
  ).slug;
  incidentId = (
    await w.as('maintainer').incidents.create({
      title: 'Slow checkout',
      severity: 'SEV3',
      impacts: [{ serviceId, environmentId: pro, impact: 'degraded_performance' }],
      update: { body: 'First public note.', visibility: 'public' },
    })
  ).id;
  const url = withDatabase(inject('adminUrl'), w.f.database.sql.options.database);
  others = [createDatabase(url, { max: 2 }), createDatabase(url, { max: 2 })];
});
afterAll(async () => {
  await Promise.all(others.map((d) => d.close()));
  await w?.f.close();
});

describe('the status page cache across instances', () => {
  it('serves a built view until a change NOTIFYs every instance, which then shows the change', async () => {
    // Three instances: the test's own pool and two more, each LISTENing on its own connection.
    const instances = await Promise.all([w.f.database, ...others].map(instance));
    const first = await Promise.all(instances.map((i) => i.view()));
    for (const [n, i] of instances.entries()) {
      expect(first[n]!.activeIncidents[0]!.updates.map((u) => u.body)).toEqual(['First public note.']);
      // Served from the cache: the very same object.
      expect(await i.view()).toBe(first[n]);
    }
    // Each instance built its own view, yet all name the same version (the edges' ETag).
    expect(new Set(first).size).toBe(3);
    expect(new Set(first.map(viewVersion)).size).toBe(1);
    const cleared = Promise.all(instances.map((i) => i.clearedBy('incident_updates')));
    await w.as('maintainer').incidents.postUpdate({
      id: incidentId,
      body: 'Second public note.',
      visibility: 'public',
    });
    await cleared;
    for (const i of instances) {
      const after = await i.view();
      expect(viewVersion(after)).not.toBe(viewVersion(first[0]!));
      expect(after.activeIncidents[0]!.updates.map((u) => u.body)).toEqual([
        'Second public note.',
        'First public note.',
      ]);
    }
  });

  it('is cleared by a check state change (monitor_events), not by a run that changes nothing', async () => {
    const i = await instance(others[0]!);
    const created = i.clearedBy('checks');
    const checkId = await w.check(serviceId, pro, 'up');
    await created;
    await i.view();
    const reasons: string[] = [];
    i.cache.onClear((r) => reasons.push(r));
    const stateChanged = i.clearedBy('monitor_events');
    // What every scheduler run writes: the check row's state and schedule, and a result.
    await w.f.database.sql`update checks set status = 'up', last_run_at = now(), last_latency_ms = 12,
      consecutive_successes = consecutive_successes + 1, next_run_at = now() + interval '1 minute',
      lease_owner = null, lease_until = null where id = ${checkId}`;
    await w.f.database.sql`insert into monitor_events (check_id, service_id, at, from_status, to_status)
      values (${checkId}, ${serviceId}, now(), 'up', 'down')`;
    await stateChanged;
    // Notifications arrive in commit order, so a notification from the run would have come first.
    expect(reasons).toEqual(['monitor_events']);
    expect(i.cache.size).toBe(0);
  });
});

describe('expiry by the clock', () => {
  const listening = async (cache: StatusPageCache) => {
    await cache.listen(w.f.database.sql);
    return cache;
  };
  const view = (startsAt: Date | null): StatusPageView => ({
    slug: 'x',
    title: 'x',
    logoUrl: null,
    footer: null,
    visibility: 'public',
    emailSubscriptions: false,
    overall: 'operational',
    groups: [],
    activeIncidents: [],
    activeMaintenances: [],
    upcomingMaintenances: startsAt
      ? [
          {
            id: 'm',
            title: 'm',
            description: '',
            startsAt,
            endsAt: new Date(startsAt.getTime() + HOUR),
            components: [],
          },
        ]
      : [],
    history: [],
    generatedAt: new Date('2026-01-01T00:00:00Z'),
  });

  it('rebuilds after the TTL', async () => {
    let now = Date.now();
    let builds = 0;
    const cache = await listening(new StatusPageCache(60_000, () => now));
    const build = async () => {
      builds++;
      return view(null);
    };
    await cache.get('k', build);
    now += 59_000;
    await cache.get('k', build);
    expect(builds).toBe(1);
    now += 2_000;
    await cache.get('k', build);
    expect(builds).toBe(2);
  });

  it('rebuilds at the next maintenance start it shows, even within the TTL', async () => {
    let now = Date.now();
    let builds = 0;
    const cache = await listening(new StatusPageCache(10 * HOUR, () => now));
    const starts = new Date(now + HOUR);
    const build = async () => {
      builds++;
      return view(starts);
    };
    await cache.get('k', build);
    now += HOUR - 1;
    await cache.get('k', build);
    expect(builds).toBe(1);
    now += 1;
    await cache.get('k', build);
    expect(builds).toBe(2);
  });

  it('builds every time until it listens', async () => {
    const cache = new StatusPageCache();
    const build = async () => view(null);
    expect(await cache.get('k', build)).not.toBe(await cache.get('k', build));
    await listening(cache);
    expect(await cache.get('k', build)).toBe(await cache.get('k', build));
  });

  it('shares one build among concurrent misses and keeps no failed build', async () => {
    const cache = await listening(new StatusPageCache());
    let builds = 0;
    const build = async () => {
      builds++;
      return view(null);
    };
    const [a, b] = await Promise.all([cache.get('k', build), cache.get('k', build)]);
    expect(a).toBe(b);
    expect(builds).toBe(1);
    await expect(cache.get('bad', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('bad', build)).toEqual(view(null));
    expect(builds).toBe(2);
  });
});
