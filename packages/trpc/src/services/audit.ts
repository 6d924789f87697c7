import {
  type AuditEntry,
  and,
  type Db,
  type DbOrTx,
  desc,
  eq,
  gte,
  lt,
  lte,
  or,
  type Queries,
  schema,
  writeAudit,
} from '@sextant/db';
import { actorOf, type ChangeContext, type Context } from '../context';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Records a change made by the caller; pass the transaction that made it. */
export function audit(
  tx: DbOrTx,
  ctx: Pick<Context, 'identity' | 'requestId' | 'ip'>,
  entry: Omit<AuditEntry, 'actor'>,
) {
  return writeAudit(tx, { ...entry, actor: actorOf(ctx.identity), requestId: ctx.requestId, ip: ctx.ip });
}

/** How an owning service reads one row for an audited change, and shows it to callers and the log. */
export interface AuditedTable<Row, Shown> {
  /** The audit log's target type, and the prefix of its actions (`check` → `check.delete`). */
  type: string;
  get(db: DbOrTx, id: string): Promise<Row>;
  show(row: Row): Shown;
}

/** Deletes one row through the owner's `remove` and audits it with the row as it was, in one transaction. */
export function deleteAudited<Row, Shown>(
  ctx: ChangeContext,
  table: AuditedTable<Row, Shown>,
  id: string,
  remove: (tx: Tx) => Promise<unknown>,
) {
  return ctx.db.transaction(async (tx) => {
    const before = await table.get(tx, id);
    await remove(tx);
    const { type } = table;
    await audit(tx, ctx, {
      action: `${type}.delete`,
      targetType: type,
      targetId: id,
      before: table.show(before),
    });
    return { id };
  });
}

/** Pauses or resumes one row through the owner's `write`, audited as `<type>.pause` or `<type>.resume`; a no-op when it already is. */
export function setPausedAudited<Row extends { paused: boolean }, Shown>(
  ctx: ChangeContext,
  table: AuditedTable<Row, Shown>,
  id: string,
  paused: boolean,
  write: (tx: Tx, before: Row, now: Date) => Promise<Row>,
) {
  return ctx.db.transaction(async (tx) => {
    const before = await table.get(tx, id);
    if (before.paused === paused) return table.show(before);
    const after = await write(tx, before, new Date());
    const { type } = table;
    await audit(tx, ctx, {
      action: `${type}.${paused ? 'pause' : 'resume'}`,
      targetType: type,
      targetId: id,
    });
    return table.show(after);
  });
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  cursor?: { at: Date; id: number };
  limit: number;
}

/** Newest first, keyset-paginated on (at, id) so pages stay stable while rows are appended. */
export async function listAudit(db: Db, f: AuditFilter) {
  const a = schema.auditLog;
  const rows = await db
    .select()
    .from(a)
    .where(
      and(
        f.actor ? or(eq(a.actorId, f.actor), eq(a.actorLabel, f.actor)) : undefined,
        f.action ? eq(a.action, f.action) : undefined,
        f.targetType ? eq(a.targetType, f.targetType) : undefined,
        f.targetId ? eq(a.targetId, f.targetId) : undefined,
        f.from ? gte(a.at, f.from) : undefined,
        f.to ? lte(a.at, f.to) : undefined,
        f.cursor ? or(lt(a.at, f.cursor.at), and(eq(a.at, f.cursor.at), lt(a.id, f.cursor.id))) : undefined,
      ),
    )
    .orderBy(desc(a.at), desc(a.id))
    .limit(f.limit + 1);
  const items = rows.slice(0, f.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > f.limit && last ? { at: last.at, id: last.id } : null };
}

/** Distinct actions the filter suggests, at most this many. */
export const AUDIT_ACTION_SUGGESTIONS = 500;

/** The actions the trail holds, in order: a skip scan of the action index (one probe per action, not a pass). */
export async function listAuditActions(sql: Queries): Promise<string[]> {
  const rows = await sql<{ action: string }[]>`
    with recursive a as (
      (select action from audit_log order by action limit 1)
      union all
      select (select l.action from audit_log l where l.action > a.action order by l.action limit 1)
      from a where a.action is not null
    )
    select action from a where action is not null limit ${AUDIT_ACTION_SUGGESTIONS}`;
  return rows.map((r) => r.action);
}
