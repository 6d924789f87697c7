import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../../src/context';
import type { StatusPageView } from '../../src/services/status-page-view';
import { type PageWorld, pageWorld, refusal } from './helpers';

// Strings planted where a public page must never reach: check URLs and hosts, error texts, internal updates,
// user names and emails, a private service.
const PLANTED_HOST = 'planted-host.internal.example';
const PLANTED_ERROR = 'PLANTED ERROR connection refused by 10.1.2.3';
const PLANTED_INTERNAL = 'PLANTED INTERNAL root cause is the db password';
const PLANTED_NAME = 'Planted Person Name';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let w: PageWorld;
let author: Identity;
let s: Record<'shop' | 'search' | 'mail' | 'secret', { id: string; slug: string }>;
let ids: Record<'open' | 'devOnly' | 'resolved', string>;
let publicSlug: string;
let privateSlug: string;
let view: StatusPageView;

const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

beforeAll(async () => {
  w = await pageWorld();
  const sql = w.f.database.sql;
  const [pro, dev] = await Promise.all([w.env('PRO'), w.env('DEV')]);
  s = {
    shop: await w.service('Shop', true),
    search: await w.service('Search', true),
    mail: await w.service('Mail', true),
    secret: await w.service('Billing internals', false),
  };
  await sql`update users set name = ${PLANTED_NAME} where id = ${w.f.users.maintainer.id}`;
  author = { ...w.f.user('maintainer'), name: PLANTED_NAME };
  const api = w.caller(author);

  await w.check(s.shop.id, pro, 'up', { url: `https://${PLANTED_HOST}/health`, error: PLANTED_ERROR });
  await w.check(s.shop.id, dev, 'down', { error: PLANTED_ERROR }); // another environment: not on the page
  await w.check(s.search.id, pro, 'down', { url: `https://${PLANTED_HOST}/search`, error: PLANTED_ERROR });
  await w.check(s.mail.id, pro, 'degraded');

  const open = await api.incidents.create({
    title: 'Checkout errors',
    severity: 'SEV2',
    commanderId: w.f.users.maintainer.id,
    impacts: [
      { serviceId: s.shop.id, environmentId: pro, impact: 'partial_outage' },
      { serviceId: s.secret.id, environmentId: pro, impact: 'major_outage' },
    ],
    update: { body: 'We are looking into checkout errors.', visibility: 'public' },
  });
  await api.incidents.postUpdate({ id: open.id, body: PLANTED_INTERNAL, visibility: 'internal' });
  const devOnly = await api.incidents.create({
    title: 'Dev shop broken',
    severity: 'SEV4',
    impacts: [{ serviceId: s.shop.id, environmentId: dev, impact: 'major_outage' }],
  });
  const resolved = await api.incidents.create({
    title: 'Search was slow',
    severity: 'SEV3',
    impacts: [{ serviceId: s.search.id, environmentId: pro, impact: 'degraded_performance' }],
    update: { body: 'Search is slow.', visibility: 'public' },
  });
  await api.incidents.postUpdate({ id: resolved.id, body: PLANTED_INTERNAL, visibility: 'internal' });
  await api.incidents.transition({
    id: resolved.id,
    status: 'resolved',
    update: { body: 'Search is fast again.', visibility: 'public' },
  });
  // It happened yesterday, 10:00 to 11:00 UTC.
  const yesterday = Math.floor(Date.now() / DAY) * DAY - DAY;
  await sql`update incidents set started_at = ${new Date(yesterday + 10 * HOUR)},
    detected_at = ${new Date(yesterday + 10 * HOUR)}, resolved_at = ${new Date(yesterday + 11 * HOUR)}
    where id = ${resolved.id}`;
  ids = { open: open.id, devOnly: devOnly.id, resolved: resolved.id };

  const window = (title: string, serviceId: string, startsIn: number, description = '') =>
    api.maintenances.create({
      title,
      description,
      startsAt: new Date(Date.now() + startsIn),
      endsAt: new Date(Date.now() + startsIn + HOUR),
      rrule: null,
      timeZone: 'UTC',
      targets: [{ serviceId, environmentId: pro }],
    });
  await window('Mail server upgrade', s.mail.id, -10 * 60_000, 'Mail may be delayed.');
  await window('Search reindex', s.search.id, 2 * DAY);
  await window('Far away', s.search.id, 10 * DAY);
  await window('Dev shop only', s.shop.id, DAY).then((m) =>
    api.maintenances.update({
      id: m.id,
      maintenance: { targets: [{ serviceId: s.shop.id, environmentId: dev }] },
    }),
  );

  const admin = w.as('admin');
  publicSlug = (
    await admin.statusPages.create({
      slug: w.fx.unique('acme'),
      title: 'Acme status',
      visibility: 'public',
      logoUrl: 'https://cdn.example.com/acme.svg',
      footer: 'Questions? Write to us.',
      environmentIds: [pro],
      components: [
        { serviceId: s.shop.id, group: 'Core' },
        { serviceId: s.mail.id },
        { serviceId: s.search.id, group: 'Core' },
      ],
    })
  ).slug;
  privateSlug = (
    await admin.statusPages.create({
      slug: w.fx.unique('internal'),
      title: 'Internal status',
      visibility: 'private',
      environmentIds: [pro],
      components: [{ serviceId: s.secret.id }],
    })
  ).slug;
  view = await w.anonymous().statusPages.view({ slug: publicSlug });
});
afterAll(async () => {
  await w?.f.close();
});

