/**
 * One tick decision as the Notifications page explains it: "why (not) sent" per integration, the alert sets with
 * labels, what suppressed whom, and the group's timers. Reads only, like history.ts.
 */
import { and, type Db, type DbOrTx, desc, eq, inArray, schema, sql } from '@sextant/db';
import { AppError } from '../../errors';
import { o, outboxSummaries, rc, ri, type TickRow, tk, withDeliveries } from './history';
import { compileTree } from './routing';

/** Labels of the fingerprints a tick names: from its messages first, then the group's members, then the alerts. */
async function labelsOf(db: DbOrTx, tick: TickRow, outboxIds: string[]) {
  const labels = new Map<string, Record<string, string>>();
  for (const s of tick.suppressed) labels.set(s.fingerprint, s.labels);
  if (outboxIds.length > 0) {
    const rows = await db
      .select({
        alerts: sql<{ fingerprint: string; labels: Record<string, string> }[]>`${o.payload}->'alerts'`,
      })
      .from(o)
      .where(inArray(o.id, outboxIds));
    for (const r of rows) for (const a of r.alerts ?? []) labels.set(a.fingerprint, a.labels);
  }
  const missing = () => [...new Set([...tick.firing, ...tick.resolved])].filter((f) => !labels.has(f));
  if (missing().length > 0) {
    const members = await db
      .select({ fingerprint: schema.alertGroupMembers.fingerprint, labels: schema.alertGroupMembers.labels })
      .from(schema.alertGroupMembers)
      .where(
        and(
          eq(schema.alertGroupMembers.routeId, tick.routeId),
          eq(schema.alertGroupMembers.groupKey, tick.groupKey),
          inArray(schema.alertGroupMembers.fingerprint, missing()),
        ),
      );
    for (const m of members) labels.set(m.fingerprint, m.labels);
  }
  const rest = missing();
  if (rest.length > 0) {
    const i = schema.alertInstances;
    const found = await db
      .selectDistinctOn([i.fingerprint], { fingerprint: i.fingerprint, labels: i.labels })
      .from(i)
      .where(inArray(i.fingerprint, rest))
      .orderBy(i.fingerprint, desc(i.updatedAt));
    for (const f of found) labels.set(f.fingerprint, f.labels);
  }
  return labels;
}

/** What suppressed alerts were suppressed by, with the names and links the page shows. */
async function suppressionSources(db: DbOrTx, suppressed: TickRow['suppressed']) {
  const silenceIds = [...new Set(suppressed.flatMap((s) => s.silencedBy))];
  const ruleIds = [...new Set(suppressed.flatMap((s) => s.inhibitedBy.map((b) => b.ruleId)))];
  const muted = suppressed.flatMap((s) => s.mutedBy.map(mutedEntry));
  const intervalNames = [...new Set(muted.flatMap((m) => m.names))];
  const maintenanceIds = [...new Set(suppressed.flatMap((s) => s.maintenanceBy ?? []))];
  const [silences, rules, intervals, windows] = await Promise.all([
    silenceIds.length
      ? db
          .select({ id: schema.silences.id, comment: schema.silences.comment })
          .from(schema.silences)
          .where(inArray(schema.silences.id, silenceIds))
      : [],
    ruleIds.length
      ? db
          .select({ id: schema.inhibitionRules.id, name: schema.inhibitionRules.name })
          .from(schema.inhibitionRules)
          .where(inArray(schema.inhibitionRules.id, ruleIds))
      : [],
    intervalNames.length
      ? db
          .select({ id: schema.timeIntervals.id, name: schema.timeIntervals.name })
          .from(schema.timeIntervals)
          .where(inArray(schema.timeIntervals.name, intervalNames))
      : [],
    maintenanceIds.length
      ? db
          .select({ id: schema.maintenances.id, title: schema.maintenances.title })
          .from(schema.maintenances)
          .where(inArray(schema.maintenances.id, maintenanceIds))
      : [],
  ]);
  const title = new Map(windows.map((w) => [w.id, w.title]));
  const comment = new Map(silences.map((s) => [s.id, s.comment]));
  const ruleName = new Map(rules.map((r) => [r.id, r.name]));
  const intervalId = new Map(intervals.map((t) => [t.name, t.id]));
  return suppressed.map((s) => ({
    fingerprint: s.fingerprint,
    labels: s.labels,
    silences: s.silencedBy.map((id) => ({ id, comment: comment.get(id) ?? null })),
    inhibitions: s.inhibitedBy.map((b) => ({
      ruleId: b.ruleId,
      name: ruleName.get(b.ruleId) ?? null,
      sourceFingerprint: b.sourceFingerprint,
    })),
    timeIntervals: s.mutedBy
      .map(mutedEntry)
      .flatMap((m) =>
        m.names.map((name) => ({ name, id: intervalId.get(name) ?? null, inactive: m.inactive })),
      ),
    maintenances: (s.maintenanceBy ?? []).map((id) => ({ id, title: title.get(id) ?? null })),
  }));
}

