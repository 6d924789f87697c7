import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBSCRIBER_LIMITS } from '../../src/limits';
import { SUBSCRIBE_ANSWER } from '../../src/services/status-page-subscribers';
import { subscriptionToken } from '../../src/services/subscription-tokens';
import { refusal } from './helpers';
import { type SubscriberWorld, subscriberWorld } from './subscriber-world';

let w: SubscriberWorld;
beforeAll(async () => {
  w = await subscriberWorld();
});
afterAll(async () => {
  await w?.f.close();
});

const sql = () => w.f.database.sql;
const subscriberRows = (pageId: string) =>
  sql()<{ id: string; email: string; state: string; created_ip: string }[]>`
    select id, email, state, created_ip from status_page_subscribers where page_id = ${pageId} order by created_at`;
const confirmRows = (subscriberId: string) =>
  sql()<{ id: string; endpoint: string }[]>`
    select id, endpoint from notification_outbox where subscriber_id = ${subscriberId}
      and payload->>'event' = 'subscription.confirm'`;
const auditOf = (id: string) =>
  sql()<{ action: string; actor_label: string; ip: string; after: unknown }[]>`
    select action, actor_label, ip, diff->'after' as after from audit_log where target_id = ${id} order by id`;

describe('subscribe', () => {
  it('makes one pending subscriber and enqueues one confirmation, however often the address is sent', async () => {
    const page = await w.page();
    const first = await w
      .from('198.51.100.7')
      .statusPages.subscribe({ slug: page.slug, email: 'Jane@Example.com' });
    const again = await w
      .from('198.51.100.7')
      .statusPages.subscribe({ slug: page.slug, email: 'jane@example.com' });
    expect(first).toEqual(SUBSCRIBE_ANSWER);
    expect(again).toEqual(first);
    const rows = await subscriberRows(page.id);
    expect(rows).toEqual([
      { id: rows[0]!.id, email: 'jane@example.com', state: 'pending', created_ip: '198.51.100.7' },
    ]);
    expect(await confirmRows(rows[0]!.id)).toEqual([
      { id: expect.any(String), endpoint: 'smtp://smtp.example.invalid:587' },
    ]);
    // Audited once (the repeat changed nothing), anonymous, with the IP and the address masked.
    expect(await auditOf(rows[0]!.id)).toEqual([
      {
        action: 'status_page_subscriber.subscribe',
        actor_label: 'anonymous',
        ip: '198.51.100.7',
        after: { pageId: page.id, email: 'j***@example.com', state: 'pending', components: [] },
      },
    ]);
  });

  it('answers a confirmed address exactly as a new one, and sends it nothing', async () => {
    const page = await w.page();
    const id = await w.confirmed(page.slug, 'known@example.com');
    const before = (await confirmRows(id)).length;
    expect(
      await w.anonymous().statusPages.subscribe({ slug: page.slug, email: 'known@example.com' }),
    ).toEqual(SUBSCRIBE_ANSWER);
    expect(await confirmRows(id)).toHaveLength(before);
    expect((await subscriberRows(page.id)).map((r) => r.state)).toEqual(['confirmed']);
  });

  it('refuses a private page like an unknown one, a page without mail, and a component the page does not show', async () => {
    const priv = await w.page({ visibility: 'private', components: [] });
    const noMail = await w.page({ mailIntegrationId: null });
    // The public view tells the console whether to show the form.
    expect((await w.anonymous().statusPages.view({ slug: noMail.slug })).emailSubscriptions).toBe(false);
    expect((await w.as('viewer').statusPages.view({ slug: priv.slug })).emailSubscriptions).toBe(false);
    expect((await w.anonymous().statusPages.view({ slug: (await w.page()).slug })).emailSubscriptions).toBe(
      true,
    );
    const email = 'someone@example.com';
    expect(await refusal(w.anonymous().statusPages.subscribe({ slug: priv.slug, email }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await refusal(w.anonymous().statusPages.subscribe({ slug: 'no-such-page', email }))).toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
    expect(await refusal(w.anonymous().statusPages.subscribe({ slug: noMail.slug, email }))).toMatchObject({
      code: 'STATUS_PAGE_MAIL_OFF',
    });
    const page = await w.page();
    expect(
      await refusal(w.anonymous().statusPages.subscribe({ slug: page.slug, email, components: ['nope'] })),
    ).toMatchObject({ code: 'NOT_FOUND', path: 'components.0' });
    expect(await subscriberRows(priv.id)).toEqual([]);
  });

  it('limits new subscribers per IP over every page; another IP is not held back', async () => {
    const [a, b] = [await w.page(), await w.page()];
    const ip = '203.0.113.50';
    for (let i = 0; i < SUBSCRIBER_LIMITS.perIp; i++)
      await w.from(ip).statusPages.subscribe({ slug: i % 2 ? a.slug : b.slug, email: `p${i}@example.com` });
    expect(
      await refusal(w.from(ip).statusPages.subscribe({ slug: a.slug, email: 'extra@example.com' })),
    ).toMatchObject({ code: 'RATE_LIMITED' });
    // A known address makes no new subscriber, so it still gets the usual answer.
    expect(await w.from(ip).statusPages.subscribe({ slug: b.slug, email: 'p0@example.com' })).toEqual(
      SUBSCRIBE_ANSWER,
    );
    await w.from('203.0.113.51').statusPages.subscribe({ slug: a.slug, email: 'extra@example.com' });
    expect((await subscriberRows(a.id)).map((r) => r.email)).toContain('extra@example.com');
  });
});

describe('confirm and unsubscribe links', () => {
  it('confirms with a good token (twice is fine) and refuses a damaged or wrong-purpose one', async () => {
    const page = await w.page();
    const id = await w.subscribe(page.slug, 'confirm-me@example.com');
    const token = subscriptionToken('confirm', id);
    const bad = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await refusal(w.anonymous().statusPages.confirmSubscription({ token: bad }))).toMatchObject({
      code: 'SUBSCRIPTION_LINK_INVALID',
    });
    const unsubscribeToken = subscriptionToken('unsubscribe', id);
    expect(
      await refusal(w.anonymous().statusPages.confirmSubscription({ token: unsubscribeToken })),
    ).toMatchObject({ code: 'SUBSCRIPTION_LINK_INVALID' });
    expect(await w.anonymous().statusPages.confirmSubscription({ token })).toEqual({
      state: 'confirmed',
      page: { slug: page.slug, title: 'Acme status' },
    });
    expect(await w.anonymous().statusPages.confirmSubscription({ token })).toMatchObject({
      state: 'confirmed',
    });
    expect((await auditOf(id)).map((a) => a.action)).toEqual([
      'status_page_subscriber.subscribe',
      'status_page_subscriber.confirm',
    ]);
  });

  it('refuses a confirmation link older than the confirmation window', async () => {
    const page = await w.page();
    const id = await w.subscribe(page.slug, 'slow@example.com');
    await sql()`update status_page_subscribers
      set created_at = now() - make_interval(days => ${SUBSCRIBER_LIMITS.confirmDays}, mins => 1) where id = ${id}`;
    expect(
      await refusal(
        w.anonymous().statusPages.confirmSubscription({ token: subscriptionToken('confirm', id) }),
      ),
    ).toMatchObject({ code: 'SUBSCRIPTION_LINK_EXPIRED' });
    expect((await subscriberRows(page.id))[0]!.state).toBe('pending');
  });

  it('unsubscribes idempotently, audited once; the address may subscribe again afterwards', async () => {
    const page = await w.page();
    const id = await w.confirmed(page.slug, 'leaving@example.com');
    const token = subscriptionToken('unsubscribe', id);
    const answer = { state: 'unsubscribed', page: { slug: page.slug, title: 'Acme status' } };
    expect(await w.anonymous().statusPages.unsubscribe({ token })).toEqual(answer);
    expect(await w.anonymous().statusPages.unsubscribe({ token })).toEqual(answer);
    expect((await auditOf(id)).filter((a) => a.action.endsWith('unsubscribe'))).toHaveLength(1);
    expect(await refusal(w.anonymous().statusPages.unsubscribe({ token: `${id}.forged` }))).toMatchObject({
      code: 'SUBSCRIPTION_LINK_INVALID',
    });
    // Confirming a cancelled subscription is refused rather than reviving it.
    expect(
      await refusal(
        w.anonymous().statusPages.confirmSubscription({ token: subscriptionToken('confirm', id) }),
      ),
    ).toMatchObject({ code: 'SUBSCRIPTION_LINK_INVALID' });
    await w.subscribe(page.slug, 'leaving@example.com');
    expect((await subscriberRows(page.id)).map((r) => r.state)).toEqual(['unsubscribed', 'pending']);
  });
});

describe('admin: list, webhook subscribers, remove', () => {
  it('lists addresses to admins, adds a webhook (URL sealed, only its origin shown) and removes a subscriber', async () => {
    const shop = await w.service('Shop', true);
    const page = await w.page({ components: [{ serviceId: shop.id }] });
    const id = await w.subscribe(page.slug, 'listed@example.com', [shop.slug]);
    const admin = w.as('admin');
    const hook = await admin.statusPages.addWebhookSubscriber({
      pageId: page.id,
      url: 'https://hooks.example.com/status?token=s3cret',
      components: [],
    });
    expect(hook).toMatchObject({
      kind: 'webhook',
      state: 'confirmed',
      webhookOrigin: 'https://hooks.example.com',
    });
    const [stored] = await sql()<{ secrets_enc: string }[]>`
      select secrets_enc from status_page_subscribers where id = ${hook.id}`;
    expect(stored!.secrets_enc).not.toContain('s3cret');
    const listed = await admin.statusPages.subscribers({ pageId: page.id });
    expect(listed.nextCursor).toBeNull();
    expect(listed.items.map((s) => [s.kind, s.email, s.components, s.state])).toEqual([
      ['webhook', null, [], 'confirmed'],
      ['email', 'listed@example.com', [shop.slug], 'pending'],
    ]);
    expect(JSON.stringify(listed)).not.toContain('s3cret');
    expect(await admin.statusPages.removeSubscriber({ id })).toEqual({ id });
    expect(await confirmRows(id)).toEqual([]);
    expect((await admin.statusPages.subscribers({ pageId: page.id })).items).toHaveLength(1);
    expect(await refusal(admin.statusPages.removeSubscriber({ id }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a page mail integration that is not an email integration', async () => {
    const fixtures = w.fx;
    const { integrationId } = await fixtures.receiver();
    expect(await refusal(w.page({ mailIntegrationId: integrationId }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      path: 'mailIntegrationId',
    });
  });
});
