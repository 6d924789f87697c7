import { z } from 'zod';
import { SUBSCRIBER_LIMITS as L, STATUS_PAGE_LIMITS } from '../limits';
import { statusPageSlug } from './status-pages';

/** A component as the public view names it (`StatusPageComponentView.key`: its service's slug). */
const componentKeys = z
  .array(z.string().min(1).max(STATUS_PAGE_LIMITS.slugLength))
  .max(STATUS_PAGE_LIMITS.components)
  .refine((ks) => new Set(ks).size === ks.length, { message: 'Each component once.' })
  .default([]);

/** The public "Subscribe to updates" form; no components = every component of the page. */
export const subscribeInput = z.object({
  slug: statusPageSlug,
  email: z
    .email({ error: 'Enter an email address.' })
    .max(L.emailLength)
    .transform((e) => e.toLowerCase()),
  components: componentKeys,
});
export type SubscribeInput = z.output<typeof subscribeInput>;

/** A confirm or unsubscribe link's token, as the mail carries it. */
export const subscriptionTokenInput = z.object({ token: z.string().trim().min(1).max(L.tokenLength) });

export const subscriberListInput = z.object({
  pageId: z.uuid(),
  /** The last row of the previous page (newest first). */
  cursor: z.object({ createdAt: z.date(), id: z.uuid() }).nullish(),
});
export type SubscriberListInput = z.output<typeof subscriberListInput>;

/** Admin only: a public webhook form would let anyone point the server at any URL. */
export const webhookSubscriberInput = z.object({
  pageId: z.uuid(),
  url: z.url({ protocol: /^https?$/, error: 'Enter an http(s) URL.' }).max(L.urlLength),
  components: componentKeys,
});
export type WebhookSubscriberInput = z.output<typeof webhookSubscriberInput>;
