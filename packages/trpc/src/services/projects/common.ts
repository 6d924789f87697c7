import { and, type DbOrTx, eq, inArray, isNull, ne, schema, sql } from '@sextant/db';
import type { SQL } from 'drizzle-orm';
import type { Identity } from '../../context';
import { AppError, type AppErrorCode } from '../../errors';

const { projects, users, services, milestones } = schema;
export type ProjectRow = typeof projects.$inferSelect;

/** Fetch-or-throw; `forUpdate` holds the row so checks against its dates stay true until commit. */
export async function getProject(db: DbOrTx, id: string, forUpdate = false): Promise<ProjectRow> {
  const q = db.select().from(projects).where(eq(projects.id, id)).limit(1);
  const [row] = await (forUpdate ? q.for('update') : q);
  if (!row) throw new AppError('NOT_FOUND', 'No such project.');
  return row;
}

export const PROJECT_ARCHIVED_MESSAGE = 'The project is archived; unarchive it to change it.';

/** Refuses a write to an archived project (a preview calls it too, so the user learns before importing). */
export function assertNotArchived(project: Pick<ProjectRow, 'archivedAt'>) {
  if (project.archivedAt) throw new AppError('PROJECT_ARCHIVED', PROJECT_ARCHIVED_MESSAGE);
}

/**
 * Every write to a project or its rows starts here, in its transaction: the project row is locked first (one lock
 * order for all writers) and held, so archiving waits for the write and the write sees the archive.
 */
export async function getWritableProject(tx: DbOrTx, id: string): Promise<ProjectRow> {
  const row = await getProject(tx, id, true);
  assertNotArchived(row);
  return row;
}

/** Who acts: a person, or the person who owns the calling key. */
export function actorUserId(identity: Identity): string {
  return identity.type === 'user' ? identity.userId : identity.createdBy;
}

/** Owners and members must exist and be enabled now; the message names the first that is not. */
export async function assertUsers(db: DbOrTx, ids: readonly string[], path: string) {
  if (ids.length === 0) return;
  const found = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, [...ids]), isNull(users.disabledAt)));
  const ok = new Set(found.map((u) => u.id));
  const bad = ids.findIndex((id) => !ok.has(id));
  if (bad >= 0) {
    const at = ids.length === 1 && path !== 'members' ? [path] : [path, bad];
    throw new AppError('PROJECT_USER_INVALID', `No enabled user "${ids[bad]}".`, at);
  }
}

export async function assertServices(db: DbOrTx, ids: readonly string[]) {
  if (ids.length === 0) return;
  const found = await db
    .select({ id: services.id })
    .from(services)
    .where(inArray(services.id, [...ids]));
  const ok = new Set(found.map((s) => s.id));
  const bad = ids.findIndex((id) => !ok.has(id));
  if (bad >= 0) throw new AppError('SERVICE_NOT_FOUND', `No service "${ids[bad]}".`, ['serviceIds', bad]);
}

/** Names are unique case-insensitively per scope; checked first so the caller gets a coded, field-level error. */
export async function assertNameFree(
  db: DbOrTx,
  table: typeof projects | typeof milestones,
  scope: SQL | undefined,
  name: string,
  exceptId: string | null,
  code: AppErrorCode,
) {
  const [hit] = await db
    .select({ id: table.id })
    .from(table)
    .where(
      and(
        scope,
        eq(sql`lower(${table.name})`, name.toLowerCase()),
        exceptId ? ne(table.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  if (hit) throw new AppError(code, `The name "${name}" is taken.`, ['name']);
}

/** Milestones may not be due before their project starts. */
export function assertDueAfterStart(dueDate: string | null | undefined, startDate: string, path: string) {
  if (dueDate && dueDate < startDate) {
    throw new AppError(
      'MILESTONE_DUE_BEFORE_START',
      `Due ${dueDate} is before the project starts (${startDate}).`,
      [path],
    );
  }
}
