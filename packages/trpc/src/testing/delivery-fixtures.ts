import type { Sql } from '@sextant/db';

/** A dead-lettered webhook delivery (rows written directly: the flush and delivery are not under test here). */
export async function insertDeadDelivery(sql: Sql, name: string): Promise<{ id: string }> {
  const [receiver] = await sql<{ id: string }[]>`insert into receivers (name) values (${name}) returning id`;
  const settings = { kind: 'webhook', url: 'https://fixture.invalid/hook', maxAlerts: 0, timeoutMs: 5_000 };
  const [integration] = await sql<{ id: string }[]>`
    insert into receiver_integrations (receiver_id, position, kind, settings)
    values (${receiver!.id}, 0, 'webhook', ${JSON.stringify(settings)}::jsonb) returning id`;
  const at = new Date(Date.now() - 600_000);
  const [row] = await sql<{ id: string }[]>`
    insert into notification_outbox (idempotency_key, route_id, group_key, receiver_id, integration_id, tick_at,
      sequence, payload, endpoint, state, attempts, next_attempt_at, created_at, dead_at, last_status, last_error)
    values (${name}, 'root', ${`{}:{fixture="${name}"}`}, ${receiver!.id}, ${integration!.id}, ${at}, 1, '{}'::jsonb,
      'https://fixture.invalid', 'dead', 1, ${at}, ${at}, ${at}, 400, 'HTTP 400')
    returning id`;
  return row!;
}