/** `mutedBy` holds interval names that muted the tick, or "inactive:<a,b>" when none of the active ones held. */
function mutedEntry(entry: string) {
  const inactive = entry.startsWith('inactive:');
  const names = (inactive ? entry.slice('inactive:'.length) : entry)
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  return { inactive, names };
}

/**
 * The group's timers now (spec Part C 2): when it next ticks, and per integration when a repeat falls due
 * (last notified tick + repeat interval, exact: 4 h stays 4 h). Null when the group is gone.
 */
async function groupTimers(db: DbOrTx, tick: TickRow) {
  const g = schema.alertGroups;
  const log = schema.notificationLog;
  const [[group], logs, [tree]] = await Promise.all([
    db
      .select({ nextFlushAt: g.nextFlushAt, lastTickAt: g.lastTickAt })
      .from(g)
      .where(and(eq(g.routeId, tick.routeId), eq(g.groupKey, tick.groupKey))),
    db
      .select({ integrationId: log.integrationId, tickAt: log.tickAt, firing: log.firing })
      .from(log)
      .where(and(eq(log.routeId, tick.routeId), eq(log.groupKey, tick.groupKey))),
    db.select({ tree: schema.routeTree.tree }).from(schema.routeTree).limit(1),
  ]);
  if (!group) return null;
  const route = tree ? compileTree(tree.tree).routes.get(tick.routeId) : undefined;
  return {
    nextTickAt: group.nextFlushAt,
    lastTickAt: group.lastTickAt,
    repeatIntervalMs: route?.repeatIntervalMs ?? null,
    nextRepeat: logs.map((l) => ({
      integrationId: l.integrationId,
      lastNotifiedAt: l.tickAt,
      nextRepeatAt:
        route && l.firing.length > 0 ? new Date(l.tickAt.getTime() + route.repeatIntervalMs) : null,
    })),
  };
}

/**
 * One tick decision: the reason per integration with what came of its message, the firing and resolved sets
 * with labels, the suppressed alerts and by what (silence, inhibition rule, time interval, maintenance window), and the group's timers.
 */
export async function getTick(db: Db, id: number) {
  const [row] = await db
    .select({ tick: tk, receiverName: rc.name })
    .from(tk)
    .leftJoin(rc, eq(rc.id, tk.receiverId))
    .where(eq(tk.id, id));
  if (!row) throw new AppError('NOT_FOUND', 'No such tick.', ['id']);
  const { tick } = row;
  const outboxIds = tick.decisions.flatMap((d) => (d.outboxId ? [d.outboxId] : []));
  const integrationIds = tick.decisions.map((d) => d.integrationId);
  const [outbox, labels, suppressed, timers, integrations] = await Promise.all([
    outboxSummaries(db, outboxIds),
    labelsOf(db, tick, outboxIds),
    suppressionSources(db, tick.suppressed),
    groupTimers(db, tick),
    integrationIds.length
      ? db.select({ id: ri.id, position: ri.position }).from(ri).where(inArray(ri.id, integrationIds))
      : [],
  ]);
  const position = new Map(integrations.map((i) => [i.id, i.position]));
  const withLabels = (fps: string[]) => fps.map((f) => ({ fingerprint: f, labels: labels.get(f) ?? null }));
  return {
    id: tick.id,
    routeId: tick.routeId,
    groupKey: tick.groupKey,
    groupLabels: tick.groupLabels,
    tickAt: tick.tickAt,
    receiver: tick.receiverId ? { id: tick.receiverId, name: row.receiverName } : null,
    decisions: withDeliveries(tick.decisions, outbox).map((d) => ({
      ...d,
      position: position.get(d.integrationId) ?? null,
    })),
    firing: withLabels(tick.firing),
    resolved: withLabels(tick.resolved),
    suppressed,
    group: timers,
  };
}
