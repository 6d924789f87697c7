/**
 * Groups' ticks (spec A5–A7, A9.3): the one writer of notification_log and notification_ticks. A claimed batch of
 * groups is read with a constant number of statements (flush-read.ts: members snapshot and suppressed — inhibition
 * and silences through muting.ts, then the route's time intervals — receivers, log), each integration decides
 * against the log (tick-plan.ts, dedup.ts), and ONE transaction fenced on every claim enqueues the messages
 * (outbox.ts), writes the log and the ticks' decision records, retires sent resolved members and moves each group to
 * its next tick, anchored on the schedule. The clock is the engine's, passed in.
 */
import { hostname } from 'node:os';
import type { Db, IntegrationDecision, Queries, Sql, SuppressedAlert } from '@sextant/db';
import { DEFAULT_PUBLIC_URL } from './compose';
import { REASONS, type TickAlert } from './dedup';
import { type DueGroup, readLogs, suppressGroups } from './flush-read';
import {
  type ClaimedGroup,
  claimDueGroups,
  claimKey,
  dropGroups,
  finishGroupTicks,
  lockClaimedGroups,
  snapshotGroups,
} from './groups';
import { syncIncidentLinks } from './incident-links';
import { enqueueMessages } from './outbox';
import { loadRouting } from './route-store';
import { type LogWrite, planTick } from './tick-plan';

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

/** Anchored cadence (our A5 rule): the first tick + k x group_interval after `nowMs`, never drifting. */
export const nextTickAfter = (tickMs: number, intervalMs: number, nowMs: number) =>
  tickMs + intervalMs * (Math.max(0, Math.floor((nowMs - tickMs) / intervalMs)) + 1);

/** A group's tick as decided before the batch's transaction. */
interface PlannedTick extends DueGroup {
  groupLabels: Record<string, string>;
  version: number;
  alerts: TickAlert[];
  suppressed: SuppressedAlert[];
  plan: ReturnType<typeof planTick>;
}

/** Reads the batch (a constant number of statements, flush-read.ts) and decides each group's tick in memory. */
async function planBatch(db: FlushDb, claims: readonly ClaimedGroup[], nowMs: number, o: FlushOptions) {
  const routing = await loadRouting(db.sql);
  const snapshots = await snapshotGroups(db.sql, claims);
  const present = claims.filter((c) => snapshots.has(claimKey(c)));
  const routeOf = (c: ClaimedGroup) => routing.compiled.routes.get(c.routeId);
  const dropped = present.filter((c) => !routeOf(c)?.receiverId);
  const due: DueGroup[] = present.flatMap((claim) => {
    const route = routeOf(claim);
    return route?.receiverId
      ? [
          {
            claim,
            route: { ...route, receiverId: route.receiverId },
            members: snapshots.get(claimKey(claim))!.members,
          },
        ]
      : [];
  });
  const suppression = await suppressGroups(db, routing.intervals, due);
  const { receivers, entries, sequences } = await readLogs(db, due);
  const ticks = due.map((g): PlannedTick => {
    const key = claimKey(g.claim);
    const { groupLabels, version } = snapshots.get(key)!;
    const { alerts, suppressed } = suppression.get(key)!;
    const receiver = receivers.get(g.route.receiverId)!;
    const plan = planTick({
      claim: g.claim,
      route: g.route,
      groupLabels,
      members: g.members,
      alerts,
      anySuppressed: suppressed.length > 0,
      receiver: { id: g.route.receiverId, ...receiver },
      entries: entries.get(key)!,
      lastSequences: sequences.get(key)!,
      nowMs,
      publicUrl: o.publicUrl,
      endpointOf: (id) => receiver.integrations.find((i) => i.id === id)!.endpoint,
    });
    return { ...g, groupLabels, version, alerts, suppressed, plan };
  });
  return { present, dropped, ticks };
}

/**
 * Flushes a claimed batch of groups at their ticks (spec A5–A7, A9.3) with a constant number of statements:
 * everything is read first, outside any transaction (so a batch holds one connection at a time and group locks
 * only for its writes), each tick is planned in memory, then ONE transaction locks the groups still claimed
 * (lockClaimedGroups) and writes only theirs: a group another instance took over, or whose schedule moved, writes
 * nothing and is absent from the results, as is a group gone since the claim. Results are in claim order. An
 * alert joining meanwhile waits for the next tick and keeps its group alive.
 */
