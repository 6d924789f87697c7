/**
 * A group's tick (spec A5–A7, A9.3): the one writer of notification_log and notification_ticks. A claimed group's
 * members are snapshot and suppressed (inhibition and silences through muting.ts, then the route's time
 * intervals), each integration decides against the log (tick-plan.ts, dedup.ts), and ONE transaction fenced on the
 * claim enqueues the messages (outbox.ts), writes the log and the tick's decision record, retires sent resolved
 * members and moves the group to its next tick, anchored on the schedule. The clock is the engine's, passed in.
 */
import { hostname } from 'node:os';
import type { Db, IntegrationDecision, Queries, Sql, SuppressedAlert } from '@sextant/db';
import { mutesFor } from '../alerting/muting';
import { DEFAULT_PUBLIC_URL } from './compose';
import { type LogEntry, REASONS, type TickAlert } from './dedup';
import {
  type ClaimedGroup,
  claimDueGroups,
  dropGroup,
  finishGroupTick,
  type GroupMember,
  lockClaimedGroup,
  snapshotGroup,
} from './groups';
import { endpointOf } from './integrations';
import { enqueueMessages } from './outbox';
import { integrationTargetsById, receiverIntegrations } from './receivers';
import { loadRouting } from './route-store';
import type { ResolvedRoute } from './routing';
import { type LogWrite, planTick } from './tick-plan';
import { type CompiledIntervals, routeMuteAt } from './time-intervals';

/** The pool, and the same pool through Drizzle for the routing loader's and muting.ts' reads. */
export interface FlushDb {
  sql: Sql;
  db: Db;
}

export interface FlushOptions {
  /** Unique per process; claims carry it. */
  owner: string;
  /** Groups one claim takes. */
  limit: number;
  /** How long a claim holds a group before another instance may flush it. */
  leaseMs: number;
  /** The console's address, for links back (SEXTANT_PUBLIC_URL). */
  publicUrl: string;
}

export const FLUSH_LEASE_MS = 30_000;
/** Alertmanager's nflog retention: a log entry lives min(120 h, 2 x repeat interval) after its last write. */
const LOG_RETENTION_MS = 120 * 3_600_000;

export const defaultFlushOptions = (): FlushOptions => ({
  owner: `${hostname()}:${process.pid}`,
  limit: 100,
  leaseMs: FLUSH_LEASE_MS,
  publicUrl: DEFAULT_PUBLIC_URL,
});

/** What one tick came to, for metrics and tests. */
export interface TickResult {
  routeId: string;
  groupKey: string;
  tickAt: number;
  /** Engine time of the flush minus its tick. */
  lagMs: number;
  decisions: IntegrationDecision[];
  /** The group was destroyed (empty), or dropped (its route is gone). */
  destroyed: boolean;
  dropped: boolean;
}

/**
 * A receiver's integrations in order, each with the endpoint it sends to (the breaker and rate-limit key; Slack,
 * Teams and Discord URLs are secrets, so they are decrypted here, only to find it).
 */
async function receiverTargets(db: FlushDb, receiverId: string) {
  const list = await receiverIntegrations(db.db, receiverId);
  const targets = await integrationTargetsById(
    db.sql,
    list.map((i) => i.id),
  );
  const integrations = list.flatMap((i) => {
    const t = targets.get(i.id);
    return t
      ? [
          {
            id: t.id,
            kind: t.kind,
            sendResolved: t.sendResolved,
            settings: t.settings,
            endpoint: endpointOf(t),
          },
        ]
      : [];
  });
  return { name: list[0]?.receiverName ?? '', integrations };
}

async function logEntries(tx: Queries, claim: ClaimedGroup, receiverId: string) {
  const rows = await tx<
    {
      integrationId: string;
      firing: string[];
      resolved: string[];
      tickAt: Date;
      sequence: number;
      expiresAt: Date;
    }[]
  >`
    select integration_id as "integrationId", firing, resolved, tick_at as "tickAt", sequence, expires_at as "expiresAt"
    from notification_log
    where route_id = ${claim.routeId} and group_key = ${claim.groupKey} and receiver_id = ${receiverId}`;
  return new Map<string, LogEntry>(
    rows.map((r) => [
      r.integrationId,
      { ...r, tickAt: r.tickAt.getTime(), expiresAt: r.expiresAt.getTime() },
    ]),
  );
}

/** Which of `ids` ask to suppress resolves too (our A7 rule's opt-out). */
async function suppressingResolve(tx: Queries, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx<
    { id: string }[]
  >`select id from silences where id = any(${ids}::uuid[]) and suppress_resolve`;
  return new Set(rows.map((r) => r.id));
}

