/**
 * The outbox (spec A9): the one writer of notification_outbox and notification_attempts. A tick's flush enqueues
 * here in its own transaction; delivery workers claim, attempt and complete rows here. Every decision takes the
 * engine clock as `nowMs`, never SQL now().
 */
import { randomUUID } from 'node:crypto';
import { type DbOrTx, sql as drizzleSql, type Queries, type Sql, writeAudit } from '@sextant/db';
import { actorOf, type Context } from '../../context';
import { AppError } from '../../errors';
import { admitEndpoints, type BreakerChange, recordEndpointOutcomes } from './breakers';
import { type DeliveryPolicy, leaseMsOf, retryDelayMs } from './delivery-policy';
import type { NotificationMessage, OutboxPayload, SendOutcome } from './message';
import { type Candidate, lockDueHeads, withNewerRows } from './outbox-reads';
import type { ProjectDigest } from './project-digest';
import type { RolloutNotice } from './rollout-notice';
import type { StatusNotice } from './status-notice';

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

/**
 * One status page notice for one subscriber (route `status-page:<page>`, group `notice:<notice key>:<subscriber>`,
 * sequence 1): a group of its own, so the "newer row supersedes" rule never drops a notice.
 */
export interface NoticeEntry {
  idempotencyKey: string;
  pageId: string;
  noticeKey: string;
  subscriberId: string;
  payload: StatusNotice;
  endpoint: string;
  createdAt: number;
}

/**
 * Enqueues notices in the caller's Drizzle transaction (the incident write's, the subscribe call's, the maintenance
 * tick's); the UNIQUE idempotency key drops a notice already enqueued. Returns how many rows were new.
 */
export async function enqueueNotices(tx: DbOrTx, entries: readonly NoticeEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  const rows = entries.map((e) => ({
    idempotency_key: e.idempotencyKey,
    route_id: `status-page:${e.pageId}`,
    group_key: `notice:${e.noticeKey}:${e.subscriberId}`,
    subscriber_id: e.subscriberId,
    at: new Date(e.createdAt).toISOString(),
    payload: e.payload,
    endpoint: e.endpoint,
  }));
  const inserted = await tx.execute(drizzleSql`
    insert into notification_outbox (idempotency_key, route_id, group_key, subscriber_id, tick_at, sequence, payload,
      endpoint, next_attempt_at, created_at)
    select r.idempotency_key, r.route_id, r.group_key, r.subscriber_id, r.at, 1, r.payload, r.endpoint, r.at, r.at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(idempotency_key text, route_id text, group_key text,
      subscriber_id uuid, at timestamptz, payload jsonb, endpoint text)
    on conflict (idempotency_key) do nothing
    returning id`);
  return inserted.length;
}

/** One rollout state change for one webhook integration (services/rollouts/store.ts). */
export interface RolloutNoticeEntry {
  receiverId: string;
  integrationId: string;
  payload: RolloutNotice;
  endpoint: string;
  createdAt: number;
}

/** One outbox row that no other row supersedes (sequence 1), addressed to one integration of one receiver. */
interface SingleRow {
  idempotency_key: string;
  route_id: string;
  group_key: string;
  receiver_id: string;
  integration_id: string;
  at: string;
  payload: unknown;
  endpoint: string;
}

/** Inserts in the caller's Drizzle transaction; the UNIQUE idempotency key drops repeats. Returns rows inserted. */
async function insertSingleRows(tx: DbOrTx, rows: readonly SingleRow[]): Promise<number> {
  const inserted = await tx.execute(drizzleSql`
    insert into notification_outbox (idempotency_key, route_id, group_key, receiver_id, integration_id, tick_at,
      sequence, payload, endpoint, next_attempt_at, created_at)
    select r.idempotency_key, r.route_id, r.group_key, r.receiver_id, r.integration_id, r.at, 1, r.payload,
      r.endpoint, r.at, r.at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(idempotency_key text, route_id text,
      group_key text, receiver_id uuid, integration_id uuid, at timestamptz, payload jsonb, endpoint text)
    on conflict (idempotency_key) do nothing
    returning id`);
  return inserted.length;
}

/**
 * Enqueues rollout notices in the caller's Drizzle transaction (the fenced rollout write's): route
 * `rollout:<id>`, a group per change (sequence 1), so no change supersedes another; the UNIQUE key drops repeats.
 */
export async function enqueueRolloutNotices(
  tx: DbOrTx,
  entries: readonly RolloutNoticeEntry[],
): Promise<number> {
  if (entries.length === 0) return 0;
  const rows = entries.map((e) => ({
    idempotency_key: e.payload.idempotencyKey,
    route_id: `rollout:${e.payload.rolloutId}`,
    group_key: `change:${e.payload.change}`,
    receiver_id: e.receiverId,
    integration_id: e.integrationId,
    at: new Date(e.createdAt).toISOString(),
    payload: e.payload,
    endpoint: e.endpoint,
  }));
  return insertSingleRows(tx, rows);
}

