import {
  and,
  asc,
  type DbOrTx,
  desc,
  eq,
  gt,
  inArray,
  isNotNull,
  isNull,
  lte,
  or,
  type Sql,
  schema,
} from '@sextant/db';
import type { ChangeContext } from '../context';
import { AppError } from '../errors';
import { MAINTENANCE_LIMITS } from '../limits';
import { applyPatch } from '../schemas/apply-patch';
import {
  type MAINTENANCE_STATES,
  type MaintenanceInput,
  type MaintenancePatch,
  maintenanceInput,
} from '../schemas/maintenances';
import { audit } from './audit';
import {
  canonicalTimeZone,
  nextOccurrences,
  normalizeRrule,
  type Occurrence,
  occurrencesBetween,
  type ScheduledWindow,
  seriesCount,
  seriesSpan,
  validateWindow,
} from './maintenance-schedule';

const { maintenances, maintenanceTargets, services, environments } = schema;
type Row = typeof maintenances.$inferSelect;
type Target = { serviceId: string; environmentId: string };
type State = (typeof MAINTENANCE_STATES)[number];

/** Rows of not-yet-ended windows read to sort them into active and upcoming; more are left out of a list. */
const SCAN_ROWS = 1_000;

async function getMaintenance(db: DbOrTx, id: string) {
  const [row] = await db.select().from(maintenances).where(eq(maintenances.id, id)).limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such maintenance window.');
  return row;
}

/** Targets of the given windows with their service's and environment's names, in a stable order. */
async function targetsOf(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return new Map<string, PresentedTarget[]>();
  const rows = await db
    .select({
      maintenanceId: maintenanceTargets.maintenanceId,
      serviceId: maintenanceTargets.serviceId,
      serviceName: services.name,
      serviceSlug: services.slug,
      environmentId: maintenanceTargets.environmentId,
      environmentName: environments.name,
    })
    .from(maintenanceTargets)
    .innerJoin(services, eq(services.id, maintenanceTargets.serviceId))
    .innerJoin(environments, eq(environments.id, maintenanceTargets.environmentId))
    .where(inArray(maintenanceTargets.maintenanceId, ids))
    .orderBy(asc(services.name), asc(environments.name));
  const byId = new Map<string, PresentedTarget[]>();
  for (const { maintenanceId, ...t } of rows)
    byId.set(maintenanceId, [...(byId.get(maintenanceId) ?? []), t]);
  return byId;
}
type PresentedTarget = {
  serviceId: string;
  serviceName: string;
  serviceSlug: string;
  environmentId: string;
  environmentName: string;
};

/** A window as callers and the audit log see it. */
export function presentMaintenance<T extends Target>(row: Row, targets: readonly T[]) {
  return { ...row, durationMinutes: (row.endsAt.getTime() - row.startsAt.getTime()) / 60_000, targets };
}

/** Unknown services or environments are refused at their place in the input, before anything is written. */
async function assertTargets(db: DbOrTx, targets: readonly Target[]) {
  const serviceIds = [...new Set(targets.map((t) => t.serviceId))];
  const envIds = [...new Set(targets.map((t) => t.environmentId))];
  const [known, knownEnvs] = await Promise.all([
    db.select({ id: services.id }).from(services).where(inArray(services.id, serviceIds)),
    db.select({ id: environments.id }).from(environments).where(inArray(environments.id, envIds)),
  ]);
  const s = new Set(known.map((r) => r.id));
  const e = new Set(knownEnvs.map((r) => r.id));
  targets.forEach((t, i) => {
    if (!s.has(t.serviceId)) throw new AppError('NOT_FOUND', 'No such service.', ['targets', i, 'serviceId']);
    if (!e.has(t.environmentId))
      throw new AppError('NOT_FOUND', 'No such environment.', ['targets', i, 'environmentId']);
  });
}

