/**
 * The outbox (spec A9): the one writer of notification_outbox and notification_attempts. A tick's flush enqueues
 * here in its own transaction; delivery workers claim, attempt and complete rows here.
 */
import type { Queries } from '@sextant/db';
import type { NotificationMessage } from './message';

/** One message a tick decided, for one integration. */
export interface OutboxEntry {
  idempotencyKey: string;
  routeId: string;
  groupKey: string;
  receiverId: string;
  integrationId: string;
  /** Epoch ms of the tick (engine clock). */
  tickAt: number;
  sequence: number;
  payload: NotificationMessage;
  /** Breaker and rate-limit key (integrations' endpointOf). */
  endpoint: string;
  /** Engine clock at enqueue; the first attempt is due then. */
  createdAt: number;
}

/**
 * Enqueues in the caller's transaction (the flush's, with its log write). The UNIQUE idempotency key makes a second
 * instance computing the same tick insert nothing; a newer row supersedes older rows of the same group and
 * integration that no worker holds (they carry older group state). Returns the ids of rows this call inserted.
 */
export async function enqueueMessages(
  tx: Queries,
  entries: readonly OutboxEntry[],
): Promise<Map<string, string>> {
  if (entries.length === 0) return new Map();
  const rows = entries.map((e) => ({
    idempotency_key: e.idempotencyKey,
    route_id: e.routeId,
    group_key: e.groupKey,
    receiver_id: e.receiverId,
    integration_id: e.integrationId,
    tick_at: new Date(e.tickAt).toISOString(),
    sequence: e.sequence,
    payload: e.payload,
    endpoint: e.endpoint,
    created_at: new Date(e.createdAt).toISOString(),
  }));
  const json = JSON.stringify(rows);
  const now = new Date(Math.max(...entries.map((e) => e.createdAt)));
  const inserted = await tx<{ id: string; idempotency_key: string }[]>`
    with incoming as (
      select * from jsonb_to_recordset(${json}::jsonb) as r(idempotency_key text, route_id text, group_key text,
        receiver_id uuid, integration_id uuid, tick_at timestamptz, sequence int, payload jsonb, endpoint text,
        created_at timestamptz)
    ), added as (
      insert into notification_outbox (idempotency_key, route_id, group_key, receiver_id, integration_id, tick_at,
        sequence, payload, endpoint, next_attempt_at, created_at)
      select idempotency_key, route_id, group_key, receiver_id, integration_id, tick_at, sequence, payload, endpoint,
        created_at, created_at
      from incoming
      on conflict (idempotency_key) do nothing
      returning id, idempotency_key, route_id, group_key, integration_id, sequence
    ), superseded as (
      update notification_outbox o set state = 'superseded'
      from added a
      where o.route_id = a.route_id and o.group_key = a.group_key and o.integration_id = a.integration_id
        and o.sequence < a.sequence and o.state = 'pending'
        and (o.lease_until is null or o.lease_until < ${now})
    )
    select id, idempotency_key from added`;
  return new Map(inserted.map((r) => [r.idempotency_key, r.id]));
}
