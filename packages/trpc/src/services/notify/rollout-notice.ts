/**
 * A canary rollout's state change (spec A1, requirement 5 "one webhook per state change") as the outbox stores it
 * for one webhook integration, and its rendering: a JSON POST signed like alert webhooks (bearer, HMAC).
 */
import { createHash } from 'node:crypto';
import type { WebhookSettings } from '@sextant/db';
import { type HttpRequest, jsonPost } from './integrations/http-request';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from './integrations/webhook';
import type { IntegrationTarget } from './message';

export interface RolloutNotice {
  type: 'rollout_notice';
  /** sha256(rollout, change number, integration); also the Idempotency-Key header. */
  idempotencyKey: string;
  rolloutId: string;
  service: string;
  environment: string;
  /** 1, 2, 3 … per rollout: a receiver orders and deduplicates changes by it. */
  change: number;
  from: string;
  to: string;
  event: string;
  reason: string | null;
  attempt: number;
  stepIndex: number;
  /** What the deploy tool should run now: `weight` % to `version`, the rest to `stableVersion`. */
  desired: { version: string; weight: number; stableVersion: string | null };
  /** RFC 3339. */
  at: string;
}

export function isRolloutNotice(payload: unknown): payload is RolloutNotice {
  return (payload as { type?: unknown } | null)?.type === 'rollout_notice';
}

/** The outbox's UNIQUE key: 3 instances applying the same change (only one can, by the fence) still enqueue once. */
export function rolloutNoticeKey(rolloutId: string, change: number, integrationId: string): string {
  return createHash('sha256')
    .update(JSON.stringify(['rollout-notice', rolloutId, change, integrationId]))
    .digest('hex');
}

/** The body a deploy tool receives (README "Canary rollouts"): the notice without its storage discriminator. */
export function rolloutWebhookBody(n: RolloutNotice) {
  const { type: _type, ...body } = n;
  return { kind: 'rollout.state_changed', ...body };
}

export function renderRolloutWebhook(
  target: IntegrationTarget,
  settings: WebhookSettings,
  n: RolloutNotice,
  atMs: number,
): HttpRequest {
  const request = jsonPost(target.secrets.url ?? settings.url, n, rolloutWebhookBody(n));
  request.headers['x-sextant-sequence'] = String(n.change);
  const token = target.secrets.bearerToken;
  if (token) request.headers.authorization = `Bearer ${token}`;
  const secret = target.secrets.hmacSecret;
  if (secret) {
    const timestamp = Math.floor(atMs / 1000);
    request.headers[TIMESTAMP_HEADER] = String(timestamp);
    request.headers[SIGNATURE_HEADER] = webhookSignature(secret, timestamp, request.body);
  }
  return request;
}