/** The row's columns for a checked input; seriesEndsAt is computed here so SQL can filter by it. */
function columnsFor(input: MaintenanceInput) {
  const window: ScheduledWindow = {
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    rrule: input.rrule,
    timeZone: input.timeZone,
  };
  validateWindow(window);
  const { targets: _t, ...columns } = input;
  // Stored as written canonically ("europe/berlin" → "Europe/Berlin", "rrule:freq=…" → "FREQ=…").
  return {
    ...columns,
    rrule: input.rrule ? normalizeRrule(input.rrule) : null,
    timeZone: canonicalTimeZone(input.timeZone)!,
    seriesEndsAt: seriesSpan(window).end,
  };
}

export async function createMaintenance(ctx: ChangeContext, input: MaintenanceInput) {
  const columns = columnsFor(input);
  return ctx.db.transaction(async (tx) => {
    await assertTargets(tx, input.targets);
    const [row] = await tx.insert(maintenances).values(columns).returning();
    await tx.insert(maintenanceTargets).values(input.targets.map((t) => ({ ...t, maintenanceId: row!.id })));
    const shown = presentMaintenance(row!, input.targets);
    await audit(tx, ctx, {
      action: 'maintenance.create',
      targetType: 'maintenance',
      targetId: row!.id,
      after: shown,
    });
    return shown;
  });
}

async function storedTargets(db: DbOrTx, id: string): Promise<Target[]> {
  return db
    .select({ serviceId: maintenanceTargets.serviceId, environmentId: maintenanceTargets.environmentId })
    .from(maintenanceTargets)
    .where(eq(maintenanceTargets.maintenanceId, id))
    .orderBy(asc(maintenanceTargets.serviceId), asc(maintenanceTargets.environmentId));
}

/** A patch; a cancelled window is history and does not change. */
export async function updateMaintenance(ctx: ChangeContext, id: string, patch: MaintenancePatch) {
  return ctx.db.transaction(async (tx) => {
    const before = await getMaintenance(tx, id);
    if (before.cancelledAt) throw new AppError('CONFLICT', 'This maintenance window is cancelled.');
    const beforeTargets = await storedTargets(tx, id);
    const input = applyPatch(maintenanceInput, { ...before, targets: beforeTargets }, patch, ['maintenance']);
    const columns = columnsFor(input);
    if (patch.targets) await assertTargets(tx, input.targets);
    const [after] = await tx
      .update(maintenances)
      .set({ ...columns, updatedAt: new Date() })
      .where(eq(maintenances.id, id))
      .returning();
    if (patch.targets) {
      await tx.delete(maintenanceTargets).where(eq(maintenanceTargets.maintenanceId, id));
      await tx.insert(maintenanceTargets).values(input.targets.map((t) => ({ ...t, maintenanceId: id })));
    }
    const shown = presentMaintenance(after!, input.targets);
    await audit(tx, ctx, {
      action: 'maintenance.update',
      targetType: 'maintenance',
      targetId: id,
      before: presentMaintenance(before, beforeTargets),
      after: shown,
    });
    return shown;
  });
}

/** Cancels the window (kept as history); a no-op, not audited, when it already is. */
export async function cancelMaintenance(ctx: ChangeContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const before = await getMaintenance(tx, id);
    const targets = await storedTargets(tx, id);
    if (before.cancelledAt) return presentMaintenance(before, targets);
    const [after] = await tx
      .update(maintenances)
      .set({ cancelledAt: new Date(), updatedAt: new Date() })
      .where(eq(maintenances.id, id))
      .returning();
    const shown = presentMaintenance(after!, targets);
    await audit(tx, ctx, {
      action: 'maintenance.cancel',
      targetType: 'maintenance',
      targetId: id,
      before: presentMaintenance(before, targets),
      after: shown,
    });
    return shown;
  });
}

/** One window with its targets and its next occurrences (the running one first, if any). */
export async function getMaintenanceDetail(db: DbOrTx, id: string, now = new Date()) {
  const row = await getMaintenance(db, id);
  const targets = (await targetsOf(db, [id])).get(id) ?? [];
  return {
    ...presentMaintenance(row, targets),
    nextOccurrences: nextOccurrences(row, now, MAINTENANCE_LIMITS.nextOccurrences),
  };
}

/**
 * A schedule as the form has it, before saving: refused with the same coded reasons as create, else its next
 * occurrences after `now`, how many the whole series has and when it ends. Reads and writes nothing.
 */