/** Suppression at the tick (spec A6 order: inhibition, silences, then the route's time intervals). */
async function suppress(
  db: FlushDb,
  route: ResolvedRoute,
  intervals: CompiledIntervals,
  members: GroupMember[],
  tickMs: number,
) {
  const at = new Date(tickMs);
  const idOf = (m: GroupMember) => m.alertId ?? `member:${m.fingerprint}`;
  const mutes = await mutesFor(
    db.db,
    members.map((m) => ({ id: idOf(m), labels: m.labels })),
    at,
  );
  const quiet = await suppressingResolve(db.sql, [
    ...new Set([...mutes.values()].flatMap((x) => x.silencedBy)),
  ]);
  const { mutedBy } = routeMuteAt(route, intervals, tickMs);
  const alerts: TickAlert[] = [];
  const suppressed: SuppressedAlert[] = [];
  for (const m of members) {
    const found = mutes.get(idOf(m));
    const silencedBy = found?.silencedBy ?? [];
    const inhibitedBy = (found?.inhibitedBy ?? []).map((i) => ({
      ruleId: i.ruleId,
      sourceFingerprint: i.source.fingerprint,
    }));
    const isSuppressed = silencedBy.length + inhibitedBy.length + mutedBy.length > 0;
    alerts.push({
      fingerprint: m.fingerprint,
      resolved: m.endsAt !== null && m.endsAt.getTime() <= tickMs,
      suppressed: isSuppressed,
      suppressResolve: silencedBy.some((id) => quiet.has(id)),
    });
    if (isSuppressed)
      suppressed.push({ fingerprint: m.fingerprint, labels: m.labels, silencedBy, inhibitedBy, mutedBy });
  }
  return { alerts, suppressed };
}

/** Anchored cadence (our A5 rule): the first tick + k x group_interval after `nowMs`, never drifting. */
export const nextTickAfter = (tickMs: number, intervalMs: number, nowMs: number) =>
  tickMs + intervalMs * (Math.max(0, Math.floor((nowMs - tickMs) / intervalMs)) + 1);

/** The last sequence of each (group, integration) whose log entry is gone (expired): sequences never go back. */
async function lastSequences(sql: Queries, claim: ClaimedGroup, integrationIds: string[]) {
  if (integrationIds.length === 0) return new Map<string, number>();
  const rows = await sql<{ integrationId: string; max: number }[]>`
    select integration_id as "integrationId", max(sequence) as max from notification_outbox
    where route_id = ${claim.routeId} and group_key = ${claim.groupKey}
      and integration_id = any(${integrationIds}::uuid[])
    group by integration_id`;
  return new Map(rows.map((r) => [r.integrationId, r.max]));
}

/**
 * Flushes one claimed group at its tick; null when the claim was fenced off (another instance took the group over,
 * or its schedule moved). Everything is read first, outside any transaction (so a flush holds one connection at a
 * time and a group lock only for its writes); the decisions are then written in one transaction that locks the
 * group fenced on the claim. An alert joining meanwhile waits for the next tick and keeps the group alive.
 */
export async function flushGroup(
  db: FlushDb,
  claim: ClaimedGroup,
  nowMs: number,
  o: FlushOptions,
): Promise<TickResult | null> {
  const routing = await loadRouting(db.sql);
  const route = routing.compiled.routes.get(claim.routeId);
  const tickMs = claim.tickAt;
  const snapshot = await snapshotGroup(db.sql, claim);
  if (!snapshot) return null;
  const result = { routeId: claim.routeId, groupKey: claim.groupKey, tickAt: tickMs, lagMs: nowMs - tickMs };
  if (!route?.receiverId) {
    const held = await db.sql.begin(async (tx) => {
      if (!(await lockClaimedGroup(tx, claim, o.owner))) return false;
      await dropGroup(tx, claim);
      return true;
    });
    return held ? { ...result, decisions: [], destroyed: true, dropped: true } : null;
  }
  const { members } = snapshot;
  const { alerts, suppressed } = await suppress(db, route, routing.intervals, members, tickMs);
  const receiver = await receiverTargets(db, route.receiverId);
  const entries = await logEntries(db.sql, claim, route.receiverId);
  const unlogged = receiver.integrations.map((i) => i.id).filter((id) => !entries.has(id));
  const plan = planTick({
    claim,
    route,
    groupLabels: snapshot.groupLabels,
    members,
    alerts,
    anySuppressed: suppressed.length > 0,
    receiver: { id: route.receiverId, ...receiver },
    entries,
    lastSequences: await lastSequences(db.sql, claim, unlogged),
    nowMs,
    publicUrl: o.publicUrl,
    endpointOf: (id) => receiver.integrations.find((i) => i.id === id)!.endpoint,
  });
  return db.sql.begin(async (tx) => {
    if (!(await lockClaimedGroup(tx, claim, o.owner))) return null;
    const ids = await enqueueMessages(tx, plan.outbox);
    for (const entry of plan.outbox) {
      const decision = plan.decisions.find((d) => d.integrationId === entry.integrationId)!;
      decision.outboxId = ids.get(entry.idempotencyKey) ?? null;
    }
    const expiresAt = tickMs + Math.min(LOG_RETENTION_MS, 2 * route.repeatIntervalMs);
    await writeLog(tx, claim, route.receiverId!, plan.logs, expiresAt);
    const { decisions } = plan;
    const quiet =
      suppressed.length === 0 &&
      decisions.length > 0 &&
      decisions.every((d) => d.reason === REASONS.nothingNew);
    if (!quiet)
      await recordTick(tx, {
        claim,
        groupLabels: snapshot.groupLabels,
        receiverId: route.receiverId!,
        alerts,
        suppressed,
        decisions,
      });
    const resolved = new Set(alerts.filter((a) => a.resolved).map((a) => a.fingerprint));
    const { destroyed } = await finishGroupTick(tx, claim, {
      retired: members.filter((m) => resolved.has(m.fingerprint)),
      version: snapshot.version,
      lastTickAt: tickMs,
      nextFlushAt: nextTickAfter(tickMs, route.groupIntervalMs, nowMs),
    });
    return { ...result, decisions, destroyed, dropped: false };
  });
}

