/**
 * The outbox (spec A9): the one writer of notification_outbox and notification_attempts. A tick's flush enqueues
 * here in its own transaction; delivery workers claim, attempt and complete rows here. Every decision takes the
 * engine clock as `nowMs`, never SQL now().
 */
import { randomUUID } from 'node:crypto';
import { type Queries, type Sql, writeAudit } from '@sextant/db';
import { actorOf, type Context } from '../../context';
import { AppError } from '../../errors';
import { admitEndpoints, recordEndpointOutcome } from './breakers';
import { DEFAULT_SEND_TIMEOUT_MS, type DeliveryPolicy, leaseMsOf, retryDelayMs } from './delivery-policy';
import type { NotificationMessage, SendOutcome } from './message';

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

/** A row a worker holds: sent under `lease`, completed fenced on it. */
export interface ClaimedDelivery {
  id: string;
  idempotencyKey: string;
  routeId: string;
  groupKey: string;
  receiverId: string;
  integrationId: string;
  tickAtMs: number;
  sequence: number;
  payload: NotificationMessage;
  endpoint: string;
  /** Attempts made before this one. */
  attempts: number;
  lease: string;
  /** The integration's send timeout; the lease is twice it. */
  timeoutMs: number;
  /** This send is the endpoint's half-open probe. */
  probe: boolean;
}

interface Candidate extends Omit<ClaimedDelivery, 'lease' | 'probe'> {
  windowFromMs: number;
}

/** How many due heads a claim looks at per slot it fills: the surplus lets the round-robin reach other endpoints. */
const SCAN_FACTOR = 4;

const CANDIDATE_COLUMNS = `o.id, o.idempotency_key as "idempotencyKey", o.route_id as "routeId", o.group_key as "groupKey",
  o.receiver_id as "receiverId", o.integration_id as "integrationId", o.tick_at as "tickAt", o.sequence, o.payload,
  o.endpoint, o.attempts, coalesce(o.retried_at, o.created_at) as "windowFrom"`;

