/**
 * Maintenance windows as a suppression cause at the tick (issue 15): an alert labelled with a service × environment
 * in a running window is not notified and its tick record says so; other pairs are; the window's end or its
 * cancellation lets the next tick notify; a resolve of an alert told firing still goes out, as under a silence.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { getTick } from '../../src/services/notify/tick-detail';
import { addReceiver, brief, H, M, rootRoute, runTimeline, S, setTree, T0, timelineDb } from './timeline';

const env = timelineDb();

beforeEach(async () => {
  await env.database.sql`delete from maintenances`;
  await env.database.sql`delete from services where slug in ('api', 'web')`;
  await env.database.sql`delete from environments where name in ('MT-PROD', 'MT-STAGE')`;
  await env.database.sql`
    insert into services (name, slug) values ('API', 'api'), ('Web', 'web')`;
  await env.database.sql`
    insert into environments (name, position) values ('MT-PROD', 90), ('MT-STAGE', 91)`;
});

/** A one-off window over [from, to) (relative to T0) covering api × MT-PROD, written as the service would. */
async function window(from: number, to: number) {
  const id = randomUUID();
  const [starts, ends] = [new Date(T0 + from), new Date(T0 + to)];
  await env.database.sql`
    insert into maintenances (id, title, starts_at, ends_at, time_zone, series_ends_at)
    values (${id}, 'db upgrade', ${starts}, ${ends}, 'Europe/Berlin', ${ends})`;
  await env.database.sql`
    insert into maintenance_targets (maintenance_id, service_id, environment_id)
    select ${id}, s.id, e.id from services s, environments e where s.slug = 'api' and e.name = 'MT-PROD'`;
  return id;
}

/** One group per alert name, so each alert's ticks are its own. */
async function receiver() {
  const { receiverId, integrationIds } = await addReceiver(env.database);
  await setTree(env.database, rootRoute(receiverId, { groupBy: ['name'] }));
  return integrationIds;
}

describe('maintenance muting', () => {
  it('mutes api × MT-PROD (environment case-insensitive) during the window, notifies it at the first tick after; other service or environment notified', async () => {
    const integrationIds = await receiver();
    const id = await window(0, H);
    const t = await runTimeline(env.database, {
      events: [
        { at: 0, push: ['A'], labels: { service: 'api', environment: 'mt-prod' } },
        { at: 0, push: ['B'], labels: { service: 'api', environment: 'MT-STAGE' } },
        { at: 0, push: ['C'], labels: { service: 'web', environment: 'MT-PROD' } },
        { at: 0, push: ['D'], labels: { service: 'api' } },
      ],
      until: H + 10 * M,
      t0: T0,
      integrationIds,
    });
    expect(brief(t.messages)).toEqual([
      [30 * S, 'firing', 'first notification', 'B:firing'],
      [30 * S, 'firing', 'first notification', 'C:firing'],
      [30 * S, 'firing', 'first notification', 'D:firing'],
      // Ticks at 30s + k·5m: 60m30s is the first after the window's end at 60m.
      [H + 30 * S, 'firing', 'first notification', 'A:firing'],
    ]);
    const ticks = await env.database.sql<{ id: number; tickAt: Date; suppressed: unknown[] }[]>`
      select id, tick_at as "tickAt", suppressed from notification_ticks
      where jsonb_array_length(suppressed) > 0 order by tick_at`;
    expect(ticks.map((k) => k.tickAt.getTime() - T0)).toEqual(
      Array.from({ length: 12 }, (_, k) => 30 * S + k * 5 * M),
    );
    expect(ticks[0]!.suppressed).toEqual([
      {
        fingerprint: expect.any(String),
        labels: { alertname: 'Test', name: 'A', service: 'api', environment: 'mt-prod' },
        silencedBy: [],
        inhibitedBy: [],
        mutedBy: [],
        maintenanceBy: [id],
      },
    ]);
    const detail = await getTick(env.database.db, ticks[0]!.id);
    expect(detail.suppressed[0]!.maintenances).toEqual([{ id, title: 'db upgrade' }]);
  });

  it('a window cancelled at 10m no longer mutes: the 10m30s tick notifies', async () => {
    const integrationIds = await receiver();
    const id = await window(0, 2 * H);
    const t = await runTimeline(env.database, {
      events: [
        { at: 0, push: ['A'], labels: { service: 'api', environment: 'MT-PROD' } },
        {
          at: 10 * M,
          run: (now) =>
            env.database.sql`update maintenances set cancelled_at = ${new Date(now)} where id = ${id}`,
        },
      ],
      until: 12 * M,
      t0: T0,
      integrationIds,
    });
    expect(brief(t.messages)).toEqual([[10 * M + 30 * S, 'firing', 'first notification', 'A:firing']]);
  });

  it('an alert told firing before a window is still told resolved inside it (as under a silence)', async () => {
    const integrationIds = await receiver();
    const id = await window(2 * M, H);
    const t = await runTimeline(env.database, {
      events: [
        { at: 0, push: ['A'], labels: { service: 'api', environment: 'MT-PROD' } },
        { at: 3 * M, resolve: ['A'], labels: { service: 'api', environment: 'MT-PROD' } },
      ],
      until: 10 * M,
      t0: T0,
      integrationIds,
    });
    expect(brief(t.messages)).toEqual([
      [30 * S, 'firing', 'first notification', 'A:firing'],
      [5 * M + 30 * S, 'resolved', 'all alerts resolved', 'A:resolved'],
    ]);
    // The resolve went out although the window suppressed A at that tick.
    const [tick] = await env.database.sql<{ suppressed: { maintenanceBy?: string[] }[] }[]>`
      select suppressed from notification_ticks where tick_at = ${new Date(T0 + 5 * M + 30 * S)}`;
    expect(tick!.suppressed.map((s) => s.maintenanceBy)).toEqual([[id]]);
  });
});
