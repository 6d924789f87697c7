/**
 * The generic webhook: Alertmanager's v4 body field for field (existing receivers keep working) plus our
 * idempotencyKey, tickTime and sequence. Optional HMAC signature, documented in README ("Webhook signature"):
 * `X-Sextant-Signature: sha256=<hex HMAC-SHA256(secret, X-Sextant-Timestamp + "." + raw body)>`, the timestamp in
 * Unix seconds at send time, so a receiver can reject replays older than its tolerance.
 */
import { createHmac } from 'node:crypto';
import type { WebhookSettings } from '@sextant/db';
import type { IntegrationTarget, NotificationMessage } from '../message';
import { type HttpRequest, jsonPost } from './http-request';

export const SIGNATURE_HEADER = 'x-sextant-signature';
export const TIMESTAMP_HEADER = 'x-sextant-timestamp';

/** `sha256=<hex>` over `${timestamp}.${body}`; what a receiver recomputes with the shared secret. */
export function webhookSignature(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

/** The message with at most `maxAlerts` alerts (0 = all), the rest counted in truncatedAlerts as AM does. */
export function webhookBody(message: NotificationMessage, maxAlerts: number): NotificationMessage {
  if (maxAlerts <= 0 || message.alerts.length <= maxAlerts) return message;
  return {
    ...message,
    alerts: message.alerts.slice(0, maxAlerts),
    truncatedAlerts: message.truncatedAlerts + message.alerts.length - maxAlerts,
  };
}

export function renderWebhook(
  target: IntegrationTarget,
  settings: WebhookSettings,
  message: NotificationMessage,
  atMs: number,
): HttpRequest {
  const request = jsonPost(
    target.secrets.url ?? settings.url,
    message,
    webhookBody(message, settings.maxAlerts),
  );
  request.headers['x-sextant-sequence'] = String(message.sequence);
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
