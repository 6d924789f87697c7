import {
  and,
  asc,
  type DbOrTx,
  eq,
  ilike,
  or,
  type Role,
  roleAtLeast,
  SERVICE_FIELD_ROLES,
  schema,
  sql,
} from '@sextant/db';
import type { MonitorStatus, ServiceTier } from '@sextant/db/enums';
import type { z } from 'zod';
import type { ChangeContext, Context } from '../context';
import { AppError } from '../errors';
import { serviceInput } from '../schemas/services';
import { audit } from './audit';
import { listChecks } from './checks';
import { listHeartbeats } from './heartbeats';
import { dailyBars } from './uptime';

const { services } = schema;
type Ctx = ChangeContext & Pick<Context, 'sql'>;
type ServiceInput = z.infer<typeof serviceInput>;

export function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'service'
  );
}

/** The shape Postgres' uuid type accepts; anything else is looked up as a name or slug, never cast. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getService(db: DbOrTx, idOrSlug: string) {
  const isUuid = UUID.test(idOrSlug);
  const [row] = await db
    .select()
    .from(services)
    .where(isUuid ? eq(services.id, idOrSlug) : eq(services.slug, idOrSlug))
    .limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such service.');
  return row;
}

const FIELD_DENIED: Record<keyof typeof SERVICE_FIELD_ROLES, string> = {
  isPublic: 'Only an admin can put a service on the public status page or take it off.',
};

/** Field-level write rules: a guarded field may be sent unchanged by anyone, changed only by its role. */
function assertFieldRules(
  ctx: Ctx,
  current: Pick<ServiceInput, keyof typeof SERVICE_FIELD_ROLES>,
  next: Partial<ServiceInput>,
) {
  for (const [field, needs] of Object.entries(SERVICE_FIELD_ROLES) as [
    keyof typeof SERVICE_FIELD_ROLES,
    Role,
  ][]) {
    if (next[field] === undefined || next[field] === current[field]) continue;
    if (!ctx.identity || !roleAtLeast(ctx.identity.role, needs))
      throw new AppError('FORBIDDEN', FIELD_DENIED[field]);
  }
}

/** What a new service gets for each guarded field when the caller says nothing. */
const FIELD_DEFAULTS = serviceInput.pick({ isPublic: true }).parse({});

export async function createService(ctx: Ctx, input: ServiceInput) {
  assertFieldRules(ctx, FIELD_DEFAULTS, input);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(services)
      .values({ ...input, slug: input.slug ?? slugify(input.name) })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError('CONFLICT', 'A service with that name or slug already exists.');
    await audit(tx, ctx, { action: 'service.create', targetType: 'service', targetId: row.id, after: row });
    return row;
  });
}

export async function updateService(ctx: Ctx, id: string, input: Partial<ServiceInput>) {
  return ctx.db.transaction(async (tx) => {
    const before = await getService(tx, id);
    assertFieldRules(ctx, before, input);
    const [after] = await tx
      .update(services)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(services.id, before.id))
      .returning()
      .catch((err: { code?: string }) => {
        if (err.code === '23505')
          throw new AppError('CONFLICT', 'A service with that name or slug already exists.');
        throw err;
      });
    await audit(tx, ctx, {
      action: 'service.update',
      targetType: 'service',
      targetId: before.id,
      before,
      after,
    });
    return after!;
  });
}

export async function deleteService(ctx: Ctx, id: string) {
  return ctx.db.transaction(async (tx) => {
    const before = await getService(tx, id);
    await tx.delete(services).where(eq(services.id, before.id));
    await audit(tx, ctx, { action: 'service.delete', targetType: 'service', targetId: before.id, before });
    return { id: before.id };
  });
}

