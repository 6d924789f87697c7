import { asc, type DbOrTx, eq, followingSlot, type Sql, schema } from '@sextant/db';
import type { HttpConfig, TcpConfig } from '@sextant/db/check-config';
import type { MonitorStatus } from '@sextant/db/enums';
import type { ChangeContext, Context } from '../context';
import { AppError } from '../errors';
import { applyPatch } from '../schemas/apply-patch';
import { type CheckInput, type CheckPatch, checkInput } from '../schemas/checks';
import { sentFields } from '../schemas/patch';
import { maskConfig, restoreSecrets, withChangedSecrets } from '../schemas/secrets';
import type { Range } from '../schemas/services';
import { createDefaultCheckRule } from './alerting/rules';
import { audit, deleteAudited, setPausedAudited } from './audit';
import { insertCheckResult, type RunResult } from './check-results';
import { applyRun } from './check-state';
import { pausedState, recordPauseChange, recordStateChanges } from './monitor-events';
import { getService } from './services';
import { assertTargetAllowed, urlTarget } from './settings';
import { assertEnvironment, dueRows, firstSlot, leaseTo, newScheduledRow, slotAfterEdit } from './slots';

const { checks } = schema;
type Ctx = ChangeContext & Pick<Context, 'sql' | 'runtime'>;
type Row = typeof checks.$inferSelect;

async function getCheck(db: DbOrTx, id: string) {
  const [row] = await db.select().from(checks).where(eq(checks.id, id)).limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such check.');
  return row;
}

/** A check as every caller sees it: secrets masked (`masked` lists where), lease bookkeeping left out. */
export function presentCheck(row: Row) {
  const { leaseOwner: _o, leaseUntil: _u, ...rest } = row;
  return { ...rest, ...maskConfig(row.config) };
}

/** The environment must exist, masks keep the stored secrets, and a literal target the outbound policy refuses is refused now. */
async function prepare(ctx: Ctx, tx: DbOrTx, input: CheckInput, stored: Row | null): Promise<CheckInput> {
  await assertEnvironment(tx, input.environmentId);
  const checked = { ...ctx, db: tx as Context['db'] };
  if (input.kind === 'tcp') {
    await assertTargetAllowed(checked, input.config.host, input.config.port);
    return input;
  }
  const config = restoreSecrets(input.config, stored?.kind === 'http' ? stored.config : null);
  const target = urlTarget(config.url);
  if (target) await assertTargetAllowed(checked, target.host, target.port);
  return { ...input, config };
}

export async function createCheck(ctx: Ctx, serviceIdOrSlug: string, input: CheckInput) {
  return ctx.db.transaction(async (tx) => {
    const service = await getService(tx, serviceIdOrSlug);
    const values = await prepare(ctx, tx, input, null);
    const [row] = await tx.insert(checks).values(newScheduledRow(service.id, values)).returning();
    const shown = presentCheck(row!);
    await audit(tx, ctx, { action: 'check.create', targetType: 'check', targetId: row!.id, after: shown });
    await createDefaultCheckRule(tx, ctx, row!);
    return shown;
  });
}

export async function updateCheck(ctx: Ctx, id: string, patch: CheckPatch) {
  return ctx.db.transaction(async (tx) => {
    const before = await getCheck(tx, id);
    // Config fields merge into the stored config while the kind stays; another kind needs its whole config.
    const config =
      (patch.kind ?? before.kind) === before.kind
        ? { ...before.config, ...sentFields(patch.config ?? {}) }
        : patch.config;
    const input = applyPatch(checkInput, before, { ...patch, config }, ['check']);
    const values = await prepare(ctx, tx, input, before);
    const [after] = await tx
      .update(checks)
      .set({ ...values, ...slotAfterEdit(id, before, input), updatedAt: new Date() })
      .where(eq(checks.id, id))
      .returning();
    const shown = presentCheck(after!);
    await audit(tx, ctx, {
      action: 'check.update',
      targetType: 'check',
      targetId: id,
      before: presentCheck(before),
      after: withChangedSecrets(shown, before.config, after!.config),
    });
    return shown;
  });
}

const auditedChecks = { type: 'check', get: getCheck, show: presentCheck };

/** Pausing records a state change, so paused time is excluded from uptime rather than counted as up or down. */
export function setCheckPaused(ctx: Ctx, id: string, paused: boolean) {
  return setPausedAudited(ctx, auditedChecks, id, paused, async (tx, before, now) => {
    const [after] = await tx
      .update(checks)
      .set({
        ...pausedState(paused, now),
        consecutiveFailures: 0,
        consecutiveSuccesses: 0,
        ...(paused ? {} : firstSlot(id, before.intervalSeconds)),
      })
      .where(eq(checks.id, id))
      .returning();
    await recordPauseChange(tx, { ...before, checkId: id }, paused, now);
    return after!;
  });
}

export function deleteCheck(ctx: Ctx, id: string) {
  return deleteAudited(ctx, auditedChecks, id, (tx) => tx.delete(checks).where(eq(checks.id, id)));
}

export async function listChecks(db: DbOrTx, serviceId: string) {
  const rows = await db
    .select()
    .from(checks)
    .where(eq(checks.serviceId, serviceId))
    .orderBy(asc(checks.name));
  return rows.map(presentCheck);
}

const RANGE_MS: Record<Range, number> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

/**
 * p50/p95 latency series for a service's checks. The last hour reads raw results per minute;
 * longer ranges read the hourly rollups only, so cost does not grow with the number of raw rows.
 */
