import {
  asc,
  type DbOrTx,
  eq,
  generatePingToken,
  type Role,
  roleAtLeast,
  type Sql,
  schema,
  sha256,
} from '@sextant/db';
import type { MonitorStatus, PingKind } from '@sextant/db/enums';
import { CronExpressionParser } from 'cron-parser';
import type { ChangeContext } from '../context';
import { AppError } from '../errors';
import { applyPatch } from '../schemas/apply-patch';
import { type HeartbeatPatch, heartbeatSettings } from '../schemas/heartbeats';
import { audit, deleteAudited, setPausedAudited } from './audit';
import { pausedState, recordPauseChange, recordStateChanges } from './monitor-events';
import { getService } from './services';

export interface Schedule {
  periodSeconds: number | null;
  cron: string | null;
  timezone: string;
}

/** When the next ping is due after `from`: a fixed period, or the next cron occurrence in the monitor's time zone. */
export function nextDueAt(s: Schedule, from: Date): Date {
  if (s.cron)
    return CronExpressionParser.parse(s.cron, { currentDate: from, tz: s.timezone }).next().toDate();
  return new Date(from.getTime() + (s.periodSeconds ?? 60) * 1000);
}

interface HeartbeatRow {
  id: string;
  service_id: string;
  status: MonitorStatus;
  status_since: Date;
  paused: boolean;
  period_seconds: number | null;
  cron: string | null;
  timezone: string;
  last_start_at: Date | null;
}

/** Longest run we attribute to a `/start` ping; older starts are treated as abandoned. */
const MAX_RUN_MS = 24 * 3_600_000;

/**
 * Handles one ping, found by the token's SHA-256 (only the hash is stored). Returns null for an unknown token
 * (nothing is written).
 * success → UP and the next due time moves on; fail → DOWN at once; start → remembered to time the run.
 */
export async function recordPing(
  sql: Sql,
  token: string,
  kind: PingKind,
  exitCode: number | null,
  ip: string | null,
) {
  return sql.begin(async (tx) => {
    const [hb] = await tx<HeartbeatRow[]>`
      select id, service_id, status, status_since, paused, period_seconds, cron, timezone, last_start_at
      from heartbeats where token_hash = ${sha256(token)} for update`;
    if (!hb) return null;
    const now = new Date();
    const durationMs =
      kind !== 'start' && hb.last_start_at && now.getTime() - hb.last_start_at.getTime() < MAX_RUN_MS
        ? now.getTime() - hb.last_start_at.getTime()
        : null;
    await tx`insert into heartbeat_pings (heartbeat_id, at, kind, exit_code, duration_ms, ip)
             values (${hb.id}, ${now}, ${kind}, ${exitCode}, ${durationMs}, ${ip})`;
    if (kind === 'start') {
      await tx`update heartbeats set last_start_at = ${now}, updated_at = ${now} where id = ${hb.id}`;
      return { status: hb.status, durationMs: null };
    }
    const target = hb.paused ? hb.status : kind === 'fail' ? 'down' : 'up';
    const changed = target !== hb.status;
    const due = nextDueAt({ periodSeconds: hb.period_seconds, cron: hb.cron, timezone: hb.timezone }, now);
    await tx`
      update heartbeats set status = ${target}, status_since = ${changed ? now : hb.status_since},
        last_ping_at = ${now}, last_start_at = null, last_duration_ms = ${durationMs}, next_due_at = ${due}, updated_at = ${now}
      where id = ${hb.id}`;
    if (changed) {
      const cause =
        kind === 'fail'
          ? `failure reported${exitCode !== null ? ` (exit code ${exitCode})` : ''}`
          : 'ping received';
      await recordStateChanges(tx, [
        {
          heartbeatId: hb.id,
          serviceId: hb.service_id,
          at: now,
          from: hb.status,
          to: target,
          cause,
          since: hb.status_since,
        },
      ]);
    }
    return { status: target, durationMs };
  });
}

/** Late beyond grace → DOWN, with one event each; SKIP LOCKED and the status test keep it single across instances. */
export async function markLateHeartbeats(sql: Sql) {
  return sql.begin(async (tx) => {
    const late = await tx<
      { id: string; service_id: string; status: HeartbeatRow['status']; status_since: Date; at: Date }[]
    >`
      with late as (
        select id, status, status_since from heartbeats
        where not paused and status not in ('down', 'paused') and next_due_at is not null
          and next_due_at + make_interval(secs => grace_seconds) < now()
        for update skip locked
      )
      update heartbeats h set status = 'down', status_since = now(), updated_at = now()
      from late where h.id = late.id
      returning h.id, h.service_id, late.status, late.status_since, h.status_since as at`;
    await recordStateChanges(
      tx,
      late.map((r) => ({
        heartbeatId: r.id,
        serviceId: r.service_id,
        at: r.at,
        from: r.status,
        to: 'down' as const,
        cause: 'no ping within period + grace',
        since: r.status_since,
      })),
    );
    return late.length;
  });
}

