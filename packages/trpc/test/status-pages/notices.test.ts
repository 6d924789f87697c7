import { createDatabase } from '@sextant/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverDue } from '../../src/services/notify/deliver';
import type { SendNotification } from '../../src/services/notify/message';
import { enqueueIncidentNotice, enqueueMaintenanceNotices } from '../../src/services/status-page-notices';
import { subscriptionToken } from '../../src/services/subscription-tokens';
import { type SubscriberWorld, subscriberWorld } from './subscriber-world';

let w: SubscriberWorld;
let shop: { id: string; slug: string };
let search: { id: string; slug: string };
let page: { id: string; slug: string };
/** Who should hear of a Shop incident in PRO: confirmed, all components; confirmed, Shop chosen; a webhook. */
let all: string;
let shopOnly: string;
let hook: string;
/** Who should not: Search only, pending, unsubscribed, a private page's, a page of another environment's. */
let silent: string[];

const sql = () => w.f.database.sql;
const maintainer = () => w.as('maintainer');

beforeAll(async () => {
  w = await subscriberWorld();
  [shop, search] = [await w.service('Shop', true), await w.service('Search', true)];
  const components = [{ serviceId: shop.id }, { serviceId: search.id }];
  page = await w.page({ components });
  all = await w.confirmed(page.slug, 'all@example.com');
  shopOnly = await w.confirmed(page.slug, 'shop@example.com', [shop.slug]);
  const searchOnly = await w.confirmed(page.slug, 'search@example.com', [search.slug]);
  const pending = await w.subscribe(page.slug, 'pending@example.com');
  const gone = await w.confirmed(page.slug, 'gone@example.com');
  await w.anonymous().statusPages.unsubscribe({ token: subscriptionToken('unsubscribe', gone) });
  hook = (
    await w
      .as('admin')
      .statusPages.addWebhookSubscriber({ pageId: page.id, url: 'https://hooks.example.com/s' })
  ).id;
  const devPage = await w.page({ components, environmentIds: [w.dev] });
  const devSub = await w.confirmed(devPage.slug, 'dev@example.com');
  const privatePage = await w.page({ components, visibility: 'private' });
  const privateHook = (
    await w
      .as('admin')
      .statusPages.addWebhookSubscriber({ pageId: privatePage.id, url: 'https://p.example.com/' })
  ).id;
  silent = [searchOnly, pending, gone, devSub, privateHook];
});
afterAll(async () => {
  await w?.f.close();
});
beforeEach(async () => {
  await sql()`delete from notification_outbox where subscriber_id is not null
    and payload->>'event' <> 'subscription.confirm'`;
});

const told = async (event?: string) =>
  (await w.notices())
    .filter((n) => n.event !== 'subscription.confirm' && (!event || n.event === event))
    .map((n) => n.subscriber_id)
    .sort();
const expected = () => [all, shopOnly, hook].sort();

async function shopIncident(update?: { body: string; visibility: 'public' | 'internal' }) {
  return maintainer().incidents.create({
    title: 'Checkout errors',
    severity: 'SEV2',
    impacts: [{ serviceId: shop.id, environmentId: w.pro, impact: 'partial_outage' }],
    ...(update ? { update } : {}),
  });
}

describe('incident notices, in the incident write', () => {
  it('created, public update and resolved: one row per matching confirmed subscriber; an internal update none', async () => {
    const incident = await shopIncident({
      body: 'We are looking into checkout errors.',
      visibility: 'public',
    });
    expect(await told('incident.created')).toEqual(expected());
    await maintainer().incidents.postUpdate({
      id: incident.id,
      body: 'db-7.internal is on fire',
      visibility: 'internal',
    });
    expect(await told()).toEqual(expected());
    await maintainer().incidents.postUpdate({
      id: incident.id,
      body: 'A fix is rolling out.',
      visibility: 'public',
    });
    expect(await told('incident.updated')).toEqual(expected());
    await maintainer().incidents.transition({
      id: incident.id,
      status: 'resolved',
      update: { body: 'root cause: db-7.internal disk full (alice)', visibility: 'internal' },
    });
    expect(await told('incident.resolved')).toEqual(expected());
    for (const id of silent) expect(await told()).not.toContain(id);
    const resolved = (await w.notices()).find((n) => n.event === 'incident.resolved')!.payload;
    expect(resolved).toMatchObject({
      page: { id: page.id, slug: page.slug, title: 'Acme status' },
      incident: {
        title: 'Checkout errors',
        status: 'resolved',
        components: [{ name: expect.stringContaining('Shop'), impact: 'partial_outage' }],
        update: null,
      },
    });
    const everything = JSON.stringify(await w.notices());
    expect(everything).not.toContain('db-7.internal');
    expect(everything).not.toContain('alice');
  });

  it('an incident rolled back enqueues nothing; the same notice enqueued twice is one row', async () => {
    const incident = await shopIncident();
    const [row] = await sql()<
      { started_at: Date }[]
    >`select started_at from incidents where id = ${incident.id}`;
    const notice = {
      event: 'incident.updated' as const,
      incident: { ...incident, startedAt: row!.started_at, resolvedAt: null },
      update: null,
      nowMs: Date.now(),
    };
    const before = (await told()).length;
    expect(await enqueueIncidentNotice(w.f.database.db, notice)).toBe(3);
    expect(await enqueueIncidentNotice(w.f.database.db, notice)).toBe(0);
    expect((await told()).length).toBe(before + 3);
    const count = (await told()).length;
    await w.f.database.db
      .transaction(async (tx) => {
        await enqueueIncidentNotice(tx, { ...notice, event: 'incident.resolved' });
        throw new Error('roll back');
      })
      .catch(() => {});
    expect((await told()).length).toBe(count);
  });
});

