/**
 * The flush's reads for a whole claimed batch (flush.ts), a constant number of statements however many groups it
 * holds: suppression at each group's tick, the receivers' integrations, the log entries and the last sequences.
 * Everything is read before the batch's transaction and outside it.
 */
import type { Queries, SuppressedAlert } from '@sextant/db';
import { mutesAt } from '../alerting/muting';
import type { LogEntry, TickAlert } from './dedup';
import type { FlushDb } from './flush';
import { type ClaimedGroup, claimKey, type GroupMember } from './groups';
import { endpointOf } from './integrations';
import { maintenanceMutesAt } from './maintenance-mutes';
import { integrationTargetsById, receiverIntegrations } from './receivers';
import type { ResolvedRoute } from './routing';
import type { TickIntegration } from './tick-plan';
import { type CompiledIntervals, routeMuteAt } from './time-intervals';

/** A claimed group about to be decided: its route (with a receiver) and its members at the snapshot. */
export interface DueGroup {
  claim: ClaimedGroup;
  route: ResolvedRoute & { receiverId: string };
  members: GroupMember[];
}

const idOf = (m: GroupMember) => m.alertId ?? `member:${m.fingerprint}`;

/** Which of `ids` ask to suppress resolves too (our A7 rule's opt-out). */
async function suppressingResolve(tx: Queries, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx<
    { id: string }[]
  >`select id from silences where id = any(${ids}::uuid[]) and suppress_resolve`;
  return new Set(rows.map((r) => r.id));
}

/**
 * Suppression at each group's tick (spec A6 order: inhibition, silences, then the route's time intervals; then
 * maintenance windows), by claimKey; muting.ts and maintenance-mutes.ts read once for the whole batch and decide
 * each tick at its own instant.
 */
export async function suppressGroups(
  db: FlushDb,
  intervals: CompiledIntervals,
  groups: readonly DueGroup[],
): Promise<Map<string, { alerts: TickAlert[]; suppressed: SuppressedAlert[] }>> {
  const mutes = await mutesAt(
    db.db,
    groups.flatMap((g) =>
      g.members.map((m) => ({ id: idOf(m), labels: m.labels, at: new Date(g.claim.tickAt) })),
    ),
  );
  const quiet = await suppressingResolve(db.sql, [
    ...new Set([...mutes.values()].flatMap((byId) => [...byId.values()].flatMap((x) => x.silencedBy))),
  ]);
  const inMaintenance = await maintenanceMutesAt(db.sql, [...new Set(groups.map((g) => g.claim.tickAt))]);
  const result = new Map<string, { alerts: TickAlert[]; suppressed: SuppressedAlert[] }>();
  for (const { claim, route, members } of groups) {
    const tickMs = claim.tickAt;
    const muted = mutes.get(tickMs);
    const { mutedBy } = routeMuteAt(route, intervals, tickMs);
    const alerts: TickAlert[] = [];
    const suppressed: SuppressedAlert[] = [];
    for (const m of members) {
      const found = muted?.get(idOf(m));
      const silencedBy = found?.silencedBy ?? [];
      const inhibitedBy = (found?.inhibitedBy ?? []).map((i) => ({
        ruleId: i.ruleId,
        sourceFingerprint: i.source.fingerprint,
      }));
      const maintenanceBy = inMaintenance(m.labels, tickMs);
      const isSuppressed = silencedBy.length + inhibitedBy.length + mutedBy.length + maintenanceBy.length > 0;
      alerts.push({
        fingerprint: m.fingerprint,
        resolved: m.endsAt !== null && m.endsAt.getTime() <= tickMs,
        suppressed: isSuppressed,
        suppressResolve: silencedBy.some((id) => quiet.has(id)),
      });
      if (isSuppressed)
        suppressed.push({
          fingerprint: m.fingerprint,
          labels: m.labels,
          silencedBy,
          inhibitedBy,
          mutedBy,
          // Absent when empty, so records without maintenance stay as they were.
          ...(maintenanceBy.length > 0 ? { maintenanceBy } : {}),
        });
    }
    result.set(claimKey(claim), { alerts, suppressed });
  }
  return result;
}