/** Retention: pings older than `days`. */
export function pruneHeartbeatPings(sql: Sql, days: number) {
  return sql`delete from heartbeat_pings where at < now() - make_interval(days => ${days})`;
}

// --- administration ---

export interface HeartbeatInput extends Schedule {
  name: string;
  environmentId: string | null;
  graceSeconds: number;
}

type HeartbeatRecord = typeof schema.heartbeats.$inferSelect;

/** A heartbeat as callers and the audit log see it: the token's hash stays in the database. */
function shown({ tokenHash: _hash, ...row }: HeartbeatRecord) {
  return row;
}

async function getHeartbeat(db: DbOrTx, id: string) {
  const [row] = await db.select().from(schema.heartbeats).where(eq(schema.heartbeats.id, id)).limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such heartbeat monitor.');
  return row;
}

/** The answer carries the ping token this once; afterwards only its prefix is known. */
export async function createHeartbeat(ctx: ChangeContext, serviceIdOrSlug: string, input: HeartbeatInput) {
  return ctx.db.transaction(async (tx) => {
    const service = await getService(tx, serviceIdOrSlug);
    const { token, tokenHash, tokenPrefix } = generatePingToken();
    const [row] = await tx
      .insert(schema.heartbeats)
      .values({
        ...input,
        serviceId: service.id,
        tokenHash,
        tokenPrefix,
        nextDueAt: nextDueAt(input, new Date()),
      })
      .returning();
    await audit(tx, ctx, {
      action: 'heartbeat.create',
      targetType: 'heartbeat',
      targetId: row!.id,
      after: shown(row!),
    });
    return { ...shown(row!), token };
  });
}

/** A new ping token, returned this once; the old URL stops working at commit. */
export async function rotateHeartbeatToken(ctx: ChangeContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const before = await getHeartbeat(tx, id);
    const { token, tokenHash, tokenPrefix } = generatePingToken();
    await tx
      .update(schema.heartbeats)
      .set({ tokenHash, tokenPrefix, updatedAt: new Date() })
      .where(eq(schema.heartbeats.id, id));
    await audit(tx, ctx, {
      action: 'heartbeat.rotate_token',
      targetType: 'heartbeat',
      targetId: id,
      before: { name: before.name, tokenPrefix: before.tokenPrefix },
      after: { name: before.name, tokenPrefix },
    });
    return { id, name: before.name, tokenPrefix, token };
  });
}

export async function updateHeartbeat(ctx: ChangeContext, id: string, patch: HeartbeatPatch) {
  return ctx.db.transaction(async (tx) => {
    const before = await getHeartbeat(tx, id);
    const input = applyPatch(heartbeatSettings, before, patch, ['heartbeat']);
    const [after] = await tx
      .update(schema.heartbeats)
      .set({ ...input, nextDueAt: nextDueAt(input, before.lastPingAt ?? new Date()), updatedAt: new Date() })
      .where(eq(schema.heartbeats.id, id))
      .returning();
    await audit(tx, ctx, {
      action: 'heartbeat.update',
      targetType: 'heartbeat',
      targetId: id,
      before: shown(before),
      after: shown(after!),
    });
    return shown(after!);
  });
}

const auditedHeartbeats = { type: 'heartbeat', get: getHeartbeat, show: shown };

export function setHeartbeatPaused(ctx: ChangeContext, id: string, paused: boolean) {
  return setPausedAudited(ctx, auditedHeartbeats, id, paused, async (tx, before, now) => {
    const [after] = await tx
      .update(schema.heartbeats)
      .set({ ...pausedState(paused, now), nextDueAt: paused ? null : nextDueAt(before, now) })
      .where(eq(schema.heartbeats.id, id))
      .returning();
    await recordPauseChange(tx, { ...before, heartbeatId: id }, paused, now);
    return after!;
  });
}

export function deleteHeartbeat(ctx: ChangeContext, id: string) {
  return deleteAudited(ctx, auditedHeartbeats, id, (tx) =>
    tx.delete(schema.heartbeats).where(eq(schema.heartbeats.id, id)),
  );
}

/** A service's heartbeats as `role` may see them: the token's prefix tells maintainers which URL a job uses. */
export async function listHeartbeats(db: DbOrTx, serviceId: string, role: Role) {
  const rows = await db
    .select()
    .from(schema.heartbeats)
    .where(eq(schema.heartbeats.serviceId, serviceId))
    .orderBy(asc(schema.heartbeats.name));
  const prefixShown = roleAtLeast(role, 'maintainer');
  return rows.map((row) => ({ ...shown(row), tokenPrefix: prefixShown ? row.tokenPrefix : null }));
}
