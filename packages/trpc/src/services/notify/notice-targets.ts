/**
 * What each claimed row is sent to and with: an integration's row goes to its integration as stored; a subscriber's
 * notice goes through its page's email integration (to the subscriber only) or to the subscriber's own webhook, with
 * its links added now. A row with nothing to send to completes without a send (skip), never silently.
 */
import type { IntegrationSettings, Queries } from '@sextant/db';
import { subscriberLinks } from '../subscription-tokens';
import { DEFAULT_SEND_TIMEOUT_MS } from './delivery-policy';
import type { IntegrationTarget, OutboxPayload, SendOutcome } from './message';
import type { ClaimedDelivery } from './outbox';
import { secretBox } from './secret-box';
import { isStatusNotice } from './status-notice';

export type LoadTargets = (sql: Queries, ids: string[]) => Promise<Map<string, IntegrationTarget>>;

export type Resolved = { target: IntegrationTarget; message: OutboxPayload } | { skip: SendOutcome };

const skip = (error: string): Resolved => ({
  skip: { class: 'permanent', status: null, retryAfterMs: null, error, durationMs: 0 },
});

/** The outcome of a row whose integration was deleted after the tick: permanent, nothing to send to. */
export const INTEGRATION_GONE: SendOutcome = {
  class: 'permanent',
  status: null,
  retryAfterMs: null,
  error: 'the integration no longer exists',
  durationMs: 0,
};

/** The secret box's binding of a webhook subscriber's sealed URL to its row. */
export const subscriberBinding = (id: string) => `status_page_subscribers:${id}`;

interface SubscriberRow {
  id: string;
  kind: 'email' | 'webhook';
  email: string | null;
  secretsEnc: string | null;
  state: 'pending' | 'confirmed' | 'unsubscribed';
  slug: string;
  mailIntegrationId: string | null;
}

export async function resolveClaims(
  sql: Queries,
  claims: readonly ClaimedDelivery[],
  o: { loadTargets: LoadTargets; publicUrl: string },
): Promise<Map<string, Resolved>> {
  const subscriberIds = [...new Set(claims.flatMap((c) => (c.subscriberId ? [c.subscriberId] : [])))];
  const subscribers = subscriberIds.length
    ? await sql<SubscriberRow[]>`
        select s.id, s.kind, s.email, s.secrets_enc as "secretsEnc", s.state, p.slug,
          p.mail_integration_id as "mailIntegrationId"
        from status_page_subscribers s join status_pages p on p.id = s.page_id
        where s.id = any(${subscriberIds}::uuid[])`
    : [];
  const byId = new Map(subscribers.map((s) => [s.id, s]));
  const integrationIds = new Set(claims.flatMap((c) => (c.integrationId ? [c.integrationId] : [])));
  for (const s of subscribers)
    if (s.kind === 'email' && s.mailIntegrationId) integrationIds.add(s.mailIntegrationId);
  const targets = await o.loadTargets(sql, [...integrationIds]);
  const out = new Map<string, Resolved>();
  for (const c of claims) {
    if (c.integrationId) {
      const target = targets.get(c.integrationId);
      out.set(c.id, target ? { target, message: c.payload } : { skip: INTEGRATION_GONE });
    } else out.set(c.id, subscriberTarget(c, byId.get(c.subscriberId ?? ''), targets, o.publicUrl));
  }
  return out;
}

function subscriberTarget(
  c: ClaimedDelivery,
  s: SubscriberRow | undefined,
  targets: Map<string, IntegrationTarget>,
  publicUrl: string,
): Resolved {
  if (!s || !isStatusNotice(c.payload)) return skip('the subscriber no longer exists');
  if (s.state === 'unsubscribed') return skip('unsubscribed');
  const confirm = c.payload.event === 'subscription.confirm';
  if (confirm !== (s.state === 'pending')) return skip(confirm ? 'already confirmed' : 'not confirmed');
  const message = { ...c.payload, links: subscriberLinks(publicUrl, s.slug, s.id) };
  if (s.kind === 'email') {
    const mail = s.mailIntegrationId ? targets.get(s.mailIntegrationId) : undefined;
    if (!mail || mail.settings.kind !== 'email') return skip('the status page sends no mail');
    return { target: { ...mail, settings: { ...mail.settings, to: [s.email!] } }, message };
  }
  let url: string;
  try {
    url = secretBox().open(s.secretsEnc!, subscriberBinding(s.id));
  } catch {
    return skip('the webhook URL does not decrypt (another SEXTANT_SECRET_KEY?)');
  }
  const settings: IntegrationSettings = {
    kind: 'webhook',
    url,
    maxAlerts: 0,
    timeoutMs: DEFAULT_SEND_TIMEOUT_MS,
  };
  return {
    target: { id: `subscriber:${s.id}`, kind: 'webhook', settings, secrets: { url }, sendResolved: true },
    message,
  };
}
