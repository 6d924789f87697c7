/**
 * The contracts notification code shares: the message a tick decides (stored in the outbox, without secrets), the
 * integration it goes to (with secrets, decrypted only at send time), and what a send attempt came to.
 */
import { createHash } from 'node:crypto';
import type { AlertAnnotations, IntegrationKind, IntegrationSettings } from '@sextant/db';
import type { ProjectDigest } from './project-digest';
import type { RolloutNotice } from './rollout-notice';
import type { StatusNotice } from './status-notice';

/** One alert in a message: Alertmanager's webhook v4 alert, field for field. */
export interface MessageAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: AlertAnnotations;
  /** RFC 3339. */
  startsAt: string;
  /** RFC 3339; "0001-01-01T00:00:00Z" while firing (AM's zero time). */
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
  /** Ours: the rule's value at the last evaluation (at resolve time for a resolved alert), when there is one. */
  value?: number | null;
  /** Ours: the alert rule that raised it (none for alerts pushed from outside); PagerDuty's per-alert dedup key. */
  ruleId?: string | null;
}

/**
 * A message as a tick decided it: Alertmanager's webhook v4 body (version "4", field names kept so existing
 * receivers work) plus our idempotency key, tick time and sequence number. Every integration renders from it.
 */
export interface NotificationMessage {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  notification_reason: string;
  alerts: MessageAlert[];
  /** Ours: hash(group key, receiver, integration, tick); also the Idempotency-Key header. */
  idempotencyKey: string;
  /** Ours: RFC 3339 tick time of the decision. */
  tickTime: string;
  /** Ours: strictly increasing per (group, integration). */
  sequence: number;
  /** Ours: the console page of the group's alerts, for links back. */
  consoleURL: string;
}

/** What an outbox row carries: an alert group's message, a status page notice, a rollout change or a digest. */
export type OutboxPayload = NotificationMessage | StatusNotice | RolloutNotice | ProjectDigest;

/** An integration ready to send: its settings and its decrypted secrets. */
export interface IntegrationTarget {
  id: string;
  kind: IntegrationKind;
  settings: IntegrationSettings;
  /**
   * By kind (schemas/receivers.ts INTEGRATION_SECRET_FIELDS), each present only when set: webhook `url` (the
   * whole URL when it has credentials; else settings.url is it), `bearerToken`, `hmacSecret`; slack, teams,
   * discord `webhookUrl`; email `password`; pagerduty `routingKey`.
   */
  secrets: Record<string, string>;
  sendResolved: boolean;
}

/** How an attempt ended (spec A8 "our retry policy"). */
export type SendClass = 'success' | 'retryable' | 'permanent';

export interface SendOutcome {
  class: SendClass;
  /** HTTP status, or the SMTP reply code. */
  status: number | null;
  /** Retry-After (seconds or HTTP date) resolved to milliseconds from now, capped by the caller's policy. */
  retryAfterMs: number | null;
  /** A one-line reason for the console (never the remote's body). */
  error: string | null;
  durationMs: number;
  /** What the remote gave back for later messages (e.g. a thread id), if anything. */
  receiverData?: Record<string, unknown>;
}

/** Sends one message through one integration, under the outbound deny list and a deadline; never throws. */
export type SendNotification = (
  target: IntegrationTarget,
  message: OutboxPayload,
  o: { timeoutMs: number; signal?: AbortSignal },
) => Promise<SendOutcome>;

/**
 * Spec A9.3: hash(group key, receiver, integration, tick), hex SHA-256; the outbox's UNIQUE key. The route id is in
 * it too: two sibling routes with the same matchers have the same group key, and must not share messages.
 */
export function idempotencyKeyOf(
  routeId: string,
  groupKey: string,
  receiverId: string,
  integrationId: string,
  tickAtMs: number,
): string {
  return createHash('sha256')
    .update(JSON.stringify([routeId, groupKey, receiverId, integrationId, new Date(tickAtMs).toISOString()]))
    .digest('hex');
}
