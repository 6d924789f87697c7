import { createDatabase, type Database } from '@sextant/db';
import { deliverDue, subscriptionToken } from '@sextant/trpc';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SignedIn, useTestApi } from '../helpers';
import { sendLoopback, startSmtp } from './fixtures';

// Status page notices end to end: subscribe, the confirmation mail, confirm through its link, incident mail with
// RFC 8058 headers and nothing internal, one-click unsubscribe over plain HTTP, and nothing sent after it.

const PUBLIC_URL = 'https://status.example.test';
const INTERNAL = 'ZQX-INTERNAL db-7.corp password in the runbook';
const api = useTestApi({ API_RATE_LIMIT_PER_MIN: '0', SEXTANT_PUBLIC_URL: PUBLIC_URL });

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let db: Database;
let admin: SignedIn;
let slug: string;
let shopId: string;
let pro: string;

const header = (mail: ParsedMail, name: string) =>
  mail.headerLines
    .find((h) => h.key === name)
    ?.line.replace(/\r?\n\s+/g, ' ')
    .replace(/^[^:]+:\s*/, '');
/** Delivers until nothing is left to claim (a subscriber's notices go one at a time). */
async function deliverAll() {
  for (let round = 0; round < 20; round++) {
    const done = await deliverDue(db.sql, Date.now() + 1_000, sendLoopback(), { publicUrl: PUBLIC_URL });
    if (done.length === 0) return;
  }
}

beforeAll(async () => {
  smtp = await startSmtp();
  db = createDatabase(api.databaseUrl, { max: 2 });
  admin = await api.asUser('admin');
  // The smarthost is this test's own server on loopback, which the built-in rules refuse.
  await admin.client.settings.setOutbound.mutate({ deny: [], allow: ['127.0.0.1'] });
  const [row] = await api.sql<{ id: string }[]>`select id from environments where name = 'PRO'`;
  pro = row!.id;
  const shop = await admin.client.services.create.mutate({ name: 'Shop', isPublic: true });
  shopId = shop.id;
  const receiver = await admin.client.receivers.create.mutate({
    receiver: {
      name: 'Status mail',
      integrations: [
        {
          kind: 'email',
          to: ['ops@example.test'],
          from: 'status@example.test',
          smarthost: { host: '127.0.0.1', port: smtp.port },
          requireTls: false,
        },
      ],
    },
  });
  const page = await admin.client.statusPages.create.mutate({
    slug: 'acme-mail',
    title: 'Acme <status>',
    visibility: 'public',
    mailIntegrationId: receiver.integrations[0]!.id,
    environmentIds: [pro],
    components: [{ serviceId: shopId }],
  });
  slug = page.slug;
});
afterAll(async () => {
  await smtp?.close();
  await db?.close();
});

describe('status page notices over real SMTP', () => {
  let subscriberId: string;

  it('sends one confirmation mail whose link confirms the subscription', async () => {
    await api.client.statusPages.subscribe.mutate({ slug, email: 'Reader@Example.test' });
    await api.client.statusPages.subscribe.mutate({ slug, email: 'reader@example.test' });
    await deliverAll();
    expect(smtp.captured).toHaveLength(1);
    const mail = smtp.captured[0]!;
    expect(mail.subject).toBe('Confirm your subscription to Acme <status>');
    expect((mail.to as { text: string }).text).toBe('reader@example.test');
    expect(mail.html).toContain('Acme &lt;status&gt;');
    const link = /Confirm: (\S+)/.exec(mail.text ?? '')![1]!;
    expect(link.startsWith(`${PUBLIC_URL}/status/acme-mail/confirm?token=`)).toBe(true);
    const token = decodeURIComponent(new URL(link).searchParams.get('token')!);
    subscriberId = token.split('.')[0]!;
    expect(await api.client.statusPages.confirmSubscription.mutate({ token })).toMatchObject({
      state: 'confirmed',
    });
  });

  it('mails an incident with List-Unsubscribe headers, the public story only', async () => {
    const maintainer = await api.asUser('maintainer');
    const incident = await maintainer.client.incidents.create.mutate({
      title: 'Checkout <b>errors</b>',
      severity: 'SEV2',
      impacts: [{ serviceId: shopId, environmentId: pro, impact: 'major_outage' }],
      update: { body: 'We are looking into failed payments.', visibility: 'public' },
    });
    await maintainer.client.incidents.postUpdate.mutate({
      id: incident.id,
      body: INTERNAL,
      visibility: 'internal',
    });
    await deliverAll();
    expect(smtp.captured).toHaveLength(2);
    const mail = smtp.captured[1]!;
    expect(mail.subject).toBe('[Acme <status>] Investigating: Checkout <b>errors</b>');
    const oneClick = `${PUBLIC_URL}/status/acme-mail/one-click-unsubscribe?token=${encodeURIComponent(subscriptionToken('unsubscribe', subscriberId))}`;
    expect(header(mail, 'list-unsubscribe')).toBe(`<${oneClick}>`);
    expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.messageId).toMatch(/^<[0-9a-f]{64}@sextant>$/);
    expect(mail.text).toContain('Affected: Shop (major outage)');
    expect(mail.text).toContain('We are looking into failed payments.');
    expect(mail.text).toContain(`Unsubscribe: ${PUBLIC_URL}/status/acme-mail/unsubscribe?token=`);
    expect(mail.html).toContain('Checkout &lt;b&gt;errors&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>errors');
    for (const text of [mail.text, mail.html, JSON.stringify(mail.headerLines)]) {
      expect(text).not.toContain('ZQX');
      expect(text).not.toContain(maintainer.email);
    }
  });

  it('one-click unsubscribe over plain HTTP is idempotent; a pending notice is then never sent', async () => {
    const maintainer = await api.asUser('maintainer');
    const incident = await maintainer.client.incidents.create.mutate({
      title: 'Search slow',
      severity: 'SEV3',
      impacts: [{ serviceId: shopId, environmentId: pro, impact: 'degraded_performance' }],
    });
    const token = encodeURIComponent(subscriptionToken('unsubscribe', subscriberId));
    const url = `${api.baseUrl}/status-pages/acme-mail/one-click-unsubscribe?token=${token}`;
    const post = () =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(url.replace(/token=.*/, 'token=x.y'), { method: 'POST' })).status).toBe(400);
    await deliverAll();
    expect(smtp.captured).toHaveLength(2);
    const [row] = await api.sql<{ state: string; last_error: string }[]>`
      select state, last_error from notification_outbox
      where subscriber_id = ${subscriberId} and payload->'incident'->>'id' = ${incident.id}`;
    expect(row).toEqual({ state: 'dead', last_error: 'unsubscribed' });
    const [sub] = await api.sql<
      { state: string }[]
    >`select state from status_page_subscribers where id = ${subscriberId}`;
    expect(sub!.state).toBe('unsubscribed');
  });
});
