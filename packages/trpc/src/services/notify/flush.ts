/**
 * A group's tick (spec A5–A7, A9.3): the one writer of notification_log and notification_ticks. A claimed group is
 * flushed in ONE transaction: lock it (fenced on the claim), snapshot its members, suppress (inhibition and
 * silences through muting.ts, then the route's time intervals), decide per integration against the log (dedup.ts),
 * enqueue the messages (outbox.ts), write the log and the tick's decision record, retire sent resolved members and
 * move the group to its next tick, anchored on the schedule. The clock is the engine's, passed in.
 */
import { hostname } from 'node:os';
import type {
  DbOrTx,
  IntegrationDecision,
  IntegrationKind,
  IntegrationSettings,
  Queries,
  Sql,
  SuppressedAlert,
} from '@sextant/db';
import { mutesFor } from '../alerting/muting';
import { composeMessage, DEFAULT_PUBLIC_URL } from './compose';
import {
  batchFor,
  type Decision,
  type LogEntry,
  liveEntry,
  needsUpdate,
  REASONS,
  type TickAlert,
} from './dedup';
import {
  type ClaimedGroup,
  claimDueGroups,
  currentRouting,
  dropGroup,
  finishGroupTick,
  type GroupMember,
  groupMembers,
  lockClaimedGroup,
} from './groups';
import { enqueueMessages, type OutboxEntry } from './outbox';
import type { ResolvedRoute } from './routing';