const component = (v: StatusPageView, slug: string) =>
  v.groups.flatMap((g) => g.components).find((c) => c.key === slug);

describe('statusPages.view of a public page', () => {
  it('shows title, logo, footer, and components grouped in page order', () => {
    expect(view).toMatchObject({
      title: 'Acme status',
      logoUrl: 'https://cdn.example.com/acme.svg',
      footer: 'Questions? Write to us.',
      visibility: 'public',
    });
    expect(view.groups.map((g) => [g.name, g.components.map((c) => c.key)])).toEqual([
      ['Core', [s.shop.slug, s.search.slug]],
      [null, [s.mail.slug]],
    ]);
  });

  it('maps incident impact, a down check and active maintenance to component states; overall is the worst', () => {
    // Shop's check is up, but an open incident has it at partial outage (its DEV check and incident do not count).
    expect(component(view, s.shop.slug)?.status).toBe('partial_outage');
    expect(component(view, s.search.slug)?.status).toBe('major_outage');
    // Mail's check is degraded, inside an active maintenance window.
    expect(component(view, s.mail.slug)?.status).toBe('under_maintenance');
    expect(view.overall).toBe('major_outage');
  });

  it("lists the open incident with its impact on this page's components and its public updates only", () => {
    expect(view.activeIncidents).toHaveLength(1);
    const [incident] = view.activeIncidents;
    expect(incident).toMatchObject({
      id: ids.open,
      title: 'Checkout errors',
      status: 'investigating',
      impact: 'partial_outage',
      components: [s.shop.slug],
      resolvedAt: null,
    });
    expect(incident!.updates).toEqual([
      { status: 'investigating', body: 'We are looking into checkout errors.', createdAt: expect.any(Date) },
    ]);
  });

  it('lists the active maintenance and the one within 7 days, of its environments only', () => {
    expect(view.activeMaintenances).toEqual([
      expect.objectContaining({
        title: 'Mail server upgrade',
        description: 'Mail may be delayed.',
        components: [s.mail.slug],
      }),
    ]);
    expect(view.upcomingMaintenances.map((m) => [m.title, m.components])).toEqual([
      ['Search reindex', [s.search.slug]],
    ]);
  });

  it('keeps resolved incidents of the last 90 days as history, with public updates only', () => {
    expect(view.history.map((i) => i.id)).toEqual([ids.resolved]);
    expect(view.history[0]!.updates.map((u) => u.body)).toEqual(['Search is fast again.', 'Search is slow.']);
    expect(view.history[0]!.resolvedAt).toBeInstanceOf(Date);
  });

  it('has 90 daily bars per component, each with the incidents that overlapped its day', () => {
    const search = component(view, s.search.slug)!;
    const shop = component(view, s.shop.slug)!;
    expect(search.bars).toHaveLength(90);
    expect(shop.bars.at(-1)!.day).toBe(dayOf(Date.now()));
    const yesterday = dayOf(Date.now() - DAY);
    expect(search.bars.find((b) => b.day === yesterday)!.incidents).toEqual([
      { id: ids.resolved, title: 'Search was slow', impact: 'degraded_performance' },
    ]);
    expect(search.bars.at(-1)!.incidents).toEqual([]);
    expect(shop.bars.at(-1)!.incidents).toEqual([
      { id: ids.open, title: 'Checkout errors', impact: 'partial_outage' },
    ]);
    expect(shop.bars.find((b) => b.day === yesterday)!.incidents).toEqual([]);
    for (const b of search.bars) expect(b.uptime === null || (b.uptime >= 0 && b.uptime <= 1)).toBe(true);
  });

  it('never carries users, check URLs, hosts, error texts, internal updates or private services', async () => {
    const anonymousJson = JSON.stringify(view);
    const signedIn = JSON.stringify(await w.as('admin').statusPages.view({ slug: publicSlug }));
    const legacy = JSON.stringify(await w.anonymous().status.get());
    for (const json of [anonymousJson, signedIn, legacy]) {
      for (const planted of [
        PLANTED_HOST,
        PLANTED_ERROR,
        '10.1.2.3',
        PLANTED_INTERNAL,
        PLANTED_NAME,
        w.f.users.maintainer.id,
        w.f.users.maintainer.email,
        s.secret.slug,
        'Billing internals',
      ]) {
        expect(json).not.toContain(planted);
      }
    }
    // The planted strings are really stored, so the assertions above could fail.
    const [row] = await w.f.database.sql<{ n: number }[]>`
      select count(*)::int as n from incident_updates where body = ${PLANTED_INTERNAL}`;
    expect(row!.n).toBe(2);
  });

  it('silently drops a component whose service has since stopped being public', async () => {
    await w.as('admin').services.update({ id: s.mail.id, patch: { isPublic: false } });
    const after = await w.anonymous().statusPages.view({ slug: publicSlug });
    expect(after.groups.flatMap((g) => g.components.map((c) => c.key))).toEqual([s.shop.slug, s.search.slug]);
    expect(after.activeMaintenances).toEqual([]);
    await w.as('admin').services.update({ id: s.mail.id, patch: { isPublic: true } });
  });
});

