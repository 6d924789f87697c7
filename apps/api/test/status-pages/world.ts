import { plainGet } from '@sextant/db/check-config';
import type { TestApi } from '../helpers';

// A public page and a private one over services, checks, incidents and maintenance, with strings planted where
// the public edges must never reach (private service, internal update, check URL host, error text, user name).

export const PLANTED = {
  privateService: 'Zqx Ledger Internals',
  internal: 'ZQX-INTERNAL-MARKER the root cause is the db password',
  host: 'zqx-planted-host.corp.example',
  error: 'ZQX-PLANTED-ERROR connect ECONNREFUSED 10.9.8.7:5432',
  person: 'Zqx Planted Person',
};
/** A title written to break XML and HTML if anything forgets to escape it. */
export const HOSTILE_TITLE = `<script>alert("x")</script> & ]]> 'q' <![CDATA[ &amp;`;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface World {
  publicSlug: string;
  privateSlug: string;
  services: Record<'shop' | 'mail' | 'search' | 'secret', { id: string; slug: string }>;
  incidents: Record<'open' | 'resolved', string>;
  /** The admin's email: a user's address must not reach the public edges either. */
  adminEmail: string;
}

export async function buildWorld(api: TestApi): Promise<World> {
  const admin = await api.asUser('admin');
  await api.sql`update users set name = ${PLANTED.person} where id = ${admin.userId}`;
  const c = admin.client;
  const [pro] = await api.sql<{ id: string }[]>`select id from environments where name = 'PRO'`;
  const env = pro!.id;
  const service = async (name: string, isPublic: boolean) => {
    const row = await c.services.create.mutate({ name, isPublic });
    return { id: row.id, slug: row.slug };
  };
  const services = {
    shop: await service('Shop', true),
    mail: await service('Mail', true),
    search: await service('Search', true),
    secret: await service(PLANTED.privateService, false),
  };

  // Shop: up for two days but for one 30-minute outage an hour ago (24 h: 97.91 %, 7 d and 30 d: 98.95 %).
  const now = Date.now();
  const check = async (serviceId: string, url: string) => {
    const [row] = await api.sql<{ id: string }[]>`
      insert into checks (service_id, environment_id, name, kind, config, interval_seconds, phase_offset_ms, next_run_at, status,
        last_error, created_at)
      values (${serviceId}, ${env}, ${`check ${url}`}, 'http', ${api.sql.json(plainGet(url) as never)}, 60, 0,
        ${new Date(now + HOUR)}, 'up', ${PLANTED.error}, ${new Date(now - 2 * DAY)})
      returning id`;
    return row!.id;
  };
  const shopCheck = await check(services.shop.id, `https://${PLANTED.host}/health?token=abc`);
  await check(services.secret.id, `https://${PLANTED.host}/ledger`);
  await api.sql`
    insert into monitor_events (check_id, service_id, at, from_status, to_status, cause) values
      (${shopCheck}, ${services.shop.id}, ${new Date(now - 2 * DAY)}, 'unknown', 'up', ${PLANTED.error}),
      (${shopCheck}, ${services.shop.id}, ${new Date(now - HOUR)}, 'up', 'down', ${PLANTED.error}),
      (${shopCheck}, ${services.shop.id}, ${new Date(now - HOUR / 2)}, 'down', 'up', ${PLANTED.error})`;

  const open = await c.incidents.create.mutate({
    title: 'Checkout errors',
    severity: 'SEV2',
    commanderId: admin.userId,
    impacts: [
      { serviceId: services.shop.id, environmentId: env, impact: 'partial_outage' },
      { serviceId: services.secret.id, environmentId: env, impact: 'major_outage' },
    ],
    update: { body: 'We are looking into checkout errors.', visibility: 'public' },
  });
  await c.incidents.postUpdate.mutate({ id: open.id, body: PLANTED.internal, visibility: 'internal' });
  await c.incidents.transition.mutate({
    id: open.id,
    status: 'monitoring',
    update: { body: 'A fix is out; we are watching <b>it</b> & more.', visibility: 'public' },
  });
  const resolved = await c.incidents.create.mutate({
    title: HOSTILE_TITLE,
    severity: 'SEV3',
    commanderId: admin.userId,
    impacts: [{ serviceId: services.search.id, environmentId: env, impact: 'degraded_performance' }],
    update: { body: `Search is slow ${HOSTILE_TITLE}`, visibility: 'public' },
  });
  await c.incidents.postUpdate.mutate({ id: resolved.id, body: PLANTED.internal, visibility: 'internal' });
  await c.incidents.transition.mutate({
    id: resolved.id,
    status: 'resolved',
    update: { body: 'Search is fast again.', visibility: 'public' },
  });
  // It happened yesterday, 10:00 to 11:00 UTC, so the feeds' newest-first order is known.
  const yesterday = Math.floor(now / DAY) * DAY - DAY;
  await api.sql`update incidents set started_at = ${new Date(yesterday + 10 * HOUR)},
    detected_at = ${new Date(yesterday + 10 * HOUR)}, resolved_at = ${new Date(yesterday + 11 * HOUR)}
    where id = ${resolved.id}`;

  const window = (title: string, serviceId: string, startsIn: number, description = '') =>
    c.maintenances.create.mutate({
      title,
      description,
      startsAt: new Date(Date.now() + startsIn),
      endsAt: new Date(Date.now() + startsIn + HOUR),
      rrule: null,
      timeZone: 'UTC',
      targets: [{ serviceId, environmentId: env }],
    });
  await window('Mail server upgrade', services.mail.id, -10 * 60_000, 'Mail may be delayed.');
  await window('Search reindex', services.search.id, 2 * DAY);
  await window(`Ledger move ${PLANTED.privateService}`, services.secret.id, DAY);

  const publicSlug = (
    await c.statusPages.create.mutate({
      slug: 'edges-acme',
      title: 'Acme status',
      visibility: 'public',
      environmentIds: [env],
      components: [
        { serviceId: services.shop.id, group: 'Core' },
        { serviceId: services.mail.id },
        { serviceId: services.search.id, group: 'Core' },
      ],
    })
  ).slug;
  const privateSlug = (
    await c.statusPages.create.mutate({
      slug: 'edges-internal',
      title: 'Internal status',
      visibility: 'private',
      environmentIds: [env],
      components: [{ serviceId: services.secret.id }],
    })
  ).slug;
  return {
    publicSlug,
    privateSlug,
    services,
    incidents: { open: open.id, resolved: resolved.id },
    adminEmail: admin.email,
  };
}

export const JSON_FILES = [
  'summary.json',
  'status.json',
  'components.json',
  'incidents.json',
  'incidents/unresolved.json',
  'scheduled-maintenances.json',
  'scheduled-maintenances/upcoming.json',
  'scheduled-maintenances/active.json',
];

/** Every public edge of a page: the JSON files, both feeds, the page badge and each component's four badges. */
export function edgePaths(slug: string, componentKeys: string[]): string[] {
  return [
    ...JSON_FILES.map((f) => `/status-pages/${slug}/api/v2/${f}`),
    `/status-pages/${slug}/history.atom`,
    `/status-pages/${slug}/history.rss`,
    `/status-pages/${slug}/badge.svg`,
    ...componentKeys.flatMap((k) =>
      ['badge', 'uptime-24h', 'uptime-7d', 'uptime-30d'].map(
        (b) => `/status-pages/${slug}/components/${k}/${b}.svg`,
      ),
    ),
  ];
}
