import { INTEGRATION_KINDS, type IntegrationKind } from '@sextant/db/enums';
import { z } from 'zod';
import { RECEIVER_LIMITS as L } from '../limits';
import { intIn } from './int';
import { SECRET_MASK } from './secret-mask';

/** PagerDuty's documented Events v2 endpoint; another URL only when a proxy stands in for it. */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
export const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export const PAGERDUTY_DEDUP = ['group', 'alert'] as const;

/**
 * The secret fields of each integration kind: stored encrypted, answered as SECRET_MASK (or null when unset).
 * A webhook's URL also holds secrets (userinfo, credential query parameters): `secretKeys` then lists `url`.
 */
export const INTEGRATION_SECRET_FIELDS = {
  webhook: ['hmacSecret', 'bearerToken'],
  slack: ['webhookUrl'],
  email: ['password'],
  pagerduty: ['routingKey'],
  teams: ['webhookUrl'],
  discord: ['webhookUrl'],
} as const satisfies Record<IntegrationKind, readonly string[]>;

const HTTP_URL_MESSAGE = 'Enter an http:// or https:// URL.';
const httpUrl = z.url({ protocol: /^https?$/, error: HTTP_URL_MESSAGE }).max(L.urlLength);

/** A URL that is a token as a whole (Slack, Teams, Discord): SECRET_MASK keeps the stored one. */
const secretUrl = z
  .string(HTTP_URL_MESSAGE)
  .max(L.urlLength)
  .refine((v) => v === SECRET_MASK || httpUrl.safeParse(v).success, HTTP_URL_MESSAGE);

/** An optional secret: empty or null removes it, SECRET_MASK keeps the stored one. */
const optionalSecret = z
  .string()
  .max(L.secretLength)
  .nullish()
  .transform((v) => v || null);

const optionalText = z
  .string()
  .trim()
  .max(L.textLength)
  .nullish()
  .transform((v) => v || undefined);

const common = {
  /** The saved integration this entry edits (its secrets can be kept); absent for a new one. */
  id: z.uuid().optional(),
  sendResolved: z.boolean().default(true),
  timeoutMs: intIn(L.timeoutMs, { min: 'At least 100 ms.', max: 'At most 30 s.' }).default(10_000),
};

export const webhookIntegration = z.object({
  kind: z.literal('webhook'),
  ...common,
  /** User name, password and credential query parameters in it are secrets (as a check's URL's are). */
  url: httpUrl,
  maxAlerts: intIn(L.maxAlerts).default(0),
  hmacSecret: optionalSecret,
  bearerToken: optionalSecret,
});

export const slackIntegration = z.object({
  kind: z.literal('slack'),
  ...common,
  webhookUrl: secretUrl,
  channel: optionalText,
  username: optionalText,
});

export const emailIntegration = z.object({
  kind: z.literal('email'),
  ...common,
  to: z
    .array(z.email('Enter an email address.').max(L.textLength))
    .min(1, 'Add a recipient.')
    .max(L.recipients, `At most ${L.recipients} recipients.`),
  from: z.email('Enter an email address.').max(L.textLength),
  smarthost: z.object({
    host: z
      .string()
      .trim()
      .min(1, 'Enter the SMTP host.')
      .max(253)
      .regex(/^[A-Za-z0-9.\-:[\]]+$/, 'Enter a host name or an IP address.'),
    port: intIn(L.port).default(587),
  }),
  requireTls: z.boolean().default(true),
  username: optionalText,
  password: optionalSecret,
});

export const pagerdutyIntegration = z.object({
  kind: z.literal('pagerduty'),
  ...common,
  url: httpUrl.default(PAGERDUTY_EVENTS_URL),
  severity: z.enum(PAGERDUTY_SEVERITIES).default('critical'),
  dedupBy: z.enum(PAGERDUTY_DEDUP).default('group'),
  routingKey: z.string().trim().min(1, 'Enter the routing key.').max(L.secretLength),
});

const chatWebhook = <K extends 'teams' | 'discord'>(kind: K) =>
  z.object({ kind: z.literal(kind), ...common, webhookUrl: secretUrl });

export const integrationInput = z.discriminatedUnion('kind', [
  webhookIntegration,
  slackIntegration,
  emailIntegration,
  pagerdutyIntegration,
  chatWebhook('teams'),
  chatWebhook('discord'),
]);
export type IntegrationInput = z.infer<typeof integrationInput>;

export const receiverInput = z.object({
  name: z.string().trim().min(1, 'Give the receiver a name.').max(L.nameLength),
  description: z.string().trim().max(L.descriptionLength).default(''),
  /** In the order messages are sent; at most RECEIVER_LIMITS.integrations. */
  integrations: z
    .array(integrationInput)
    .max(L.integrations, `At most ${L.integrations} integrations.`)
    .default([]),
});
export type ReceiverInput = z.infer<typeof receiverInput>;

/** "Send test": a saved integration, or a draft from the form (SECRET_MASK in it keeps `draft.id`'s secrets). */
export const receiverTestInput = z.union([
  z.object({ integrationId: z.uuid() }),
  z.object({ draft: integrationInput }),
]);
export type ReceiverTestInput = z.infer<typeof receiverTestInput>;

export { INTEGRATION_KINDS };
