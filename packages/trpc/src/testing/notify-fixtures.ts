/**
 * Notification history rows for tests and the RBAC table: a receiver with one webhook, a tick decision as the
 * flush records it, and its outbox row through outbox.ts' enqueue. Rows that only the delivery loop writes
 * (attempts, delivered and dead states) are written here directly: tests are exempt from the owner rule.
 */
import { type Database, type IntegrationDecision, type SuppressedAlert, schema } from '@sextant/db';
import { idempotencyKeyOf, type NotificationMessage } from '../services/notify/message';
import { enqueueMessages } from '../services/notify/outbox';
import { labelSetString } from '../services/notify/routing';

export interface NotifyTarget {
  receiverId: string;
  receiverName: string;
  integrationId: string;
}

/** A receiver named `name` with one webhook integration. */
export async function insertReceiver(db: Database['primary'], name: string): Promise<NotifyTarget> {
  const [receiver] = await db.insert(schema.receivers).values({ name }).returning();
  const [integration] = await db
    .insert(schema.receiverIntegrations)
    .values({
      receiverId: receiver!.id,
      position: 0,
      kind: 'webhook',
      settings: { kind: 'webhook', url: 'https://hooks.example.com/sextant', maxAlerts: 0, timeoutMs: 5_000 },
    })
    .returning();
  return { receiverId: receiver!.id, receiverName: name, integrationId: integration!.id };
}

export interface TickDraft {
  target: NotifyTarget;
  groupLabels: Record<string, string>;
  routeId?: string;
  /** Engine clock, epoch ms. */
  tickAt: number;
  firing: { fingerprint: string; labels: Record<string, string> }[];
  resolved?: { fingerprint: string; labels: Record<string, string> }[];
  suppressed?: SuppressedAlert[];
  /** Notify: a message is enqueued for the integration; else the decision records why not. */
  notify: boolean;
  reason: string;
  sequence?: number;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** A tick decision for one integration, with its outbox row when it notified. */
export async function insertTick(database: Database, d: TickDraft) {
  const routeId = d.routeId ?? 'root';
  const groupKey = `{}:${labelSetString(d.groupLabels)}`;
  const resolved = d.resolved ?? [];
  const sequence = d.sequence ?? 1;
  let outboxId: string | null = null;
  if (d.notify) {
    const key = idempotencyKeyOf(routeId, groupKey, d.target.receiverId, d.target.integrationId, d.tickAt);
    const tickTime = new Date(d.tickAt).toISOString();
    const alert = (status: 'firing' | 'resolved') => (a: (typeof d.firing)[number]) => ({
      status,
      labels: a.labels,
      annotations: {},
      startsAt: new Date(d.tickAt - 60_000).toISOString(),
      endsAt: status === 'firing' ? ZERO_TIME : tickTime,
      generatorURL: '',
      fingerprint: a.fingerprint,
    });
    const payload: NotificationMessage = {
      version: '4',
      groupKey,
      truncatedAlerts: 0,
      status: d.firing.length > 0 ? 'firing' : 'resolved',
      receiver: d.target.receiverName,
      groupLabels: d.groupLabels,
      commonLabels: d.groupLabels,
      commonAnnotations: {},
      externalURL: 'http://console.test',
      notification_reason: d.reason,
      alerts: [...d.firing.map(alert('firing')), ...resolved.map(alert('resolved'))],
      idempotencyKey: key,
      tickTime,
      sequence,
      consoleURL: 'http://console.test/alerts',
    };
    const ids = await enqueueMessages(database.sql, [
      {
        idempotencyKey: key,
        routeId,
        groupKey,
        receiverId: d.target.receiverId,
        integrationId: d.target.integrationId,
        tickAt: d.tickAt,
        sequence,
        payload,
        endpoint: 'https://hooks.example.com',
        createdAt: d.tickAt,
      },
    ]);
    outboxId = ids.get(key) ?? null;
  }
  const decision: IntegrationDecision = {
    integrationId: d.target.integrationId,
    kind: 'webhook',
    notify: d.notify,
    reason: d.reason,
    sequence: d.notify ? sequence : null,
    outboxId,
  };
  const suppressed = d.suppressed ?? [];
  const [tick] = await database.primary
    .insert(schema.notificationTicks)
    .values({
      routeId,
      groupKey,
      groupLabels: d.groupLabels,
      receiverId: d.target.receiverId,
      tickAt: new Date(d.tickAt),
      firing: d.firing.map((a) => a.fingerprint),
      resolved: resolved.map((a) => a.fingerprint),
      suppressed,
      decisions: [decision],
      fingerprints: [...d.firing, ...resolved, ...suppressed].map((a) => a.fingerprint),
    })
    .returning({ id: schema.notificationTicks.id });
  return { tickId: tick!.id, outboxId, groupKey, routeId };
}

/** An attempt as the delivery loop records it, and the row's state after it. */
export async function recordAttempt(
  database: Database,
  outboxId: string,
  a: { attempt: number; at: number; status: number | null; outcome: 'delivered' | 'retryable' | 'permanent' },
  state: 'pending' | 'delivered' | 'dead',
) {
  const at = new Date(a.at);
  await database.primary.insert(schema.notificationAttempts).values({
    outboxId,
    attempt: a.attempt,
    at,
    durationMs: 12,
    outcome: a.outcome,
    status: a.status,
    error: a.outcome === 'delivered' ? null : `HTTP ${a.status}`,
    retryAfterMs: a.status === 429 ? 30_000 : null,
    instance: 'fixture',
  });
  await database.sql`
    update notification_outbox set attempts = ${a.attempt}, state = ${state}, last_status = ${a.status},
      last_error = ${a.outcome === 'delivered' ? null : `HTTP ${a.status}`},
      delivered_at = ${state === 'delivered' ? at : null}, dead_at = ${state === 'dead' ? at : null},
      next_attempt_at = ${new Date(a.at + 1_000)}
    where id = ${outboxId}`;
}
