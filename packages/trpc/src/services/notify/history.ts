/**
 * The Notifications page's read side: every tick decision, every outbox row with its attempts, and where one
 * alert's notifications went (one tick's detail: tick-detail.ts). Reads only: flush.ts writes the ticks and log,
 * outbox.ts the outbox and attempts.
 */
import { and, type Db, type DbOrTx, desc, eq, gte, inArray, lte, schema, sql } from '@sextant/db';
import type { SQL } from 'drizzle-orm';
import { AppError } from '../../errors';
import {
  type DeliveryListInput,
  NOTIFY_HISTORY_LIMITS,
  type TickListInput,
} from '../../schemas/notifications';

export const tk = schema.notificationTicks;
export const o = schema.notificationOutbox;
const at = schema.notificationAttempts;
export const rc = schema.receivers;
export const ri = schema.receiverIntegrations;

/** The window a list reads: `to` defaults to now, `from` to `defaultSpanMs` before `to`. */
function windowOf(input: { from?: Date; to?: Date }, now: Date) {
  const to = input.to ?? now;
  return { from: input.from ?? new Date(to.getTime() - NOTIFY_HISTORY_LIMITS.defaultSpanMs), to };
}

const notifiedSql = sql`exists (select 1 from jsonb_array_elements(${tk.decisions}) d where (d->>'notify')::boolean)`;
const DECISION_FILTERS: Record<NonNullable<TickListInput['decision']>, SQL> = {
  notified: notifiedSql,
  not_notified: sql`not ${notifiedSql}`,
  suppressed: sql`jsonb_array_length(${tk.suppressed}) > 0`,
};

const summaryFields = {
  id: o.id,
  state: o.state,
  attempts: o.attempts,
  lastStatus: o.lastStatus,
  lastError: o.lastError,
  nextAttemptAt: o.nextAttemptAt,
  deliveredAt: o.deliveredAt,
  deadAt: o.deadAt,
};
const selectSummaries = (db: DbOrTx, ids: string[]) =>
  db.select(summaryFields).from(o).where(inArray(o.id, ids));
type DeliverySummary = Awaited<ReturnType<typeof selectSummaries>>[number];

/** The delivery state of each outbox row a page's decisions point at, so a decision shows what came of it. */
export async function outboxSummaries(db: DbOrTx, ids: string[]): Promise<Map<string, DeliverySummary>> {
  if (ids.length === 0) return new Map();
  return new Map((await selectSummaries(db, ids)).map((r) => [r.id, r]));
}

export type TickRow = typeof tk.$inferSelect;

/** A tick's decisions with the delivery each one enqueued, if any. */
export function withDeliveries(decisions: TickRow['decisions'], outbox: Map<string, DeliverySummary>) {
  return decisions.map((d) => ({ ...d, delivery: d.outboxId ? (outbox.get(d.outboxId) ?? null) : null }));
}

const tickFields = {
  id: tk.id,
  routeId: tk.routeId,
  groupKey: tk.groupKey,
  groupLabels: tk.groupLabels,
  tickAt: tk.tickAt,
  receiverId: tk.receiverId,
  receiverName: rc.name,
  firingCount: sql<number>`jsonb_array_length(${tk.firing})`.mapWith(Number),
  resolvedCount: sql<number>`jsonb_array_length(${tk.resolved})`.mapWith(Number),
  suppressedCount: sql<number>`jsonb_array_length(${tk.suppressed})`.mapWith(Number),
  decisions: tk.decisions,
};

