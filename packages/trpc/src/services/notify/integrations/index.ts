/**
 * Pure payload builders, one file per integration kind: `render` turns a message into what the transport sends,
 * `endpointOf` names the endpoint a circuit breaker and rate limit key on.
 */
import type { IntegrationKind } from '@sextant/db';
import type { IntegrationTarget, OutboxPayload } from '../message';
import { isProjectDigest, renderDigestEmail } from '../project-digest';
import { isRolloutNotice, renderRolloutWebhook } from '../rollout-notice';
import { isStatusNotice } from '../status-notice';
import { IntegrationConfigError } from './config-error';
import { renderDiscord } from './discord';
import { type Mail, renderEmail } from './email';
import { type HttpRequest, parseHttpUrl } from './http-request';
import { renderNoticeEmail, renderNoticeWebhook } from './notice';
import { renderPagerDuty } from './pagerduty';
import { renderSlack } from './slack';
import { renderTeams } from './teams';
import { renderWebhook } from './webhook';

export { IntegrationConfigError } from './config-error';
export type { Mail } from './email';
export type { HttpRequest } from './http-request';
export { alertDedupKey, groupDedupKey } from './pagerduty';
export { SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from './webhook';

/** The secret names each kind reads from `IntegrationTarget.secrets` (stored encrypted, never shown again). */
export const INTEGRATION_SECRETS = {
  /** url: the full URL when it carried credentials (userinfo or a token in the query); else settings.url. */
  webhook: ['url', 'bearerToken', 'hmacSecret'],
  /** The whole URL is the token (Slack, Teams, Discord). */
  slack: ['webhookUrl'],
  email: ['password'],
  pagerduty: ['routingKey'],
  teams: ['webhookUrl'],
  discord: ['webhookUrl'],
} as const satisfies Record<IntegrationKind, readonly string[]>;

export type Rendered = { transport: 'http'; requests: HttpRequest[] } | { transport: 'smtp'; mail: Mail };

/** What to send for `message` through `target`; `atMs` stamps the webhook signature. Throws IntegrationConfigError. */
export function render(target: IntegrationTarget, message: OutboxPayload, atMs = Date.now()): Rendered {
  const settings = target.settings;
  if (settings.kind !== target.kind)
    throw new IntegrationConfigError(`settings of kind ${settings.kind} on a ${target.kind} integration`);
  const http = (...requests: HttpRequest[]): Rendered => ({ transport: 'http', requests });
  // A subscriber's notice: mail through the page's email integration, or the subscriber's own webhook.
  if (isStatusNotice(message)) {
    if (settings.kind === 'email') return { transport: 'smtp', mail: renderNoticeEmail(target, message) };
    if (settings.kind === 'webhook') return http(renderNoticeWebhook(target, message));
    throw new IntegrationConfigError(`a status notice cannot go through a ${settings.kind} integration`);
  }
  // A rollout's state change goes to webhooks only (the deploy tool follows it).
  if (isRolloutNotice(message)) {
    if (settings.kind === 'webhook') return http(renderRolloutWebhook(target, settings, message, atMs));
    throw new IntegrationConfigError(`a rollout notice cannot go through a ${settings.kind} integration`);
  }
  // A project's weekly digest is a mail to one person.
  if (isProjectDigest(message)) {
    if (settings.kind === 'email') return { transport: 'smtp', mail: renderDigestEmail(target, message) };
    throw new IntegrationConfigError(`a project digest cannot go through a ${settings.kind} integration`);
  }
  switch (settings.kind) {
    case 'webhook':
      return http(renderWebhook(target, settings, message, atMs));
    case 'slack':
      return http(renderSlack(target, settings, message));
    case 'teams':
      return http(renderTeams(target, settings, message));
    case 'discord':
      return http(renderDiscord(target, settings, message));
    case 'pagerduty':
      return http(...renderPagerDuty(target, settings, message));
    case 'email':
      return { transport: 'smtp', mail: renderEmail(target, settings, message) };
  }
}

/**
 * The endpoint a breaker and rate limit are keyed on: the URL's origin (scheme, host, port: never a path or token),
 * or `smtp://host:port`. An integration whose URL is unusable gets a key of its own.
 */
export function endpointOf(target: IntegrationTarget): string {
  const settings = target.settings;
  try {
    switch (settings.kind) {
      case 'email':
        return `smtp://${settings.smarthost.host.toLowerCase()}:${settings.smarthost.port}`;
      case 'webhook':
        return parseHttpUrl(target.secrets.url ?? settings.url).origin;
      case 'pagerduty':
        return parseHttpUrl(settings.url).origin;
      default:
        return parseHttpUrl(target.secrets.webhookUrl ?? '').origin;
    }
  } catch {
    return `invalid:${target.id}`;
  }
}
