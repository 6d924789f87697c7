import type { Sql } from '@sextant/db';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { classifyHttp } from '../../src/services/notify/classify';
import { deliverDue } from '../../src/services/notify/deliver';
import { type DeliveryPolicy, deliveryPolicy } from '../../src/services/notify/delivery-policy';
import {
  type IntegrationTarget,
  idempotencyKeyOf,
  type NotificationMessage,
  type SendNotification,
  type SendOutcome,
} from '../../src/services/notify/message';
import { enqueueMessages } from '../../src/services/notify/outbox';
import { createFixture, type Fixture } from '../fixtures';

/** A database for the file, an empty outbox and fresh breakers per case (deliverDue claims all that is due), a clock. */
export function deliveryDatabase() {
  let fixture: Fixture | null = null;
  const clock = { now: 0 };
  beforeAll(async () => {
    fixture = await createFixture();
  });
  afterAll(() => fixture?.close());
  beforeEach(async () => {
    await fixture!.database.sql`delete from notification_outbox`;
    await fixture!.database.sql`delete from endpoint_breakers`;
  });
  return {
    get f() {
      return fixture!;
    },
    clock,
    now: () => clock.now,
  };
}

/** The fake clock's origin: tests speak in seconds from here. */
export const T0 = Date.parse('2026-03-02T10:00:00Z');
export const at = (seconds: number) => T0 + seconds * 1000;
export const secondsOf = (ms: number) => (ms - T0) / 1000;

/** A known jitter: 0.5 gives half the backoff ceiling, so delays are exact and growing. */
export const policy = (o: Partial<DeliveryPolicy> = {}): DeliveryPolicy => ({
  ...deliveryPolicy({ ratePerMinute: 0, random: () => 0.5 }),
  ...o,
});

/** A receiver with one webhook integration per URL (rows written directly: receivers.ts is not under test). */
export async function webhooks(sql: Sql, urls: string[], timeoutMs = 10_000): Promise<string[]> {
  const [receiver] = await sql<{ id: string }[]>`
    insert into receivers (name) values (${`r-${Math.random().toString(36).slice(2)}`}) returning id`;
  const ids: string[] = [];
  for (const [i, url] of urls.entries()) {
    const settings = { kind: 'webhook', url, maxAlerts: 0, timeoutMs };
    const [row] = await sql<{ id: string }[]>`
      insert into receiver_integrations (receiver_id, position, kind, settings)
      values (${receiver!.id}, ${i}, 'webhook', ${JSON.stringify(settings)}::jsonb) returning id`;
    ids.push(row!.id);
  }
  return ids;
}

const receiverOf = async (sql: Sql, integrationId: string) =>
  (
    await sql<{ receiverId: string }[]>`
    select receiver_id as "receiverId" from receiver_integrations where id = ${integrationId}`
  )[0]!.receiverId;

/** Enqueues the tick at `tickMs` of `group` for one integration, as a flush would. */
export async function enqueue(
  sql: Sql,
  o: { integrationId: string; group: string; tickMs: number; sequence?: number; endpoint?: string },
): Promise<string> {
  const receiverId = await receiverOf(sql, o.integrationId);
  const groupKey = `{}:{group="${o.group}"}`;
  const key = idempotencyKeyOf('root', groupKey, receiverId, o.integrationId, o.tickMs);
  const [settings] = await sql<{ url: string }[]>`
    select settings->>'url' as url from receiver_integrations where id = ${o.integrationId}`;
  const payload: NotificationMessage = {
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'test',
    groupLabels: { group: o.group },
    commonLabels: { group: o.group },
    commonAnnotations: {},
    externalURL: 'http://sextant.test',
    notification_reason: 'first notification',
    alerts: [],
    idempotencyKey: key,
    tickTime: new Date(o.tickMs).toISOString(),
    sequence: o.sequence ?? 1,
    consoleURL: 'http://sextant.test/alerts',
  };
  const ids = await enqueueMessages(sql, [
    {
      idempotencyKey: key,
      routeId: 'root',
      groupKey,
      receiverId,
      integrationId: o.integrationId,
      tickAt: o.tickMs,
      sequence: o.sequence ?? 1,
      payload,
      endpoint: o.endpoint ?? new URL(settings!.url).origin,
      createdAt: o.tickMs,
    },
  ]);
  return ids.get(key)!;
}

export interface Call {
  at: number;
  url: string;
  group: string;
  key: string;
  timeoutMs: number;
}

/** A SendNotification that records every call and answers what `answer` says for the current fake time. */
export function collector(clock: () => number, answer: (url: string, atMs: number) => Partial<SendOutcome>) {
  const calls: Call[] = [];
  const send: SendNotification = async (target: IntegrationTarget, message, o) => {
    const url = (target.settings as { url: string }).url;
    calls.push({
      at: clock(),
      url,
      group: (message as NotificationMessage).groupLabels.group!,
      key: message.idempotencyKey,
      timeoutMs: o.timeoutMs,
    });
    return {
      class: 'success',
      status: 200,
      retryAfterMs: null,
      error: null,
      durationMs: 1,
      ...answer(url, clock()),
    };
  };
  return { calls, send };
}

/** An HTTP answer as the transports classify it (classify.ts). */
export const fail = (status: number, o: Partial<SendOutcome> = {}): Partial<SendOutcome> => ({
  ...classifyHttp(status, { nowMs: 0 }),
  status,
  ...o,
});

/** Steps the fake clock from `fromS` to `toS` (seconds) by `stepMs`, delivering what is due at each step. */
export async function run(
  sql: Sql,
  clock: { now: number },
  send: SendNotification,
  fromS: number,
  toS: number,
  o: { stepMs?: number; policy?: DeliveryPolicy } = {},
) {
  const p = o.policy ?? policy();
  for (clock.now = at(fromS); clock.now <= at(toS); clock.now += o.stepMs ?? 100)
    await deliverDue(sql, clock.now, send, { policy: p });
}

export async function outboxRow(sql: Sql, id: string) {
  const [row] = await sql<
    {
      state: string;
      attempts: number;
      nextAttemptAt: Date;
      lastStatus: number | null;
      lastError: string | null;
    }[]
  >`
    select state, attempts, next_attempt_at as "nextAttemptAt", last_status as "lastStatus", last_error as "lastError"
    from notification_outbox where id = ${id}`;
  return row!;
}

export async function attemptsOf(sql: Sql, id: string) {
  return sql<
    { attempt: number; at: Date; outcome: string; status: number | null; retryAfterMs: number | null }[]
  >`
    select attempt, at, outcome, status, retry_after_ms as "retryAfterMs" from notification_attempts
    where outbox_id = ${id} order by id`;
}