export async function latencySeries(ctx: Pick<Context, 'sql'>, serviceId: string, range: Range) {
  const from = new Date(Date.now() - RANGE_MS[range]);
  if (range === '1h') {
    const rows = await ctx.sql<
      { t: Date; p50: number | null; p95: number | null; n: number; failures: number }[]
    >`
      select date_trunc('minute', r.started_at) as t,
        percentile_cont(0.5) within group (order by r.latency_ms) filter (where r.ok) as p50,
        percentile_cont(0.95) within group (order by r.latency_ms) filter (where r.ok) as p95,
        count(*)::int as n, (count(*) filter (where not r.ok))::int as failures
      from check_results r join checks c on c.id = r.check_id
      where c.service_id = ${serviceId} and r.started_at >= ${from}
      group by 1 order by 1`;
    return { range, source: 'raw' as const, points: rows };
  }
  const rows = await ctx.sql<
    { t: Date; p50: number | null; p95: number | null; n: number; failures: number }[]
  >`
    select r.hour as t, avg(r.latency_p50) as p50, max(r.latency_p95) as p95,
      sum(r.count)::int as n, sum(r.failures)::int as failures
    from check_rollups_hourly r join checks c on c.id = r.check_id
    where c.service_id = ${serviceId} and r.hour >= ${from}
    group by 1 order by 1`;
  return { range, source: 'rollup' as const, points: rows };
}

// --- runs: the scheduler's claims and each run's state transition ---

/** A claimed check; the row's kind says which config it holds (the API validated both together). */
export type ClaimedCheck = {
  id: string;
  serviceId: string;
  timeoutMs: number;
  intervalSeconds: number;
  phaseOffsetMs: number;
  nextRunAt: Date;
} & ({ kind: 'http'; config: HttpConfig } | { kind: 'tcp'; config: TcpConfig });

/** Leases up to `limit` due checks to `instance`. */
export function claimDueChecks(sql: Sql, instance: string, limit: number, leaseMarginMs: number) {
  return sql<ClaimedCheck[]>`
    with due as (${dueRows(sql, 'checks', limit)})
    update checks c set ${leaseTo(sql, instance, leaseMarginMs)}
    from due where c.id = due.id
    returning c.id, c.service_id as "serviceId", c.kind, c.config, c.timeout_ms as "timeoutMs",
      c.interval_seconds as "intervalSeconds", c.phase_offset_ms as "phaseOffsetMs", c.next_run_at as "nextRunAt"`;
}

interface LockedRow {
  status: MonitorStatus;
  status_since: Date;
  consecutive_failures: number;
  consecutive_successes: number;
  failure_threshold: number;
  success_threshold: number;
  latency_threshold_ms: number | null;
  paused: boolean;
  interval_seconds: number;
  phase_offset_ms: number;
}

/** Stores one run and moves the check's state and schedule, in one transaction. */
export async function recordRun(
  sql: Sql,
  check: ClaimedCheck,
  result: RunResult,
  startedAt: Date,
  instance: string,
): Promise<{ changed: boolean; status: MonitorStatus } | null> {
  return sql.begin(async (tx) => {
    const [row] = await tx<LockedRow[]>`
      select status, status_since, consecutive_failures, consecutive_successes, failure_threshold,
             success_threshold, latency_threshold_ms, paused, interval_seconds, phase_offset_ms
      from checks where id = ${check.id} for update`;
    if (!row) return null; // deleted while running
    const degraded =
      result.ok && row.latency_threshold_ms !== null && (result.latencyMs ?? 0) > row.latency_threshold_ms;
    const fresh = await insertCheckResult(
      tx,
      { checkId: check.id, scheduledAt: check.nextRunAt, startedAt, degraded, instance },
      result,
    );
    const now = Date.now();
    const next = new Date(
      followingSlot(check.nextRunAt.getTime(), now, row.interval_seconds, row.phase_offset_ms),
    );
    if (!fresh || row.paused) {
      await tx`update checks set next_run_at = ${next}, lease_owner = null, lease_until = null where id = ${check.id}`;
      return { changed: false, status: row.status };
    }
    const t = applyRun(
      {
        status: row.status,
        consecutiveFailures: row.consecutive_failures,
        consecutiveSuccesses: row.consecutive_successes,
      },
      { ok: result.ok, latencyMs: result.latencyMs, message: result.message },
      {
        failureThreshold: row.failure_threshold,
        successThreshold: row.success_threshold,
        latencyThresholdMs: row.latency_threshold_ms,
      },
    );
    await tx`
      update checks set
        status = ${t.status},
        status_since = ${t.changed ? new Date(now) : row.status_since},
        consecutive_failures = ${t.consecutiveFailures},
        consecutive_successes = ${t.consecutiveSuccesses},
        last_run_at = ${startedAt},
        last_latency_ms = ${result.latencyMs},
        last_error = ${result.ok ? null : result.message},
        tls_expires_at = coalesce(${result.tlsExpiresAt}, tls_expires_at),
        next_run_at = ${next},
        lease_owner = null,
        lease_until = null
      where id = ${check.id}`;
    if (t.changed) {
      await recordStateChanges(tx, [
        {
          checkId: check.id,
          serviceId: check.serviceId,
          at: new Date(now),
          from: row.status,
          to: t.status,
          cause: t.cause,
          since: row.status_since,
        },
      ]);
    }
    return { changed: t.changed, status: t.status };
  });
}