/** One project's weekly digest for one recipient, through the project's email integration. */
export interface DigestEntry {
  receiverId: string;
  integrationId: string;
  userId: string;
  payload: ProjectDigest;
  endpoint: string;
  createdAt: number;
}

/**
 * Enqueues digests in the caller's Drizzle transaction (the one that claims the week in project_digests): route
 * `project-digest:<project>`, a group per (week, recipient), sequence 1, so no digest supersedes another.
 */
export async function enqueueDigests(tx: DbOrTx, entries: readonly DigestEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  const rows = entries.map((e) => ({
    idempotency_key: e.payload.idempotencyKey,
    route_id: `project-digest:${e.payload.project.id}`,
    group_key: `digest:${e.payload.week.start}:${e.userId}`,
    receiver_id: e.receiverId,
    integration_id: e.integrationId,
    at: new Date(e.createdAt).toISOString(),
    payload: e.payload,
    endpoint: e.endpoint,
  }));
  return insertSingleRows(tx, rows);
}

/** A row a worker holds: sent under `lease`, completed fenced on it. */
export interface ClaimedDelivery {
  id: string;
  idempotencyKey: string;
  routeId: string;
  groupKey: string;
  /** Null on a status page subscriber's row. */
  receiverId: string | null;
  /** Exactly one of integrationId and subscriberId is set. */
  integrationId: string | null;
  subscriberId: string | null;
  tickAtMs: number;
  sequence: number;
  payload: OutboxPayload;
  endpoint: string;
  /** Attempts made before this one. */
  attempts: number;
  lease: string;
  /** The integration's send timeout; the lease is twice it. */
  timeoutMs: number;
  /** This send is the endpoint's half-open probe. */
  probe: boolean;
}

/**
 * Leases up to `limit` due rows to `owner` at `nowMs`, at most `policy.perEndpoint` per endpoint counting what
 * `sending` says the caller has in flight there (FOR UPDATE SKIP LOCKED; lease = 2 x the integration's
 * timeout, so an instance killed mid-send leaves a row another instance takes over). Rows an open breaker or the
 * rate limit holds back are rescheduled to when they may go, never failed (spec B26); past max age they are dead.
 */
