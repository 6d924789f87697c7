/**
 * Status page subscribers: the public subscribe / confirm / unsubscribe calls (no answer ever tells whether an
 * address was known) and the admin list, webhook add and remove. Every change is audited in its transaction.
 */
import { randomUUID } from 'node:crypto';
import { and, count, type DbOrTx, desc, eq, gte, inArray, lt, ne, or, schema, sql } from '@sextant/db';
import type { ChangeContext } from '../context';
import { AppError } from '../errors';
import { SUBSCRIBER_LIMITS as L } from '../limits';
import type {
  SubscribeInput,
  SubscriberListInput,
  WebhookSubscriberInput,
} from '../schemas/status-page-subscribers';
import { audit } from './audit';
import { endpointOf } from './notify/integrations';
import { subscriberBinding } from './notify/notice-targets';
import { enqueueNotices } from './notify/outbox';
import { secretBox } from './notify/secret-box';
import { noticeIdempotencyKey } from './notify/status-notice';
import { webhookEndpoint } from './status-page-notices';
import { readSubscriptionToken } from './subscription-tokens';

const {
  statusPages,
  statusPageSubscribers: subs,
  statusPageComponents,
  services,
  receiverIntegrations,
} = schema;
const MINUTE = 60_000;

/** The one answer subscribe gives, whatever the address's state (no enumeration). */
export const SUBSCRIBE_ANSWER = {
  message: 'Check your inbox: if the address can subscribe, a confirmation link is on its way.',
} as const;

/** `jane@example.com` → `j***@example.com`: the audit log needs to tell calls apart, not to hold the address. */
export const maskEmail = (email: string) => email.replace(/^(.)[^@]*/, '$1***');

/** The services behind component keys (service slugs) of a page; an unknown key is refused at its index. */
async function servicesOfKeys(db: DbOrTx, pageId: string, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .select({ id: services.id, slug: services.slug })
    .from(statusPageComponents)
    .innerJoin(services, eq(services.id, statusPageComponents.serviceId))
    .where(and(eq(statusPageComponents.pageId, pageId), inArray(services.slug, keys)));
  const bySlug = new Map(rows.map((r) => [r.slug, r.id]));
  return keys.map((k, i) => {
    const id = bySlug.get(k);
    if (!id) throw new AppError('NOT_FOUND', 'The page shows no such component.', ['components', i]);
    return id;
  });
}

/** The page's mail endpoint (`smtp://host:port`), or STATUS_PAGE_MAIL_OFF. */
async function mailEndpoint(db: DbOrTx, integrationId: string | null): Promise<string> {
  const [row] = integrationId
    ? await db
        .select({ settings: receiverIntegrations.settings })
        .from(receiverIntegrations)
        .where(eq(receiverIntegrations.id, integrationId))
    : [];
  if (row?.settings.kind !== 'email')
    throw new AppError('STATUS_PAGE_MAIL_OFF', 'This status page offers no email subscription.');
  return endpointOf({
    id: integrationId!,
    kind: 'email',
    settings: row.settings,
    secrets: {},
    sendResolved: true,
  });
}

/** Enqueues a confirmation mail unless one was enqueued for this subscriber within confirmResendMinutes. */
async function enqueueConfirmation(
  tx: DbOrTx,
  page: { id: string; slug: string; title: string },
  subscriberId: string,
  endpoint: string,
  nowMs: number,
): Promise<boolean> {
  const since = new Date(nowMs - L.confirmResendMinutes * MINUTE).toISOString();
  const recent = await tx.execute(sql`
    select 1 from notification_outbox
    where subscriber_id = ${subscriberId} and group_key like 'notice:confirm:%' and created_at > ${since}::timestamptz
    limit 1`);
  if (recent.length > 0) return false;
  const noticeKey = `confirm:${nowMs}`;
  const idempotencyKey = noticeIdempotencyKey(noticeKey, subscriberId);
  await enqueueNotices(tx, [
    {
      idempotencyKey,
      pageId: page.id,
      noticeKey,
      subscriberId,
      endpoint,
      createdAt: nowMs,
      payload: {
        type: 'status_notice',
        event: 'subscription.confirm',
        idempotencyKey,
        page,
        at: new Date(nowMs).toISOString(),
      },
    },
  ]);
  return true;
}

/**
 * Public. A new or pending address gets a confirmation mail (at most one per confirmResendMinutes); a confirmed one
 * gets nothing; the answer is the same. New subscribers per IP are limited (counted from the table).
 */