describe('who may read', () => {
  it('an unknown slug is NOT_FOUND', async () => {
    expect(await refusal(w.anonymous().statusPages.view({ slug: 'no-such-page' }))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('a private page needs a signed-in user or an API key', async () => {
    expect(await refusal(w.anonymous().statusPages.view({ slug: privateSlug }))).toMatchObject({
      code: 'STATUS_PAGE_SIGN_IN',
    });
    for (const api of [w.as('viewer'), w.as('viewer', 'key')]) {
      const v = await api.statusPages.view({ slug: privateSlug });
      expect(v.groups[0]!.components.map((c) => c.key)).toEqual([s.secret.slug]);
      expect(v.groups[0]!.components[0]!.status).toBe('major_outage');
    }
  });
});

describe('status.get', () => {
  it('is the same builder on every public service in every environment, in its original shape', async () => {
    const legacy = await w.anonymous().status.get();
    const shop = legacy.services.find((x) => x.slug === s.shop.slug)!;
    // Every environment: the DEV check is down and the DEV incident is open.
    expect(shop.status).toBe('down');
    expect(shop.bars).toHaveLength(90);
    expect(legacy.services.find((x) => x.slug === s.mail.slug)?.status).toBe('maintenance');
    expect(legacy.overall).toBe('outage');
    expect(legacy.incidents.map((i) => i.title).sort()).toEqual(['Checkout errors', 'Dev shop broken']);
    expect(legacy.services.map((x) => x.slug)).not.toContain(s.secret.slug);
  });
});