export async function claimDeliveries(
  sql: Sql,
  owner: string,
  limit: number,
  nowMs: number,
  policy: DeliveryPolicy,
  sending: ReadonlyMap<string, number> = new Map(),
): Promise<ClaimedDelivery[]> {
  if (limit <= 0) return [];
  const lease = `${owner}#${randomUUID()}`;
  return sql.begin(async (tx) => {
    const rows = await lockDueHeads(tx, nowMs, limit, policy.perEndpoint, sending);
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
        where o.id = u.id and o.id = any(${claimed.map((c) => c.id)}::uuid[])`;
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
      where o.id = u.id and o.id = any(${waiting.map((h) => h.row.id)}::uuid[])`;
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

/** One answer to record: the claim it was sent under, what came back, and the engine clock when it came. */
export interface CompletionInput {
  claim: ClaimedDelivery;
  outcome: SendOutcome;
  nowMs: number;
}

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
  const [result] = await completeDeliveries(sql, [{ claim, outcome, nowMs }], policy, instance);
  return result!;
}

/**
 * completeDelivery for a batch, in one transaction of a constant number of statements (the delivery loop's group
 * commit): results in input order, each decided exactly as it would be alone, answers to one endpoint in order.
 */
export async function completeDeliveries(
  sql: Sql,
  items: readonly CompletionInput[],
  policy: DeliveryPolicy,
  instance: string | null = null,
): Promise<CompletionResult[]> {
  if (items.length === 0) return [];
  return sql.begin(async (tx) => {
    const rows = await tx<
      { id: string; state: string; leaseOwner: string | null; attempts: number; windowFrom: Date }[]
    >`
      select id, state, lease_owner as "leaseOwner", attempts, coalesce(retried_at, created_at) as "windowFrom"
      from notification_outbox where id = any(${items.map((i) => i.claim.id)}::uuid[]) order by id for update`;
    const byId = new Map(rows.map((r) => [r.id, r]));
    const live = items.flatMap((item, index) => {
      const row = byId.get(item.claim.id);
      return row?.state === 'pending' && row.leaseOwner === item.claim.lease
        ? [{ ...item, index, attempt: row.attempts + 1, windowFromMs: row.windowFrom.getTime() }]
        : [];
    });
    if (live.length === 0) return items.map(() => FENCED);
    const retryable = live.filter((l) => l.outcome.class === 'retryable');
    // Independent of each other: sent together, so the transaction waits one round trip for the three.
    const [, changes, newer] = await Promise.all([
      insertAttempts(tx, live, instance),
      recordEndpointOutcomes(
        tx,
        live.map((l) => ({
          endpoint: l.claim.endpoint,
          healthy: l.outcome.class !== 'retryable',
          nowMs: l.nowMs,
        })),
      ),
      withNewerRows(
        tx,
        retryable.map((l) => l.claim),
      ),
    ]);
    const decided = live.map((l, i) => {
      const c = changes[i]!;
      return { ...l, ...decide(l, newer.has(l.claim.id), policy), breaker: breakerOf(c), closed: c.closed };
    });
    await finishRows(tx, decided);
    // A probe closed its breaker: the rows it held back go now, oldest first (claims order by due time, then age).
    for (const d of decided.filter((x) => x.closed)) {
      const now = new Date(d.nowMs);
      await tx`
        update notification_outbox set next_attempt_at = ${now}
        where endpoint = ${d.claim.endpoint} and state = 'pending' and next_attempt_at > ${now}
          and (lease_until is null or lease_until < ${now})`;
    }
    const results = items.map((): CompletionResult => FENCED);
    for (const d of decided)
      results[d.index] = { result: d.result, nextAttemptAtMs: d.nextMs, breaker: d.breaker };
    return results;
  });
}

type LiveCompletion = CompletionInput & { index: number; attempt: number; windowFromMs: number };

const breakerOf = (c: BreakerChange): CompletionResult['breaker'] =>
  c.opened ? 'opened' : c.closed ? 'closed' : null;

/** Where an answer leaves its row (spec A8): the state, when a retry is due, and the error kept. */
function decide(l: LiveCompletion, hasNewer: boolean, policy: DeliveryPolicy) {
  const { outcome, nowMs } = l;
  const to = (result: Exclude<Completion, 'fenced'>, nextMs: number | null, error: string | null) => ({
    result,
    nextMs,
    error,
  });
  if (outcome.class === 'success') return to('delivered', null, null);
  if (outcome.class === 'permanent') return to('dead', null, outcome.error);
  if (hasNewer) return to('superseded', null, outcome.error);
  const expiresMs = l.windowFromMs + policy.maxAgeMs;
  if (nowMs >= expiresMs) return to('dead', null, `max age reached: ${outcome.error ?? 'retryable failure'}`);
  // The last try lands on the max age itself, so a row gets its whole window before it is dead.
  const nextMs = Math.min(nowMs + retryDelayMs(l.attempt, outcome.retryAfterMs, policy.random), expiresMs);
  return to('retry', nextMs, outcome.error);
}

async function insertAttempts(tx: Queries, live: LiveCompletion[], instance: string | null) {
  const rows = live.map(({ claim, outcome, nowMs, attempt }) => ({
    outbox_id: claim.id,
    attempt,
    at: new Date(nowMs).toISOString(),
    duration_ms: outcome.durationMs,
    outcome: outcome.class === 'success' ? 'delivered' : outcome.class,
    status: outcome.status,
    error: outcome.error,
    retry_after_ms: outcome.retryAfterMs === null ? null : Math.min(outcome.retryAfterMs, 2 ** 31 - 1),
  }));
  await tx`
    insert into notification_attempts (outbox_id, attempt, at, duration_ms, outcome, status, error, retry_after_ms,
      instance)
    select a.outbox_id, a.attempt, a.at, a.duration_ms, a.outcome::attempt_outcome, a.status, a.error, a.retry_after_ms,
      ${instance}
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as a(outbox_id uuid, attempt int, at timestamptz,
      duration_ms float8, outcome text, status int, error text, retry_after_ms int)`;
}

async function finishRows(
  tx: Queries,
  decided: (LiveCompletion & {
    result: Exclude<Completion, 'fenced'>;
    nextMs: number | null;
    error: string | null;
  })[],
) {
  const rows = decided.map((d) => {
    const at = new Date(d.nowMs).toISOString();
    return {
      id: d.claim.id,
      state: d.result === 'retry' ? 'pending' : d.result,
      attempts: d.attempt,
      last_status: d.outcome.status,
      last_error: d.error,
      delivered_at: d.result === 'delivered' ? at : null,
      dead_at: d.result === 'dead' ? at : null,
      next_attempt_at: d.nextMs === null ? null : new Date(d.nextMs).toISOString(),
    };
  });
  await tx`
    update notification_outbox o set state = u.state::delivery_state, attempts = u.attempts, lease_owner = null,
      lease_until = null, last_status = u.last_status, last_error = u.last_error, delivered_at = u.delivered_at,
      dead_at = u.dead_at, next_attempt_at = coalesce(u.next_attempt_at, o.next_attempt_at)
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as u(id uuid, state text, attempts int, last_status int,
      last_error text, delivered_at timestamptz, dead_at timestamptz, next_attempt_at timestamptz)
    where o.id = u.id and o.id = any(${rows.map((r) => r.id)}::uuid[])`;
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