/** Every tick decision, newest first, keyset-paginated on (tick time, id) inside a bounded window. */
export async function listTicks(db: Db, input: TickListInput, now: Date) {
  const { from, to } = windowOf(input, now);
  const c = input.cursor;
  const rows = await db
    .select(tickFields)
    .from(tk)
    .leftJoin(rc, eq(rc.id, tk.receiverId))
    .where(
      and(
        gte(tk.tickAt, from),
        lte(tk.tickAt, to),
        input.routeId ? eq(tk.routeId, input.routeId) : undefined,
        input.groupKey ? eq(tk.groupKey, input.groupKey) : undefined,
        input.receiverId ? eq(tk.receiverId, input.receiverId) : undefined,
        input.fingerprint ? sql`${tk.fingerprints} @> array[${input.fingerprint}]::text[]` : undefined,
        input.decision ? DECISION_FILTERS[input.decision] : undefined,
        c ? sql`(${tk.tickAt}, ${tk.id}) < (${c.at.toISOString()}::timestamptz, ${c.id})` : undefined,
      ),
    )
    .orderBy(desc(tk.tickAt), desc(tk.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const outbox = await outboxSummaries(
    db,
    page.flatMap((r) => r.decisions.flatMap((d) => (d.outboxId ? [d.outboxId] : []))),
  );
  const last = page.at(-1);
  return {
    items: page.map(({ receiverId, receiverName, decisions, ...r }) => ({
      ...r,
      receiver: receiverId ? { id: receiverId, name: receiverName } : null,
      decisions: withDeliveries(decisions, outbox),
    })),
    nextCursor: rows.length > input.limit && last ? { at: last.tickAt, id: last.id } : null,
  };
}

const deliveryFields = {
  id: o.id,
  state: o.state,
  attempts: o.attempts,
  lastStatus: o.lastStatus,
  lastError: o.lastError,
  nextAttemptAt: o.nextAttemptAt,
  leaseUntil: o.leaseUntil,
  createdAt: o.createdAt,
  deliveredAt: o.deliveredAt,
  deadAt: o.deadAt,
  tickAt: o.tickAt,
  sequence: o.sequence,
  routeId: o.routeId,
  groupKey: o.groupKey,
  endpoint: o.endpoint,
  groupLabels: sql<Record<string, string>>`${o.payload}->'groupLabels'`,
  status: sql<'firing' | 'resolved'>`${o.payload}->>'status'`,
  reason: sql<string>`${o.payload}->>'notification_reason'`,
  alertCount: sql<number>`jsonb_array_length(${o.payload}->'alerts')`.mapWith(Number),
  receiverId: o.receiverId,
  receiverName: rc.name,
  integrationId: o.integrationId,
  integrationKind: ri.kind,
  integrationPosition: ri.position,
};

const selectDeliveries = (db: DbOrTx) =>
  db
    .select(deliveryFields)
    .from(o)
    .innerJoin(rc, eq(rc.id, o.receiverId))
    .innerJoin(ri, eq(ri.id, o.integrationId));
type DeliveryRow = Awaited<ReturnType<typeof selectDeliveries>>[number];

/** A row as the page shows it: the receiver and integration it went to, and whether a worker holds it now. */
function presentDelivery(
  {
    receiverId,
    receiverName,
    integrationId,
    integrationKind,
    integrationPosition,
    leaseUntil,
    ...r
  }: DeliveryRow,
  now: Date,
) {
  return {
    ...r,
    leased: r.state === 'pending' && leaseUntil !== null && leaseUntil > now,
    receiver: { id: receiverId, name: receiverName },
    integration: { id: integrationId, kind: integrationKind, position: integrationPosition },
  };
}

/** Outbox rows newest first (enqueue time, then id) inside a bounded window; `state: 'dead'` is the dead letters. */
export async function listDeliveries(db: Db, input: DeliveryListInput, now: Date) {
  const { from, to } = windowOf(input, now);
  const c = input.cursor;
  const rows = await selectDeliveries(db)
    .where(
      and(
        gte(o.createdAt, from),
        lte(o.createdAt, to),
        input.state ? eq(o.state, input.state) : undefined,
        input.receiverId ? eq(o.receiverId, input.receiverId) : undefined,
        input.integrationId ? eq(o.integrationId, input.integrationId) : undefined,
        input.routeId ? eq(o.routeId, input.routeId) : undefined,
        input.groupKey ? eq(o.groupKey, input.groupKey) : undefined,
        c ? sql`(${o.createdAt}, ${o.id}) < (${c.at.toISOString()}::timestamptz, ${c.id}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(o.createdAt), desc(o.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => presentDelivery(r, now)),
    nextCursor: rows.length > input.limit && last ? { at: last.createdAt, id: last.id } : null,
  };
}

/**
 * One outbox row with every attempt (time, duration, outcome, remote status, Retry-After: never a remote body),
 * the alerts its message carried, and the tick that decided it.
 */
export async function getDelivery(db: Db, id: string, now: Date) {
  const [row] = await selectDeliveries(db).where(eq(o.id, id));
  if (!row) throw new AppError('NOT_FOUND', 'No such delivery.', ['id']);
  const [[message], attempts, [tick]] = await Promise.all([
    db
      .select({
        alerts: sql<
          { fingerprint: string; status: string; labels: Record<string, string> }[]
        >`coalesce((select jsonb_agg(jsonb_build_object('fingerprint', a->'fingerprint', 'status', a->'status', 'labels', a->'labels')) from jsonb_array_elements(${o.payload}->'alerts') a), '[]'::jsonb)`,
        truncatedAlerts: sql<number>`coalesce((${o.payload}->>'truncatedAlerts')::int, 0)`.mapWith(Number),
      })
      .from(o)
      .where(eq(o.id, id)),
    db
      .select({
        attempt: at.attempt,
        at: at.at,
        durationMs: at.durationMs,
        outcome: at.outcome,
        status: at.status,
        error: at.error,
        retryAfterMs: at.retryAfterMs,
        instance: at.instance,
      })
      .from(at)
      .where(eq(at.outboxId, id))
      .orderBy(at.attempt, at.id),
    db
      .select({ id: tk.id })
      .from(tk)
      .where(
        and(
          eq(tk.routeId, row.routeId),
          eq(tk.groupKey, row.groupKey),
          eq(tk.tickAt, row.tickAt),
          sql`${tk.decisions} @> ${JSON.stringify([{ outboxId: id }])}::jsonb`,
        ),
      )
      .limit(1),
  ]);
  return {
    ...presentDelivery(row, now),
    alerts: message?.alerts ?? [],
    truncatedAlerts: message?.truncatedAlerts ?? 0,
    attempts,
    tickId: tick?.id ?? null,
  };
}

/**
 * Where one alert's notifications went: the newest ticks that looked at it (how it stood there: firing, resolved
 * or suppressed), each integration's decision and what came of the message.
 */
export async function alertNotifications(db: Db, fingerprint: string) {
  const rows = await db
    .select({
      ...tickFields,
      status: sql<
        'firing' | 'resolved' | 'suppressed'
      >`case when ${tk.firing} ? ${fingerprint} then 'firing' when ${tk.resolved} ? ${fingerprint} then 'resolved' else 'suppressed' end`,
    })
    .from(tk)
    .leftJoin(rc, eq(rc.id, tk.receiverId))
    .where(sql`${tk.fingerprints} @> array[${fingerprint}]::text[]`)
    .orderBy(desc(tk.tickAt), desc(tk.id))
    .limit(NOTIFY_HISTORY_LIMITS.forAlert);
  const outbox = await outboxSummaries(
    db,
    rows.flatMap((r) => r.decisions.flatMap((d) => (d.outboxId ? [d.outboxId] : []))),
  );
  return rows.map(({ receiverId, receiverName, decisions, ...r }) => ({
    ...r,
    receiver: receiverId ? { id: receiverId, name: receiverName } : null,
    decisions: withDeliveries(decisions, outbox),
  }));
}
