/**
 * Confirm and unsubscribe links: `<subscriber id>.<HMAC-SHA256(purpose + ":" + id)>` under the secret box's key, so
 * nothing secret is stored, each purpose has its own link, and a check takes constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import { secretBox } from './notify/secret-box';

export type TokenPurpose = 'confirm' | 'unsubscribe';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function subscriptionToken(purpose: TokenPurpose, subscriberId: string): string {
  return `${subscriberId}.${secretBox().mac(`${purpose}:${subscriberId}`)}`;
}

/** The subscriber a token names, or null when it is damaged or made for another purpose. */
export function readSubscriptionToken(purpose: TokenPurpose, token: string): string | null {
  const [id, mac, ...rest] = token.split('.');
  if (!id || !mac || rest.length > 0 || !UUID.test(id)) return null;
  const want = Buffer.from(secretBox().mac(`${purpose}:${id}`));
  const given = Buffer.from(mac);
  return given.length === want.length && timingSafeEqual(given, want) ? id : null;
}

/** A page's links for one subscriber (the console serves the human pages, the API the one-click edge). */
export function subscriberLinks(publicUrl: string, slug: string, subscriberId: string) {
  const page = `${publicUrl.replace(/\/+$/, '')}/status/${slug}`;
  const unsubscribe = encodeURIComponent(subscriptionToken('unsubscribe', subscriberId));
  return {
    page,
    unsubscribe: `${page}/unsubscribe?token=${unsubscribe}`,
    oneClick: `${page}/one-click-unsubscribe?token=${unsubscribe}`,
    confirm: `${page}/confirm?token=${encodeURIComponent(subscriptionToken('confirm', subscriberId))}`,
  };
}