async function writeLog(
  tx: Queries,
  claim: ClaimedGroup,
  receiverId: string,
  logs: LogWrite[],
  expiresAtMs: number,
) {
  if (logs.length === 0) return;
  const rows = logs.map((l) => ({
    integration_id: l.integrationId,
    firing: l.decision.firing,
    resolved: l.decision.resolved,
    tick_at: new Date(l.tickAt).toISOString(),
    sequence: l.sequence,
  }));
  await tx`
    insert into notification_log (route_id, group_key, receiver_id, integration_id, firing, resolved, tick_at,
      sequence, expires_at)
    select ${claim.routeId}, ${claim.groupKey}, ${receiverId}, l.integration_id, l.firing, l.resolved, l.tick_at,
      l.sequence, ${new Date(expiresAtMs)}
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as l(integration_id uuid, firing jsonb, resolved jsonb,
      tick_at timestamptz, sequence int)
    on conflict (route_id, group_key, receiver_id, integration_id) do update set firing = excluded.firing,
      resolved = excluded.resolved, tick_at = excluded.tick_at, sequence = excluded.sequence,
      expires_at = excluded.expires_at`;
}

/** The tick's decision record for "why (not) notified"; quiet ticks (nothing new, nothing muted) are not kept. */
async function recordTick(
  tx: Queries,
  t: {
    claim: ClaimedGroup;
    groupLabels: Record<string, string>;
    receiverId: string;
    alerts: TickAlert[];
    suppressed: SuppressedAlert[];
    decisions: IntegrationDecision[];
  },
) {
  const shown = t.alerts.filter((a) => !a.suppressed);
  await tx`
    insert into notification_ticks (route_id, group_key, group_labels, receiver_id, tick_at, firing, resolved,
      suppressed, decisions, fingerprints)
    values (${t.claim.routeId}, ${t.claim.groupKey}, ${JSON.stringify(t.groupLabels)}::jsonb, ${t.receiverId},
      ${new Date(t.claim.tickAt)}, ${JSON.stringify(shown.filter((a) => !a.resolved).map((a) => a.fingerprint))}::jsonb,
      ${JSON.stringify(shown.filter((a) => a.resolved).map((a) => a.fingerprint))}::jsonb,
      ${JSON.stringify(t.suppressed)}::jsonb, ${JSON.stringify(t.decisions)}::jsonb,
      ${t.alerts.map((a) => a.fingerprint)}::text[])`;
}

/**
 * One flush pass at `nowMs` (engine clock): claims due groups `limit` at a time and flushes them, until none are
 * left due. Tests drive it at each step of a timeline; the API's loop claims and flushes itself.
 */
export async function runDueFlushes(
  db: FlushDb,
  nowMs: number,
  options: Partial<FlushOptions> = {},
): Promise<TickResult[]> {
  const o = { ...defaultFlushOptions(), ...options };
  const results: TickResult[] = [];
  for (;;) {
    const claims = await claimDueGroups(db.sql, o.owner, o.limit, nowMs, o.leaseMs);
    for (const claim of claims) {
      const r = await flushGroup(db, claim, nowMs, o);
      if (r) results.push(r);
    }
    if (claims.length < o.limit) return results;
  }
}

/**
 * Delivery's one write to the log (spec A9.4): what the remote gave back for later messages of the same group and
 * integration (e.g. a thread id), in the caller's transaction. The decision's own fields are the flush's alone.
 */
export async function recordReceiverData(
  tx: Queries,
  key: { routeId: string; groupKey: string; receiverId: string; integrationId: string },
  data: Record<string, unknown>,
): Promise<void> {
  await tx`
    update notification_log set receiver_data = ${JSON.stringify(data)}::jsonb
    where route_id = ${key.routeId} and group_key = ${key.groupKey} and receiver_id = ${key.receiverId}
      and integration_id = ${key.integrationId}`;
}

/** Retention: tick records older than `retentionDays`, and log entries past their expiry. */
export async function pruneNotificationHistory(sql: Sql, nowMs: number, retentionDays: number) {
  const ticks =
    await sql`delete from notification_ticks where tick_at < ${new Date(nowMs - retentionDays * 86_400_000)}`;
  const log = await sql`delete from notification_log where expires_at < ${new Date(nowMs)}`;
  return { ticks: ticks.count, log: log.count };
}