/** The pool, and the same pool through Drizzle for muting.ts' reads. */
export interface FlushDb {
  sql: Sql;
  db: DbOrTx;
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

/** A receiver's integrations as a tick needs them. Swap point: receivers.ts' reader once it lands. */
async function receiverTargets(tx: Queries, receiverId: string) {
  const rows = await tx<
    {
      name: string;
      id: string | null;
      kind: IntegrationKind;
      sendResolved: boolean;
      settings: IntegrationSettings;
    }[]
  >`
    select r.name, i.id, i.kind, i.send_resolved as "sendResolved", i.settings
    from receivers r left join receiver_integrations i on i.receiver_id = r.id
    where r.id = ${receiverId} order by i.position`;
  return {
    name: rows[0]?.name ?? '',
    integrations: rows.filter((r) => r.id !== null) as ((typeof rows)[number] & { id: string })[],
  };
}

/** The breaker and rate-limit key of an integration. Swap point: the integrations' endpointOf once it lands. */
export function endpointOf(integrationId: string, s: IntegrationSettings): string {
  if ((s.kind === 'webhook' || s.kind === 'pagerduty') && URL.canParse(s.url)) return new URL(s.url).origin;
  if (s.kind === 'email') return `smtp://${s.smarthost.host}:${s.smarthost.port}`;
  if (s.kind === 'slack') return 'https://hooks.slack.com';
  return `${s.kind}:${integrationId}`;
}

/** The time intervals muting the route at the tick (spec A6). Swap point: time-intervals.ts' routeMuteAt. */
async function routeMutedBy(_tx: Queries, _route: ResolvedRoute, _tickMs: number): Promise<string[]> {
  return [];
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

/** The last sequence a (group, integration) used when its log entry is gone (expired): sequences never go back. */
async function lastSequence(tx: Queries, claim: ClaimedGroup, integrationId: string): Promise<number> {
  const [row] = await tx<{ max: number | null }[]>`
    select max(sequence) as max from notification_outbox
    where route_id = ${claim.routeId} and group_key = ${claim.groupKey} and integration_id = ${integrationId}`;
  return row?.max ?? 0;
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
  tx: Queries,
  route: ResolvedRoute,
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
  const quiet = await suppressingResolve(tx, [...new Set([...mutes.values()].flatMap((x) => x.silencedBy))]);
  const mutedBy = await routeMutedBy(tx, route, tickMs);
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

/**
 * Flushes one claimed group at its tick; null when the claim was fenced off (another instance took it, or its
 * schedule moved). Everything it decides is written in one transaction with the outbox rows.
 */
export async function flushGroup(
  db: FlushDb,
  claim: ClaimedGroup,
  nowMs: number,
  o: FlushOptions,
): Promise<TickResult | null> {
  const tree = await currentRouting(db.sql);
  const route = tree.routes.get(claim.routeId);
  const tickMs = claim.tickAt;
  return db.sql.begin(async (tx) => {
    const group = await lockClaimedGroup(tx, claim, o.owner);
    if (!group) return null;
    const result = {
      routeId: claim.routeId,
      groupKey: claim.groupKey,
      tickAt: tickMs,
      lagMs: nowMs - tickMs,
    };
    if (!route?.receiverId) {
      await dropGroup(tx, claim);
      return { ...result, decisions: [], destroyed: true, dropped: true };
    }
    const receiverId = route.receiverId;
    const members = await groupMembers(tx, claim);
    const byFingerprint = new Map(members.map((m) => [m.fingerprint, m]));
    const { alerts, suppressed } = await suppress(db, tx, route, members, tickMs);
    const receiver = await receiverTargets(tx, receiverId);
    const entries = await logEntries(tx, claim, receiverId);
    const outbox: OutboxEntry[] = [];
    const logs: { integrationId: string; d: Decision; tickAt: number; sequence: number }[] = [];
    const decisions: IntegrationDecision[] = [];
    for (const integration of receiver.integrations) {
      const stored = entries.get(integration.id) ?? null;
      const entry = liveEntry(stored, tickMs);
      const batch = batchFor(alerts, entry);
      const d: Decision =
        batch.firing.length + batch.resolved.length === 0
          ? {
              notify: false,
              reason: suppressed.length > 0 ? REASONS.muted : REASONS.nothingNew,
              log: 'none',
              firing: [],
              resolved: [],
            }
          : needsUpdate(entry, batch, {
              sendResolved: integration.sendResolved,
              tickMs,
              repeatMs: route.repeatIntervalMs,
            });
      const decision: IntegrationDecision = {
        integrationId: integration.id,
        kind: integration.kind,
        notify: d.notify,
        reason: d.reason,
        sequence: null,
        outboxId: null,
      };
      decisions.push(decision);
      if (d.log === 'silent' && entry)
        logs.push({ integrationId: integration.id, d, tickAt: entry.tickAt, sequence: entry.sequence });
      if (!d.notify) continue;
      const sequence = (stored?.sequence ?? (await lastSequence(tx, claim, integration.id))) + 1;
      decision.sequence = sequence;
      logs.push({ integrationId: integration.id, d, tickAt: tickMs, sequence });
      const sent = [...batch.firing, ...(integration.sendResolved ? batch.resolved : [])];
      const payload = composeMessage({
        groupKey: claim.groupKey,
        routeId: claim.routeId,
        groupLabels: group.groupLabels,
        receiverId,
        receiverName: receiver.name,
        integrationId: integration.id,
        tickMs,
        sequence,
        reason: d.reason,
        alerts: sent.map((f) => ({ member: byFingerprint.get(f)!, resolved: !batch.firing.includes(f) })),
        publicUrl: o.publicUrl,
      });
      outbox.push({
        idempotencyKey: payload.idempotencyKey,
        routeId: claim.routeId,
        groupKey: claim.groupKey,
        receiverId,
        integrationId: integration.id,
        tickAt: tickMs,
        sequence,
        payload,
        endpoint: endpointOf(integration.id, integration.settings),
        createdAt: nowMs,
      });
    }
    const ids = await enqueueMessages(tx, outbox);
    for (const decision of decisions) {
      const entry = outbox.find((e) => e.integrationId === decision.integrationId);
      if (entry) decision.outboxId = ids.get(entry.idempotencyKey) ?? null;
    }
    await writeLog(
      tx,
      claim,
      receiverId,
      logs,
      tickMs + Math.min(LOG_RETENTION_MS, 2 * route.repeatIntervalMs),
    );
    const quiet =
      suppressed.length === 0 &&
      decisions.length > 0 &&
      decisions.every((d) => d.reason === REASONS.nothingNew);
    if (!quiet)
      await recordTick(tx, {
        claim,
        groupLabels: group.groupLabels,
        receiverId,
        alerts,
        suppressed,
        decisions,
      });
    const retired = members.filter((m) => alerts.find((a) => a.fingerprint === m.fingerprint)!.resolved);
    const next = nextTickAfter(tickMs, route.groupIntervalMs, nowMs);
    const { destroyed } = await finishGroupTick(tx, claim, {
      retired,
      version: group.version,
      lastTickAt: tickMs,
      nextFlushAt: next,
    });
    return { ...result, decisions, destroyed, dropped: false };
  });
}

async function writeLog(
  tx: Queries,
  claim: ClaimedGroup,
  receiverId: string,
  logs: { integrationId: string; d: Decision; tickAt: number; sequence: number }[],
  expiresAtMs: number,
) {
  if (logs.length === 0) return;
  const rows = logs.map((l) => ({
    integration_id: l.integrationId,
    firing: l.d.firing,
    resolved: l.d.resolved,
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

/** Retention: tick records older than `retentionDays`, and log entries past their expiry. */
export async function pruneNotificationHistory(sql: Sql, nowMs: number, retentionDays: number) {
  const ticks =
    await sql`delete from notification_ticks where tick_at < ${new Date(nowMs - retentionDays * 86_400_000)}`;
  const log = await sql`delete from notification_log where expires_at < ${new Date(nowMs)}`;
  return { ticks: ticks.count, log: log.count };
}