/**
 * Each receiver's integrations in order, each with the endpoint it sends to (the breaker and rate-limit key; Slack,
 * Teams and Discord URLs are secrets, so they are decrypted here, only to find it). A receiver that is gone has none.
 */
async function receiverTargets(db: FlushDb, receiverIds: string[]) {
  const list = await receiverIntegrations(db.db, receiverIds);
  const targets = await integrationTargetsById(
    db.sql,
    list.map((i) => i.id),
  );
  const result = new Map(
    receiverIds.map((id) => [
      id,
      { name: '', integrations: [] as (TickIntegration & { endpoint: string })[] },
    ]),
  );
  for (const i of list) {
    const receiver = result.get(i.receiverId)!;
    receiver.name = i.receiverName;
    const t = targets.get(i.id);
    if (t)
      receiver.integrations.push({
        id: t.id,
        kind: t.kind,
        sendResolved: t.sendResolved,
        settings: t.settings,
        endpoint: endpointOf(t),
      });
  }
  return result;
}

/** Each group's log entries for its route's receiver, by claimKey then integration id. */
async function logEntries(sql: Queries, groups: readonly DueGroup[]) {
  const result = new Map(groups.map((g) => [claimKey(g.claim), new Map<string, LogEntry>()]));
  if (groups.length === 0) return result;
  const keys = groups.map((g) => ({
    route_id: g.claim.routeId,
    group_key: g.claim.groupKey,
    receiver_id: g.route.receiverId,
  }));
  const rows = await sql<
    {
      routeId: string;
      groupKey: string;
      integrationId: string;
      firing: string[];
      resolved: string[];
      tickAt: Date;
      sequence: number;
      expiresAt: Date;
    }[]
  >`
    select l.route_id as "routeId", l.group_key as "groupKey", l.integration_id as "integrationId", l.firing,
      l.resolved, l.tick_at as "tickAt", l.sequence, l.expires_at as "expiresAt"
    from notification_log l
    join jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) as k(route_id text, group_key text, receiver_id uuid)
      on l.route_id = k.route_id and l.group_key = k.group_key and l.receiver_id = k.receiver_id`;
  for (const { routeId, groupKey, integrationId, tickAt, expiresAt, ...r } of rows)
    result
      .get(claimKey({ routeId, groupKey }))!
      .set(integrationId, { ...r, tickAt: tickAt.getTime(), expiresAt: expiresAt.getTime() });
  return result;
}

/**
 * The last sequence of each (group, integration) whose log entry is gone (expired), by claimKey then integration
 * id: sequences never go back.
 */
async function lastSequences(sql: Queries, wanted: { claim: ClaimedGroup; integrationIds: string[] }[]) {
  const result = new Map(wanted.map((w) => [claimKey(w.claim), new Map<string, number>()]));
  const keys = wanted.flatMap((w) =>
    w.integrationIds.map((id) => ({
      route_id: w.claim.routeId,
      group_key: w.claim.groupKey,
      integration_id: id,
    })),
  );
  if (keys.length === 0) return result;
  const rows = await sql<{ routeId: string; groupKey: string; integrationId: string; max: number }[]>`
    select o.route_id as "routeId", o.group_key as "groupKey", o.integration_id as "integrationId",
      max(o.sequence) as max
    from notification_outbox o
    join jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) as k(route_id text, group_key text, integration_id uuid)
      on o.route_id = k.route_id and o.group_key = k.group_key and o.integration_id = k.integration_id
    group by o.route_id, o.group_key, o.integration_id`;
  for (const r of rows) result.get(claimKey(r))!.set(r.integrationId, r.max);
  return result;
}

/**
 * What each group's integrations were told: their receiver's targets, the log entries, and for an integration
 * without one the last sequence sent.
 */
export async function readLogs(db: FlushDb, groups: readonly DueGroup[]) {
  const receivers = await receiverTargets(db, [...new Set(groups.map((g) => g.route.receiverId))]);
  const entries = await logEntries(db.sql, groups);
  const sequences = await lastSequences(
    db.sql,
    groups.map((g) => ({
      claim: g.claim,
      integrationIds: receivers
        .get(g.route.receiverId)!
        .integrations.map((i) => i.id)
        .filter((id) => !entries.get(claimKey(g.claim))!.has(id)),
    })),
  );
  return { receivers, entries, sequences };
}
