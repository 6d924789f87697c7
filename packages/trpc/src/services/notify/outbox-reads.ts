/**
 * The outbox's reads for claims and completions: due heads (locked, not written), how many rows each endpoint has in
 * flight, newer rows of a group, dead letters. The writes stay in outbox.ts, the tables' one writer.
 */
import type { Queries, Sql } from '@sextant/db';
import { DEFAULT_SEND_TIMEOUT_MS } from './delivery-policy';
import type { ClaimedDelivery } from './outbox';

export interface Candidate extends Omit<ClaimedDelivery, 'lease' | 'probe'> {
  windowFromMs: number;
}

/** How many due heads a claim looks at per slot it fills: the surplus lets the round-robin reach other endpoints. */
const SCAN_FACTOR = 4;

const CANDIDATE_COLUMNS = `o.id, o.idempotency_key as "idempotencyKey", o.route_id as "routeId", o.group_key as "groupKey",
  o.receiver_id as "receiverId", o.integration_id as "integrationId", o.subscriber_id as "subscriberId", o.tick_at as "tickAt", o.sequence, o.payload,
  o.endpoint, o.attempts, coalesce(o.retried_at, o.created_at) as "windowFrom"`;

/**
 * Due heads, locked: per (route, group, integration) only the oldest pending row may go (spec A9.5), and per endpoint
 * no more than `perEndpoint` minus what the caller is already sending there (`sending`, its own count: the cap
 * guards this instance's slots; the remote's load is the rate limit's). Walks the endpoints that have pending rows
 * (a skip scan of the endpoint index) and takes each one's oldest due heads, so a claim costs index probes per
 * endpoint, not a pass over the whole backlog. At most `limit` rows, endpoints in turn (turn 1 of every endpoint, then turn 2, …), so a busy
 * endpoint cannot fill a claim.
 */
export async function lockDueHeads(
  tx: Queries,
  nowMs: number,
  limit: number,
  perEndpoint: number,
  sending: ReadonlyMap<string, number> = new Map(),
): Promise<Candidate[]> {
  const now = new Date(nowMs);
  const busy = JSON.stringify(Object.fromEntries(sending));
  const rows = await tx<
    (Omit<Candidate, 'tickAtMs' | 'windowFromMs'> & { tickAt: Date; windowFrom: Date; rank: number })[]
  >`
    with recursive endpoints as (
      (select endpoint from notification_outbox where state = 'pending' order by endpoint limit 1)
      union all
      select (select o.endpoint from notification_outbox o
              where o.state = 'pending' and o.endpoint > e.endpoint order by o.endpoint limit 1)
      from endpoints e where e.endpoint is not null
    ), due as (
      select h.id, row_number() over (order by h.turn, h.next_attempt_at, h.created_at, h.sequence) as rank
      from endpoints e
      cross join lateral (
        select o.id, o.next_attempt_at, o.created_at, o.sequence,
          row_number() over (order by o.next_attempt_at, o.created_at, o.sequence) as turn
        from notification_outbox o
        where o.endpoint = e.endpoint and o.state = 'pending' and o.next_attempt_at <= ${now}
          and (o.lease_until is null or o.lease_until < ${now})
          and not exists (select 1 from notification_outbox p
            where p.route_id = o.route_id and p.group_key = o.group_key and p.integration_id = o.integration_id
              and p.state = 'pending' and p.sequence < o.sequence)
          -- A subscriber's notices go one at a time, oldest first ("resolved" never overtakes "created").
          and (o.subscriber_id is null or not exists (select 1 from notification_outbox p
            where p.subscriber_id = o.subscriber_id and p.state = 'pending'
              and (p.created_at, p.id) < (o.created_at, o.id)))
        order by o.next_attempt_at, o.created_at, o.sequence limit ${perEndpoint}
      ) h
      where e.endpoint is not null
        and h.turn <= ${perEndpoint} - coalesce((${busy}::jsonb ->> e.endpoint)::int, 0)
      order by rank limit ${limit * SCAN_FACTOR}
    )
    select ${tx.unsafe(CANDIDATE_COLUMNS)}, due.rank::int as rank,
      coalesce((ri.settings->>'timeoutMs')::int, ${DEFAULT_SEND_TIMEOUT_MS}) as "timeoutMs"
    from notification_outbox o join due on due.id = o.id left join receiver_integrations ri on ri.id = o.integration_id
    where o.id = any(array(select id from due)) and o.state = 'pending' and o.next_attempt_at <= ${now}
      and (o.lease_until is null or o.lease_until < ${now})
    for update of o skip locked`;
  return rows
    .sort((x, y) => x.rank - y.rank)
    .slice(0, limit)
    .map(({ tickAt, windowFrom, rank: _, ...r }) => ({
      ...r,
      tickAtMs: tickAt.getTime(),
      windowFromMs: windowFrom.getTime(),
    }));
}

/** Which claims have a newer pending row of their group and integration: a failed old message gives way to it. */
export async function withNewerRows(tx: Queries, claims: ClaimedDelivery[]): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const rows = await tx<{ id: string }[]>`
    select c.id from jsonb_to_recordset(${JSON.stringify(
      claims.map((c) => ({
        id: c.id,
        route_id: c.routeId,
        group_key: c.groupKey,
        integration_id: c.integrationId,
        sequence: c.sequence,
      })),
    )}::jsonb) as c(id uuid, route_id text, group_key text, integration_id uuid, sequence int)
    where exists (select 1 from notification_outbox o
      where o.route_id = c.route_id and o.group_key = c.group_key and o.integration_id = c.integration_id
        and o.sequence > c.sequence and o.state = 'pending')`;
  return new Set(rows.map((r) => r.id));
}

/** Dead letters waiting for "retry now", for the dead-letter gauge. */
export async function deadLetterCount(sql: Sql): Promise<number> {
  const [row] = await sql<
    { n: number }[]
  >`select count(*)::int as n from notification_outbox where state = 'dead'`;
  return row!.n;
}