/** Due heads, locked: per (route, group, integration) only the oldest pending row may go (spec A9.5). */
async function lockDueHeads(tx: Queries, nowMs: number, scan: number): Promise<Candidate[]> {
  const now = new Date(nowMs);
  // Round-robin across endpoints (turn 1 of every endpoint, then turn 2, …): a busy endpoint cannot fill a claim.
  const heads = await tx<{ id: string }[]>`
    with heads as (
      select distinct on (route_id, group_key, integration_id) id, endpoint, next_attempt_at, created_at, sequence,
        lease_until
      from notification_outbox where state = 'pending'
      order by route_id, group_key, integration_id, sequence
    ), due as (
      select id, next_attempt_at, created_at,
        row_number() over (partition by endpoint order by next_attempt_at, created_at, sequence) as turn
      from heads where next_attempt_at <= ${now} and (lease_until is null or lease_until < ${now})
    )
    select id from due order by turn, next_attempt_at, created_at limit ${scan}`;
  if (heads.length === 0) return [];
  const rows = await tx<
    (Omit<Candidate, 'tickAtMs' | 'windowFromMs'> & { tickAt: Date; windowFrom: Date })[]
  >`
    select ${tx.unsafe(CANDIDATE_COLUMNS)},
      coalesce((ri.settings->>'timeoutMs')::int, ${DEFAULT_SEND_TIMEOUT_MS}) as "timeoutMs"
    from notification_outbox o join receiver_integrations ri on ri.id = o.integration_id
    where o.id = any(${heads.map((h) => h.id)}::uuid[]) and o.state = 'pending' and o.next_attempt_at <= ${now}
      and (o.lease_until is null or o.lease_until < ${now})
    for update of o skip locked`;
  const order = new Map(heads.map((h, i) => [h.id, i]));
  return rows
    .map(({ tickAt, windowFrom, ...r }) => ({
      ...r,
      tickAtMs: tickAt.getTime(),
      windowFromMs: windowFrom.getTime(),
    }))
    .sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

/** Keeps at most `limit` rows, and per endpoint no more than `perEndpoint` in flight anywhere. */
async function capPerEndpoint(
  tx: Queries,
  rows: Candidate[],
  nowMs: number,
  limit: number,
  perEndpoint: number,
) {
  const endpoints = [...new Set(rows.map((r) => r.endpoint))];
  const busy = await tx<{ endpoint: string; n: number }[]>`
    select endpoint, count(*)::int as n from notification_outbox
    where state = 'pending' and lease_until >= ${new Date(nowMs)} and endpoint = any(${endpoints}::text[])
    group by endpoint`;
  const taken = new Map(busy.map((b) => [b.endpoint, b.n]));
  const kept: Candidate[] = [];
  for (const r of rows) {
    const n = taken.get(r.endpoint) ?? 0;
    if (kept.length >= limit || n >= perEndpoint) continue;
    taken.set(r.endpoint, n + 1);
    kept.push(r);
  }
  return kept;
}

/**
 * Leases up to `limit` due rows to `owner` at `nowMs` (FOR UPDATE SKIP LOCKED; lease = 2 x the integration's
 * timeout, so an instance killed mid-send leaves a row another instance takes over). Rows an open breaker or the
 * rate limit holds back are rescheduled to when they may go, never failed (spec B26); past max age they are dead.
 */
export async function claimDeliveries(
  sql: Sql,
  owner: string,
  limit: number,
  nowMs: number,
  policy: DeliveryPolicy,
): Promise<ClaimedDelivery[]> {
  if (limit <= 0) return [];
  const lease = `${owner}#${randomUUID()}`;
  return sql.begin(async (tx) => {
    const due = await lockDueHeads(tx, nowMs, limit * SCAN_FACTOR);
    const rows = await capPerEndpoint(tx, due, nowMs, limit, policy.perEndpoint);
    if (rows.length === 0) return [];
    const byEndpoint = new Map<string, Candidate[]>();
    for (const r of rows) byEndpoint.set(r.endpoint, [...(byEndpoint.get(r.endpoint) ?? []), r]);
    const want = new Map(
      [...byEndpoint].map(([e, rs]) => [
        e,
        { rows: rs.length, probeUntilMs: nowMs + leaseMsOf(rs[0]!.timeoutMs) },
      ]),
    );
    const admitted = await admitEndpoints(tx, want, nowMs, lease, policy.rate);
    const claimed: ClaimedDelivery[] = [];
    const held: { row: Candidate; reason: 'breaker_open' | 'rate_limited'; atMs: number }[] = [];
    for (const [endpoint, rs] of byEndpoint) {
      const a = admitted.get(endpoint)!;
      rs.forEach((row, i) => {
        const { windowFromMs: _, ...r } = row;
        if (i < a.allowed) claimed.push({ ...r, lease, probe: a.probe });
        else held.push({ row, reason: a.wait!.reason, atMs: a.wait!.at(i - a.allowed) });
      });
    }
    if (claimed.length > 0)
      await tx`
        update notification_outbox o set lease_owner = ${lease}, lease_until = u.until::timestamptz
        from unnest(${claimed.map((c) => c.id)}::uuid[],
          ${claimed.map((c) => new Date(nowMs + leaseMsOf(c.timeoutMs)).toISOString())}::text[]) as u(id, until)
        where o.id = u.id`;
    await holdBack(tx, held, nowMs, policy);
    return claimed;
  });
}

/** Reschedules held-back rows (recording why), or kills those past their max age: never dropped silently. */
async function holdBack(
  tx: Queries,
  held: { row: Candidate; reason: 'breaker_open' | 'rate_limited'; atMs: number }[],
  nowMs: number,
  policy: DeliveryPolicy,
) {
  if (held.length === 0) return;
  const expired = held.filter((h) => nowMs >= h.row.windowFromMs + policy.maxAgeMs);
  const waiting = held.filter((h) => !expired.includes(h));
  const now = new Date(nowMs);
  if (waiting.length > 0)
    await tx`
      update notification_outbox o set next_attempt_at = u.at::timestamptz
      from unnest(${waiting.map((h) => h.row.id)}::uuid[],
        ${waiting.map((h) => new Date(h.atMs).toISOString())}::text[]) as u(id, at)
      where o.id = u.id`;
  if (expired.length > 0)
    await tx`
      update notification_outbox set state = 'dead', dead_at = ${now},
        last_error = 'max age reached while the endpoint was held back'
      where id = any(${expired.map((h) => h.row.id)}::uuid[])`;
  await tx`
    insert into notification_attempts (outbox_id, attempt, at, outcome, instance)
    select u.id, u.attempt, ${now}, u.outcome::attempt_outcome, null
    from unnest(${held.map((h) => h.row.id)}::uuid[], ${held.map((h) => h.row.attempts + 1)}::int[],
      ${held.map((h) => h.reason)}::text[]) as u(id, attempt, outcome)`;
}

export type Completion = 'delivered' | 'retry' | 'dead' | 'superseded' | 'fenced';

export interface CompletionResult {
  result: Completion;
  /** When a `retry` is due. */
  nextAttemptAtMs: number | null;
  /** This answer opened or closed the endpoint's breaker. */
  breaker: 'opened' | 'closed' | null;
}

const FENCED: CompletionResult = { result: 'fenced', nextAttemptAtMs: null, breaker: null };

/**
 * Records one attempt's outcome at `nowMs`, fenced on the claim's lease: a worker whose row was taken over writes
 * nothing. Success → delivered; permanent → dead at once; retryable → superseded when a newer row waits, dead past
 * max age, else retried after full-jitter backoff or the remote's Retry-After (spec A8).
 */
export async function completeDelivery(
  sql: Sql,
  claim: ClaimedDelivery,
  outcome: SendOutcome,
  nowMs: number,
  policy: DeliveryPolicy,
  instance: string | null = null,
): Promise<CompletionResult> {
  const now = new Date(nowMs);
  return sql.begin(async (tx) => {
    const [row] = await tx<
      { state: string; leaseOwner: string | null; attempts: number; windowFrom: Date }[]
    >`
      select state, lease_owner as "leaseOwner", attempts, coalesce(retried_at, created_at) as "windowFrom"
      from notification_outbox where id = ${claim.id} for update`;
    if (row?.state !== 'pending' || row.leaseOwner !== claim.lease) return FENCED;
    const attempt = row.attempts + 1;
    const retryAfterMs = outcome.retryAfterMs === null ? null : Math.min(outcome.retryAfterMs, 2 ** 31 - 1);
    await tx`
      insert into notification_attempts (outbox_id, attempt, at, duration_ms, outcome, status, error, retry_after_ms,
        instance)
      values (${claim.id}, ${attempt}, ${now}, ${outcome.durationMs},
        ${outcome.class === 'success' ? 'delivered' : outcome.class}, ${outcome.status}, ${outcome.error},
        ${retryAfterMs}, ${instance})`;
    const b = await recordEndpointOutcome(tx, claim.endpoint, outcome.class !== 'retryable', nowMs);
    const breaker = b.opened ? 'opened' : b.closed ? 'closed' : null;
    const finish = async (
      state: 'delivered' | 'dead' | 'superseded' | 'pending',
      next: Date | null,
      error: string | null,
    ) => {
      await tx`
        update notification_outbox set state = ${state}, attempts = ${attempt}, lease_owner = null, lease_until = null,
          last_status = ${outcome.status}, last_error = ${error},
          delivered_at = ${state === 'delivered' ? now : null}, dead_at = ${state === 'dead' ? now : null},
          next_attempt_at = coalesce(${next}::timestamptz, next_attempt_at)
        where id = ${claim.id}`;
    };
    if (outcome.class === 'success') {
      await finish('delivered', null, null);
      // The probe closed the breaker: the rows it held back go now, oldest first (claims order by due time, then age).
      if (b.closed)
        await tx`
          update notification_outbox set next_attempt_at = ${now}
          where endpoint = ${claim.endpoint} and state = 'pending' and next_attempt_at > ${now}
            and (lease_until is null or lease_until < ${now})`;
      return { result: 'delivered', nextAttemptAtMs: null, breaker };
    }
    if (outcome.class === 'permanent') {
      await finish('dead', null, outcome.error);
      return { result: 'dead', nextAttemptAtMs: null, breaker };
    }
    const [newer] = await tx<{ id: string }[]>`
      select id from notification_outbox
      where route_id = ${claim.routeId} and group_key = ${claim.groupKey} and integration_id = ${claim.integrationId}
        and sequence > ${claim.sequence} and state = 'pending'
      limit 1`;
    if (newer) {
      await finish('superseded', null, outcome.error);
      return { result: 'superseded', nextAttemptAtMs: null, breaker };
    }
    const expiresMs = row.windowFrom.getTime() + policy.maxAgeMs;
    if (nowMs >= expiresMs) {
      await finish('dead', null, `max age reached: ${outcome.error ?? 'retryable failure'}`);
      return { result: 'dead', nextAttemptAtMs: null, breaker };
    }
    // The last try lands on the max age itself, so a row gets its whole window before it is dead.
    const nextMs = Math.min(nowMs + retryDelayMs(attempt, outcome.retryAfterMs, policy.random), expiresMs);
    await finish('pending', new Date(nextMs), outcome.error);
    return { result: 'retry', nextAttemptAtMs: nextMs, breaker };
  });
}

/**
 * The console's "retry now" on a dead row: pending again at `nowMs`, attempts kept, a new max-age window from now;
 * audited. Refused when a newer row of the same group and integration exists: it carries the current state.
 */
export function retryDelivery(
  ctx: Pick<Context, 'sql' | 'identity' | 'requestId' | 'ip'>,
  id: string,
  nowMs: number,
) {
  const now = new Date(nowMs);
  return ctx.sql.begin(async (tx) => {
    const [row] = await tx<
      {
        state: string;
        attempts: number;
        lastError: string | null;
        routeId: string;
        groupKey: string;
        integrationId: string;
        sequence: number;
      }[]
    >`
      select state, attempts, last_error as "lastError", route_id as "routeId", group_key as "groupKey",
        integration_id as "integrationId", sequence
      from notification_outbox where id = ${id} for update`;
    if (!row) throw new AppError('NOT_FOUND', 'No such notification.', ['id']);
    if (row.state !== 'dead')
      throw new AppError('CONFLICT', `Only a dead notification can be retried; this one is ${row.state}.`, [
        'id',
      ]);
    const [newer] = await tx`
      select 1 from notification_outbox
      where route_id = ${row.routeId} and group_key = ${row.groupKey} and integration_id = ${row.integrationId}
        and sequence > ${row.sequence}
      limit 1`;
    if (newer)
      throw new AppError(
        'CONFLICT',
        'A newer notification of this group was decided since; it carries the current state.',
        ['id'],
      );
    await tx`
      update notification_outbox set state = 'pending', next_attempt_at = ${now}, retried_at = ${now}, dead_at = null,
        lease_owner = null, lease_until = null
      where id = ${id}`;
    const after = { state: 'pending' as const, attempts: row.attempts, nextAttemptAt: now };
    await writeAudit(tx, {
      actor: actorOf(ctx.identity),
      action: 'notification.retry',
      targetType: 'notification',
      targetId: id,
      before: { state: row.state, attempts: row.attempts, lastError: row.lastError },
      after,
      requestId: ctx.requestId,
      ip: ctx.ip,
    });
    return { id, ...after };
  });
}

/** Dead letters waiting for "retry now", for the dead-letter gauge. */
export async function deadLetterCount(sql: Sql): Promise<number> {
  const [row] = await sql<
    { n: number }[]
  >`select count(*)::int as n from notification_outbox where state = 'dead'`;
  return row!.n;
}