export async function flushGroups(
  db: FlushDb,
  claims: readonly ClaimedGroup[],
  nowMs: number,
  o: FlushOptions,
): Promise<TickResult[]> {
  if (claims.length === 0) return [];
  const { present, dropped, ticks } = await planBatch(db, claims, nowMs, o);
  if (present.length === 0) return [];
  const done = await db.sql.begin(async (tx) => {
    const held = await lockClaimedGroups(tx, present, o.owner);
    const mine = <T extends { claim: ClaimedGroup }>(x: T) => held.has(claimKey(x.claim));
    const drops = dropped.filter((claim) => mine({ claim }));
    await dropGroups(tx, drops);
    const kept = ticks.filter(mine);
    const ids = await enqueueMessages(
      tx,
      kept.flatMap((t) => t.plan.outbox),
    );
    for (const { plan } of kept)
      for (const entry of plan.outbox) {
        const decision = plan.decisions.find((d) => d.integrationId === entry.integrationId)!;
        decision.outboxId = ids.get(entry.idempotencyKey) ?? null;
      }
    await writeLogs(tx, kept);
    // After the group locks: one instance alone opens a group's incident (issue 15, Alerting II).
    await syncIncidentLinks(tx, kept);
    await recordTicks(
      tx,
      kept.filter((t) => !isQuiet(t)),
    );
    const destroyed = await finishGroupTicks(
      tx,
      kept.map((t) => {
        const resolved = new Set(t.alerts.filter((a) => a.resolved).map((a) => a.fingerprint));
        return {
          claim: t.claim,
          retired: t.members.filter((m) => resolved.has(m.fingerprint)),
          version: t.version,
          lastTickAt: t.claim.tickAt,
          nextFlushAt: nextTickAfter(t.claim.tickAt, t.route.groupIntervalMs, nowMs),
        };
      }),
    );
    const results = new Map<string, TickResult>();
    const resultOf = (claim: ClaimedGroup, r: Pick<TickResult, 'decisions' | 'destroyed' | 'dropped'>) =>
      results.set(claimKey(claim), {
        routeId: claim.routeId,
        groupKey: claim.groupKey,
        tickAt: claim.tickAt,
        lagMs: nowMs - claim.tickAt,
        ...r,
      });
    for (const claim of drops) resultOf(claim, { decisions: [], destroyed: true, dropped: true });
    for (const t of kept)
      resultOf(t.claim, {
        decisions: t.plan.decisions,
        destroyed: destroyed.has(claimKey(t.claim)),
        dropped: false,
      });
    return results;
  });
  return claims.flatMap((c) => done.get(claimKey(c)) ?? []);
}

/** Flushes one claimed group at its tick: the batch of one; null when the claim was fenced off or the group is gone. */
export async function flushGroup(
  db: FlushDb,
  claim: ClaimedGroup,
  nowMs: number,
  o: FlushOptions,
): Promise<TickResult | null> {
  const [result] = await flushGroups(db, [claim], nowMs, o);
  return result ?? null;
}

/** A tick with nothing new and nothing muted: its decision record is not kept. */
const isQuiet = (t: PlannedTick) =>
  t.suppressed.length === 0 &&
  t.plan.decisions.length > 0 &&
  t.plan.decisions.every((d) => d.reason === REASONS.nothingNew);

/** The ticks' log writes, set-based; an entry lives min(120 h, 2 x repeat interval) after its tick. */
async function writeLogs(tx: Queries, ticks: readonly PlannedTick[]) {
  const rows = ticks.flatMap((t) =>
    t.plan.logs.map((l: LogWrite) => ({
      route_id: t.claim.routeId,
      group_key: t.claim.groupKey,
      receiver_id: t.route.receiverId,
      integration_id: l.integrationId,
      firing: l.decision.firing,
      resolved: l.decision.resolved,
      tick_at: new Date(l.tickAt).toISOString(),
      sequence: l.sequence,
      expires_at: new Date(
        t.claim.tickAt + Math.min(LOG_RETENTION_MS, 2 * t.route.repeatIntervalMs),
      ).toISOString(),
    })),
  );
  if (rows.length === 0) return;
  await tx`
    insert into notification_log (route_id, group_key, receiver_id, integration_id, firing, resolved, tick_at,
      sequence, expires_at)
    select l.route_id, l.group_key, l.receiver_id, l.integration_id, l.firing, l.resolved, l.tick_at, l.sequence,
      l.expires_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as l(route_id text, group_key text, receiver_id uuid,
      integration_id uuid, firing jsonb, resolved jsonb, tick_at timestamptz, sequence int, expires_at timestamptz)
    on conflict (route_id, group_key, receiver_id, integration_id) do update set firing = excluded.firing,
      resolved = excluded.resolved, tick_at = excluded.tick_at, sequence = excluded.sequence,
      expires_at = excluded.expires_at`;
}

/** The ticks' decision records for "why (not) notified", set-based. */
async function recordTicks(tx: Queries, ticks: readonly PlannedTick[]) {
  if (ticks.length === 0) return;
  const rows = ticks.map((t) => {
    const shown = t.alerts.filter((a) => !a.suppressed);
    return {
      route_id: t.claim.routeId,
      group_key: t.claim.groupKey,
      group_labels: t.groupLabels,
      receiver_id: t.route.receiverId,
      tick_at: new Date(t.claim.tickAt).toISOString(),
      firing: shown.filter((a) => !a.resolved).map((a) => a.fingerprint),
      resolved: shown.filter((a) => a.resolved).map((a) => a.fingerprint),
      suppressed: t.suppressed,
      decisions: t.plan.decisions,
      fingerprints: t.alerts.map((a) => a.fingerprint),
    };
  });
  await tx`
    insert into notification_ticks (route_id, group_key, group_labels, receiver_id, tick_at, firing, resolved,
      suppressed, decisions, fingerprints)
    select t.route_id, t.group_key, t.group_labels, t.receiver_id, t.tick_at, t.firing, t.resolved, t.suppressed,
      t.decisions, array(select jsonb_array_elements_text(t.fingerprints))
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as t(route_id text, group_key text, group_labels jsonb,
      receiver_id uuid, tick_at timestamptz, firing jsonb, resolved jsonb, suppressed jsonb, decisions jsonb,
      fingerprints jsonb)
    order by t.tick_at`;
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
    results.push(...(await flushGroups(db, claims, nowMs, o)));
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