describe('maintenance notices, by tick', () => {
  it('scheduled, started and completed once each, however many instances tick', async () => {
    const startsAt = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 3_600_000);
    await maintainer().maintenances.create({
      title: 'Database upgrade',
      description: 'Checkout may be slow.',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 1_800_000),
      rrule: null,
      timeZone: 'UTC',
      announceAheadMinutes: 120,
      targets: [{ serviceId: shop.id, environmentId: w.pro }],
    });
    // A second pool on the same database stands in for a second API instance.
    const o = sql().options as unknown as {
      user: string;
      pass: string | null;
      host: string[];
      port: number[];
      database: string;
    };
    const second = createDatabase(
      `postgres://${o.user}:${o.pass ?? ''}@${o.host[0]}:${o.port[0]}/${o.database}`,
      {
        max: 2,
      },
    );
    const t = startsAt.getTime();
    try {
      const tickAll = async (at: number) =>
        (
          await Promise.all([
            enqueueMaintenanceNotices(w.f.database.db, at),
            enqueueMaintenanceNotices(second.db, at),
            enqueueMaintenanceNotices(w.f.database.db, at),
          ])
        ).reduce((a, b) => a + b, 0);
      expect(await tickAll(t - 3 * 3_600_000)).toBe(0);
      expect(await tickAll(t - 3_600_000)).toBe(3);
      expect(await tickAll(t - 1_800_000)).toBe(0);
      expect(await tickAll(t + 60_000)).toBe(3);
      expect(await tickAll(t + 1_800_000 + 60_000)).toBe(3);
      expect(await tickAll(t + 1_800_000 + 3 * 3_600_000)).toBe(0);
    } finally {
      await second.close();
    }
    for (const event of ['maintenance.scheduled', 'maintenance.started', 'maintenance.completed'])
      expect(await told(event)).toEqual(expected());
    const started = (await w.notices()).find((n) => n.event === 'maintenance.started')!.payload;
    expect(started).toMatchObject({
      maintenance: {
        title: 'Database upgrade',
        description: 'Checkout may be slow.',
        startsAt: startsAt.toISOString(),
      },
    });
  });
});

describe('delivery of subscriber rows', () => {
  it('sends through the page integration to the subscriber only; an unsubscribed subscriber gets nothing', async () => {
    await shopIncident({ body: 'Looking into it.', visibility: 'public' });
    await w.anonymous().statusPages.unsubscribe({ token: subscriptionToken('unsubscribe', shopOnly) });
    const sent: { to: unknown; event: unknown; links: unknown }[] = [];
    const send: SendNotification = async (target, message) => {
      sent.push({
        to: target.settings.kind === 'email' ? target.settings.to : target.secrets.url,
        event: (message as { event?: string }).event,
        links: (message as { links?: unknown }).links,
      });
      return { class: 'success', status: 250, retryAfterMs: null, error: null, durationMs: 1 };
    };
    // A subscriber's notices go one at a time (its confirmation first): deliver until nothing is left to claim.
    for (let round = 0; round < 20; round++)
      if (
        (await deliverDue(sql(), Date.now() + 1_000, send, { publicUrl: 'https://status.example.com' }))
          .length === 0
      )
        break;
    const incidentSends = sent.filter((s) => s.event === 'incident.created');
    expect(incidentSends.map((s) => s.to).sort()).toEqual(
      [['all@example.com'], 'https://hooks.example.com/s'].sort(),
    );
    expect(incidentSends.find((s) => Array.isArray(s.to))!.links).toMatchObject({
      page: `https://status.example.com/status/${page.slug}`,
      oneClick: `https://status.example.com/status/${page.slug}/one-click-unsubscribe?token=${encodeURIComponent(subscriptionToken('unsubscribe', all))}`,
    });
    const [row] = await sql()<{ state: string; last_error: string }[]>`
      select state, last_error from notification_outbox where subscriber_id = ${shopOnly}
        and payload->>'event' = 'incident.created'`;
    expect(row).toEqual({ state: 'dead', last_error: 'unsubscribed' });
  });
});