/** One page of services with live status, 90 daily uptime bars and p95 latency over 24 h (from rollups). */
export async function listServices(
  ctx: Pick<Context, 'db' | 'sql'>,
  input: { search?: string; tier?: ServiceTier; page: number; pageSize: number },
) {
  const where = and(
    input.search
      ? or(ilike(services.name, `%${input.search}%`), ilike(services.slug, `%${input.search}%`))
      : undefined,
    input.tier ? eq(services.tier, input.tier) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select()
      .from(services)
      .where(where)
      .orderBy(asc(services.name))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    ctx.db.select({ n: sql<number>`count(*)::int` }).from(services).where(where),
  ]);
  const ids = rows.map((r) => r.id);
  const [states, latency, bars] = await Promise.all([
    serviceStates(ctx.sql, ids),
    ids.length
      ? ctx.sql<{ service_id: string; p95: number | null }[]>`
          select c.service_id, max(r.latency_p95) as p95 from check_rollups_hourly r join checks c on c.id = r.check_id
          where c.service_id = any(${ids}::uuid[]) and r.hour >= now() - interval '24 hours'
          group by c.service_id`
      : [],
    dailyBars(ctx.sql, ids),
  ]);
  const p95 = new Map(latency.map((l) => [l.service_id, l.p95]));
  return {
    total: total?.n ?? 0,
    page: input.page,
    pageSize: input.pageSize,
    items: rows.map((r) => ({
      ...r,
      status: states.get(r.id) ?? { status: 'unknown' as const, monitors: 0, down: 0 },
      p95LatencyMs: p95.get(r.id) ?? null,
      bars: bars.get(r.id) ?? [],
    })),
  };
}

/** Worst current state across a service's checks and heartbeats (paused ones ignored). */
/**
 * Each service's worst monitor state. `environmentIds` keeps checks in those environments (heartbeats without one
 * count everywhere); `knownOnly` leaves out monitors still `unknown`, so a new check does not hide the others.
 */
export async function serviceStates(
  sqlc: Context['sql'],
  ids: string[],
  opts: { environmentIds?: string[]; knownOnly?: boolean } = {},
) {
  if (ids.length === 0)
    return new Map<string, { status: Exclude<MonitorStatus, 'paused'>; monitors: number; down: number }>();
  const envs = opts.environmentIds;
  const known = opts.knownOnly ? sqlc`and status <> 'unknown'` : sqlc``;
  const rows = await sqlc<
    { service_id: string; status: Exclude<MonitorStatus, 'paused'>; monitors: number; down: number }[]
  >`
    with m as (
      select service_id, status from checks where service_id = any(${ids}::uuid[]) and not paused ${known}
        ${envs ? sqlc`and environment_id = any(${envs}::uuid[])` : sqlc``}
      union all
      select service_id, status from heartbeats where service_id = any(${ids}::uuid[]) and not paused ${known}
        ${envs ? sqlc`and (environment_id is null or environment_id = any(${envs}::uuid[]))` : sqlc``}
    )
    select service_id,
           (array_agg(status order by case status when 'down' then 4 when 'degraded' then 3 when 'unknown' then 2 else 1 end desc))[1] as status,
           count(*)::int as monitors, (count(*) filter (where status = 'down'))::int as down
    from m group by service_id`;
  return new Map(rows.map((r) => [r.service_id, r]));
}

export async function serviceDetail(ctx: Pick<Context, 'db' | 'sql'>, idOrSlug: string, role: Role) {
  const service = await getService(ctx.db, idOrSlug);
  const [serviceChecks, serviceHeartbeats, events, states, bars] = await Promise.all([
    listChecks(ctx.db, service.id),
    listHeartbeats(ctx.db, service.id, role),
    ctx.sql<
      {
        id: number;
        at: Date;
        from_status: string;
        to_status: string;
        cause: string | null;
        check_id: string | null;
        heartbeat_id: string | null;
        previous_duration_ms: number | null;
      }[]
    >`
      select id, at, from_status, to_status, cause, check_id, heartbeat_id, previous_duration_ms from monitor_events
      where service_id = ${service.id} order by at desc limit 50`,
    serviceStates(ctx.sql, [service.id]),
    dailyBars(ctx.sql, [service.id]),
  ]);
  return {
    service,
    status: states.get(service.id) ?? { status: 'unknown' as const, monitors: 0, down: 0 },
    // The same presenters as every other answer: secrets masked, the token's hash never leaves the database.
    checks: serviceChecks,
    heartbeats: serviceHeartbeats,
    events: events.map((e) => ({
      id: e.id,
      at: e.at,
      from: e.from_status,
      to: e.to_status,
      cause: e.cause,
      checkId: e.check_id,
      heartbeatId: e.heartbeat_id,
      previousDurationMs: e.previous_duration_ms,
    })),
    bars: bars.get(service.id) ?? [],
  };
}