export async function subscribe(ctx: ChangeContext, input: SubscribeInput, nowMs = Date.now()) {
  return ctx.db.transaction(async (tx) => {
    const [page] = await tx.select().from(statusPages).where(eq(statusPages.slug, input.slug));
    if (!page || page.visibility !== 'public') throw new AppError('NOT_FOUND', 'No such public status page.');
    const endpoint = await mailEndpoint(tx, page.mailIntegrationId);
    const serviceIds = await servicesOfKeys(tx, page.id, input.components);
    // One address of one page at a time; one IP's count at a time.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`subscribe:${page.id}:${input.email}`}))`);
    const [existing] = await tx
      .select()
      .from(subs)
      .where(and(eq(subs.pageId, page.id), eq(subs.email, input.email), ne(subs.state, 'unsubscribed')));
    if (existing?.state === 'confirmed') return SUBSCRIBE_ANSWER;
    const shown = { id: page.id, slug: page.slug, title: page.title };
    let id = existing?.id;
    if (!id) {
      if (ctx.ip) {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`subscribe-ip:${ctx.ip}`}))`);
        const [n] = await tx
          .select({ n: count() })
          .from(subs)
          .where(
            and(
              eq(subs.createdIp, ctx.ip),
              gte(subs.createdAt, new Date(nowMs - L.perIpWindowMinutes * MINUTE)),
            ),
          );
        if ((n?.n ?? 0) >= L.perIp)
          throw new AppError('RATE_LIMITED', 'Too many subscriptions from this address; try again later.');
      }
      const [row] = await tx
        .insert(subs)
        .values({
          pageId: page.id,
          kind: 'email',
          email: input.email,
          serviceIds,
          createdIp: ctx.ip,
          createdAt: new Date(nowMs),
        })
        .returning({ id: subs.id });
      id = row!.id;
    } else {
      await tx.update(subs).set({ serviceIds }).where(eq(subs.id, id));
    }
    const sent = await enqueueConfirmation(tx, shown, id, endpoint, nowMs);
    // Nothing changed (a repeat within the resend window): nothing to audit.
    if (existing && !sent) return SUBSCRIBE_ANSWER;
    await audit(tx, ctx, {
      action: existing ? 'status_page_subscriber.resend' : 'status_page_subscriber.subscribe',
      targetType: 'status_page_subscriber',
      targetId: id,
      after: {
        pageId: page.id,
        email: maskEmail(input.email),
        state: 'pending',
        components: input.components,
      },
    });
    return SUBSCRIBE_ANSWER;
  });
}

async function lockedSubscriber(tx: DbOrTx, id: string) {
  const [row] = await tx.select().from(subs).where(eq(subs.id, id)).for('update');
  if (!row) return null;
  const [page] = await tx
    .select({ slug: statusPages.slug, title: statusPages.title })
    .from(statusPages)
    .where(eq(statusPages.id, row.pageId));
  return { row, page: page! };
}

const invalidLink = () =>
  new AppError('SUBSCRIPTION_LINK_INVALID', 'This link is not valid; subscribe again from the status page.');

/** Public. Confirms a pending subscription within confirmDays; a confirmed one answers the same (links are clicked twice). */
export async function confirmSubscription(ctx: ChangeContext, token: string, nowMs = Date.now()) {
  const id = readSubscriptionToken('confirm', token);
  if (!id) throw invalidLink();
  return ctx.db.transaction(async (tx) => {
    const found = await lockedSubscriber(tx, id);
    if (!found || found.row.state === 'unsubscribed') throw invalidLink();
    const { row, page } = found;
    const answer = { state: 'confirmed' as const, page };
    if (row.state === 'confirmed') return answer;
    if (row.createdAt.getTime() < nowMs - L.confirmDays * 1440 * MINUTE)
      throw new AppError('SUBSCRIPTION_LINK_EXPIRED', 'This confirmation link has expired; subscribe again.');
    await tx
      .update(subs)
      .set({ state: 'confirmed', confirmedAt: new Date(nowMs) })
      .where(eq(subs.id, id));
    await audit(tx, ctx, {
      action: 'status_page_subscriber.confirm',
      targetType: 'status_page_subscriber',
      targetId: id,
      before: { state: row.state },
      after: { state: 'confirmed' },
    });
    return answer;
  });
}

/** Public (and the one-click edge). Idempotent: an unsubscribed or removed subscriber answers the same. */
export async function unsubscribe(ctx: ChangeContext, token: string, nowMs = Date.now()) {
  const id = readSubscriptionToken('unsubscribe', token);
  if (!id) throw invalidLink();
  return ctx.db.transaction(async (tx) => {
    const found = await lockedSubscriber(tx, id);
    const answer = { state: 'unsubscribed' as const, page: found?.page ?? null };
    if (!found || found.row.state === 'unsubscribed') return answer;
    await tx
      .update(subs)
      .set({ state: 'unsubscribed', unsubscribedAt: new Date(nowMs) })
      .where(eq(subs.id, id));
    await audit(tx, ctx, {
      action: 'status_page_subscriber.unsubscribe',
      targetType: 'status_page_subscriber',
      targetId: id,
      before: { state: found.row.state },
      after: { state: 'unsubscribed' },
    });
    return answer;
  });
}

async function assertPage(db: DbOrTx, pageId: string) {
  const [page] = await db.select({ id: statusPages.id }).from(statusPages).where(eq(statusPages.id, pageId));
  if (!page) throw new AppError('NOT_FOUND', 'No such status page.', ['pageId']);
}

/** A subscriber as admins see it: the address, never a webhook URL (only its origin: the URL may be a token). */
function present(row: typeof subs.$inferSelect, keyOf: Map<string, string>) {
  return {
    id: row.id,
    kind: row.kind,
    email: row.email,
    webhookOrigin: row.kind === 'webhook' ? webhookEndpoint(row.id, row.secretsEnc) : null,
    components: row.serviceIds.map((id) => keyOf.get(id) ?? null).filter((k): k is string => k !== null),
    state: row.state,
    createdAt: row.createdAt,
    confirmedAt: row.confirmedAt,
    unsubscribedAt: row.unsubscribedAt,
  };
}

/** Admin. Newest first, keyset-paginated on (created_at, id). */
export async function listSubscribers(db: DbOrTx, input: SubscriberListInput) {
  await assertPage(db, input.pageId);
  const c = input.cursor;
  const rows = await db
    .select()
    .from(subs)
    .where(
      and(
        eq(subs.pageId, input.pageId),
        c
          ? or(lt(subs.createdAt, c.createdAt), and(eq(subs.createdAt, c.createdAt), lt(subs.id, c.id)))
          : undefined,
      ),
    )
    .orderBy(desc(subs.createdAt), desc(subs.id))
    .limit(L.pageSize + 1);
  const items = rows.slice(0, L.pageSize);
  const serviceIds = [...new Set(items.flatMap((r) => r.serviceIds))];
  const slugs = serviceIds.length
    ? await db
        .select({ id: services.id, slug: services.slug })
        .from(services)
        .where(inArray(services.id, serviceIds))
    : [];
  const keyOf = new Map(slugs.map((s) => [s.id, s.slug]));
  const last = items.at(-1);
  return {
    items: items.map((r) => present(r, keyOf)),
    nextCursor: rows.length > L.pageSize && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}

/** Admin. A webhook subscriber is confirmed at once (an admin chose the URL); the URL is sealed, never shown again. */
export async function addWebhookSubscriber(
  ctx: ChangeContext,
  input: WebhookSubscriberInput,
  nowMs = Date.now(),
) {
  return ctx.db.transaction(async (tx) => {
    await assertPage(tx, input.pageId);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`subscriber-webhooks:${input.pageId}`}))`);
    const [n] = await tx
      .select({ n: count() })
      .from(subs)
      .where(and(eq(subs.pageId, input.pageId), eq(subs.kind, 'webhook'), ne(subs.state, 'unsubscribed')));
    if ((n?.n ?? 0) >= L.webhooksPerPage)
      throw new AppError('CONFLICT', `At most ${L.webhooksPerPage} webhook subscribers per page.`, ['url']);
    const serviceIds = await servicesOfKeys(tx, input.pageId, input.components);
    const id = randomUUID();
    const at = new Date(nowMs);
    const [row] = await tx
      .insert(subs)
      .values({
        id,
        pageId: input.pageId,
        kind: 'webhook',
        secretsEnc: secretBox().seal(input.url, subscriberBinding(id)),
        serviceIds,
        state: 'confirmed',
        confirmedAt: at,
        createdAt: at,
      })
      .returning();
    const keyOf = new Map(serviceIds.map((sid, i) => [sid, input.components[i]!]));
    const shown = present(row!, keyOf);
    await audit(tx, ctx, {
      action: 'status_page_subscriber.add_webhook',
      targetType: 'status_page_subscriber',
      targetId: id,
      after: { pageId: input.pageId, ...shown },
    });
    return shown;
  });
}

/** Admin. Removes a subscriber and (by cascade) its undelivered notices. */
export async function removeSubscriber(ctx: ChangeContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.delete(subs).where(eq(subs.id, id)).returning();
    if (!row) throw new AppError('NOT_FOUND', 'No such subscriber.', ['id']);
    await audit(tx, ctx, {
      action: 'status_page_subscriber.remove',
      targetType: 'status_page_subscriber',
      targetId: id,
      before: {
        pageId: row.pageId,
        kind: row.kind,
        email: row.email && maskEmail(row.email),
        state: row.state,
      },
    });
    return { id };
  });
}