export function previewMaintenance(input: ScheduledWindow, now = new Date()) {
  const timeZone = canonicalTimeZone(input.timeZone);
  validateWindow(input);
  const window = { ...input, rrule: input.rrule ? normalizeRrule(input.rrule) : null, timeZone: timeZone! };
  return {
    rrule: window.rrule,
    timeZone: window.timeZone,
    nextOccurrences: nextOccurrences(window, now, MAINTENANCE_LIMITS.previewOccurrences),
    occurrences: seriesCount(window),
    seriesEndsAt: seriesSpan(window).end,
  };
}

/** The occurrence running at `now`, if any. */
function currentOccurrence(w: ScheduledWindow, now: Date): Occurrence | null {
  return occurrencesBetween(w, now, new Date(now.getTime() + 1))[0] ?? null;
}

/**
 * Windows by state at `now`: active (an occurrence is running), upcoming (not running, one still to come; soonest
 * first) or past (cancelled, or the last occurrence has ended; latest first). At most listRows of them.
 */
export async function listMaintenances(db: DbOrTx, state: State, now = new Date()) {
  const limit = MAINTENANCE_LIMITS.listRows;
  let picked: { row: Row; occurrence: Occurrence | null }[];
  if (state === 'past') {
    const rows = await db
      .select()
      .from(maintenances)
      .where(or(isNotNull(maintenances.cancelledAt), lte(maintenances.seriesEndsAt, now)))
      .orderBy(desc(maintenances.seriesEndsAt))
      .limit(limit);
    picked = rows.map((row) => ({ row, occurrence: null }));
  } else {
    const rows = await db
      .select()
      .from(maintenances)
      .where(and(isNull(maintenances.cancelledAt), gt(maintenances.seriesEndsAt, now)))
      .orderBy(asc(maintenances.startsAt))
      .limit(SCAN_ROWS);
    picked = rows
      .map((row) => {
        const running = currentOccurrence(row, now);
        return { row, running, occurrence: running ?? nextOccurrences(row, now, 1)[0] ?? null };
      })
      .filter((r) => (state === 'active' ? r.running !== null : r.running === null && r.occurrence !== null))
      .sort((a, b) => a.occurrence!.start.getTime() - b.occurrence!.start.getTime())
      .slice(0, limit);
  }
  const targets = await targetsOf(
    db,
    picked.map((p) => p.row.id),
  );
  return picked.map(({ row, occurrence }) => ({
    ...presentMaintenance(row, targets.get(row.id) ?? []),
    occurrence,
  }));
}

export interface ActiveMaintenanceTarget {
  maintenanceId: string;
  serviceId: string;
  environmentId: string;
  /** When the running occurrence ends. */
  until: Date;
}

/** Which service × environment pairs are in maintenance at nowMs (for muting alerts and excluding uptime). */
export async function activeMaintenanceTargets(sql: Sql, nowMs: number): Promise<ActiveMaintenanceTarget[]> {
  const now = new Date(nowMs);
  const rows = await sql<
    {
      id: string;
      startsAt: Date;
      endsAt: Date;
      cancelledAt: Date | null;
      rrule: string | null;
      timeZone: string;
      serviceId: string;
      environmentId: string;
    }[]
  >`
    select m.id, m.starts_at as "startsAt", m.ends_at as "endsAt", m.cancelled_at as "cancelledAt", m.rrule,
      m.time_zone as "timeZone",
      t.service_id as "serviceId", t.environment_id as "environmentId"
    from maintenances m join maintenance_targets t on t.maintenance_id = m.id
    where (m.cancelled_at is null or m.cancelled_at > ${now}) and m.starts_at <= ${now} and m.series_ends_at > ${now}
    order by m.id, t.service_id, t.environment_id`;
  const running = new Map<string, Occurrence | null>();
  const out: ActiveMaintenanceTarget[] = [];
  for (const r of rows) {
    if (!running.has(r.id)) {
      running.set(r.id, currentOccurrence(r, now));
    }
    const occ = running.get(r.id);
    if (occ)
      out.push({
        maintenanceId: r.id,
        serviceId: r.serviceId,
        environmentId: r.environmentId,
        until: occ.end,
      });
  }
  return out;
}
