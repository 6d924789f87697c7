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
  schema,
  writeAudit,
} from '@sextant/db';
import { actorOf, type Context } from '../context';

/** Records a change made by the caller; pass the transaction that made it. */
export function audit(
  tx: DbOrTx,
  ctx: Pick<Context, 'identity' | 'requestId' | 'ip'>,
  entry: Omit<AuditEntry, 'actor'>,
) {
  return writeAudit(tx, { ...entry, actor: actorOf(ctx.identity), requestId: ctx.requestId, ip: ctx.ip });
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
