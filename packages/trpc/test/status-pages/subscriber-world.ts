import { randomBytes } from 'node:crypto';
import { appRouter } from '../../src/root';
import { useSecretKey } from '../../src/services/notify/secret-box';
import { subscriptionToken } from '../../src/services/subscription-tokens';
import { type PageWorld, pageWorld } from './helpers';

export interface SubscriberWorld extends PageWorld {
  pro: string;
  dev: string;
  /** An email integration (to an unresolvable smarthost) pages send subscriber mail through. */
  mailIntegrationId: string;
  /** A page made by an admin; public with mail unless `over` says otherwise. */
  page(over?: Record<string, unknown>): Promise<{ id: string; slug: string }>;
  /** Subscribes `email` through the public procedure (from `ip`, else a fresh one), returning the subscriber's id. */
  subscribe(slug: string, email: string, components?: string[], ip?: string): Promise<string>;
  /** An anonymous caller from `ip`. */
  from(ip: string): ReturnType<typeof appRouter.createCaller>;
  /** subscribe, then confirm through the link. */
  confirmed(slug: string, email: string, components?: string[]): Promise<string>;
  /** The subscriber notice rows in the outbox (oldest first). */
  notices(): Promise<
    { subscriber_id: string; event: string; state: string; payload: Record<string, unknown> }[]
  >;
}

export async function subscriberWorld(): Promise<SubscriberWorld> {
  useSecretKey(randomBytes(32));
  const w = await pageWorld();
  const [pro, dev] = await Promise.all([w.env('PRO'), w.env('DEV')]);
  const admin = w.as('admin');
  const receiver = await admin.receivers.create({
    receiver: {
      name: w.fx.unique('status mail'),
      description: '',
      integrations: [
        {
          kind: 'email',
          sendResolved: true,
          timeoutMs: 2_000,
          to: ['ops@example.com'],
          from: 'status@example.com',
          smarthost: { host: 'smtp.example.invalid', port: 587 },
          requireTls: true,
          username: undefined,
          password: null,
        },
      ],
    },
  });
  const mailIntegrationId = receiver.integrations[0]!.id;
  const sql = w.f.database.sql;
  // Each helper subscription from its own IP: the per-IP limit is under test elsewhere.
  let n = 0;
  const world: SubscriberWorld = {
    ...w,
    pro,
    dev,
    mailIntegrationId,
    async page(over = {}) {
      const svc = await w.service('Page default', true);
      const page = await admin.statusPages.create({
        slug: w.fx.unique('subs'),
        title: 'Acme status',
        visibility: 'public',
        mailIntegrationId,
        environmentIds: [pro],
        components: [{ serviceId: svc.id }],
        ...over,
      });
      return { id: page.id, slug: page.slug };
    },
    from: (ip) => appRouter.createCaller({ ...w.f.ctx(null), ip }),
    async subscribe(slug, email, components = [], ip = `198.51.${Math.floor(++n / 250)}.${n % 250}`) {
      await world.from(ip).statusPages.subscribe({ slug, email, components });
      const [row] = await sql<{ id: string }[]>`
        select s.id from status_page_subscribers s join status_pages p on p.id = s.page_id
        where p.slug = ${slug} and s.email = ${email.toLowerCase()} and s.state <> 'unsubscribed'`;
      return row!.id;
    },
    async confirmed(slug, email, components = []) {
      const id = await world.subscribe(slug, email, components);
      await w.anonymous().statusPages.confirmSubscription({ token: subscriptionToken('confirm', id) });
      return id;
    },
    async notices() {
      return sql`
        select subscriber_id, payload->>'event' as event, state, payload from notification_outbox
        where subscriber_id is not null order by created_at, id`;
    },
  };
  return world;
}
