import {
  and,
  changeUser,
  count,
  type Db,
  type DbOrTx,
  deleteUserRow,
  desc,
  endSessionById,
  eq,
  generatePassword,
  gt,
  hashPassword,
  insertUser,
  isNull,
  ne,
  type Role,
  revokeUserSessions,
  schema,
  setPasswordHash,
  sql,
  userColumns,
} from '@sextant/db';
import type { ChangeContext } from '../context';
import { AppError } from '../errors';
import { revokeKeysOfDeletedUser } from './api-keys';
import { audit } from './audit';

const { users, authSessions } = schema;

/** A user a record names (a commander, an owner) must exist and be enabled; else refused on `field`. */
export async function assertEnabledUser(
  db: DbOrTx,
  id: string | null | undefined,
  field: string,
  as: string,
) {
  if (!id) return;
  const [user] = await db
    .select({ disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  if (!user || user.disabledAt) throw new AppError('VALIDATION_FAILED', `No such user can ${as}.`, [field]);
}

/** Bounds the people pickers: a console for a team, not a company directory. */
const DIRECTORY_SIZE = 1_000;

/** Enabled users as pickers show them: id and display name (the name, else the email), by display name. */
export function userDirectory(db: DbOrTx) {
  const display = sql<string>`coalesce(nullif(${users.name}, ''), ${users.email})`;
  return db
    .select({ id: users.id, name: display })
    .from(users)
    .where(isNull(users.disabledAt))
    .orderBy(display)
    .limit(DIRECTORY_SIZE);
}

export async function listUsers(db: Db) {
  const live = db
    .select({ userId: authSessions.userId, n: count().as('n') })
    .from(authSessions)
    .where(
      and(
        isNull(authSessions.revokedAt),
        gt(authSessions.absoluteExpiresAt, sql`now()`),
        gt(authSessions.idleExpiresAt, sql`now()`),
      ),
    )
    .groupBy(authSessions.userId)
    .as('live');
  return db
    .select({ ...userColumns, activeSessions: sql<number>`coalesce(${live.n}, 0)::int` })
    .from(users)
    .leftJoin(live, eq(live.userId, users.id))
    .orderBy(users.email);
}

async function getUser(db: DbOrTx, id: string) {
  const [user] = await db.select(userColumns).from(users).where(eq(users.id, id)).limit(1);
  if (!user) throw new AppError('NOT_FOUND', 'No such user.');
  return user;
}

/** Other enabled admins besides `userId`; the last one may not be demoted, disabled or deleted. */
async function assertNotLastAdmin(tx: DbOrTx, userId: string) {
  // Lock admin rows so two concurrent demotions cannot both pass the check.
  const others = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt), ne(users.id, userId)))
    .for('update');
  if (others.length === 0)
    throw new AppError('LAST_ADMIN', 'This is the last active admin; promote someone else first.');
}

export async function createUser(
  ctx: ChangeContext,
  input: { email: string; name?: string; role: Role; password?: string },
) {
  const password = input.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  return ctx.db.transaction(async (tx) => {
    const user = await insertUser(tx, {
      email: input.email.toLowerCase(),
      name: input.name ?? null,
      role: input.role,
      passwordHash,
      mustChangePassword: true,
    });
    if (!user) throw new AppError('CONFLICT', 'A user with that email already exists.', ['email']);
    await audit(tx, ctx, {
      action: 'user.create',
      targetType: 'user',
      targetId: user.id,
      after: { email: user.email, name: user.name, role: user.role },
    });
    // A password the admin chose is never echoed back; a generated one is shown this once.
    const created: { user: typeof user; temporaryPassword?: string } = { user };
    if (input.password === undefined) created.temporaryPassword = password;
    return created;
  });
}

export async function updateUser(
  ctx: ChangeContext,
  input: { id: string; name?: string | null; role?: Role; disabled?: boolean },
) {
  return ctx.db.transaction(async (tx) => {
    const before = await getUser(tx, input.id);
    const demoting = input.role !== undefined && input.role !== 'admin' && before.role === 'admin';
    const disabling = input.disabled === true && before.disabledAt === null && before.role === 'admin';
    if (demoting || disabling) await assertNotLastAdmin(tx, input.id);
    const after = await changeUser(tx, input.id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.role !== undefined ? { role: input.role } : {}),
      ...(input.disabled !== undefined
        ? { disabledAt: input.disabled ? (before.disabledAt ?? new Date()) : null }
        : {}),
    });
    const action =
      input.disabled !== undefined && input.disabled !== (before.disabledAt !== null)
        ? input.disabled
          ? 'user.disable'
          : 'user.enable'
        : input.role !== undefined && input.role !== before.role
          ? 'user.role_change'
          : 'user.update';
    if (input.disabled) await revokeUserSessions(tx, input.id, 'user disabled');
    await audit(tx, ctx, { action, targetType: 'user', targetId: input.id, before, after });
    return after!;
  });
}

export async function resetPassword(ctx: ChangeContext, id: string) {
  const temporaryPassword = generatePassword();
  const passwordHash = await hashPassword(temporaryPassword);
  return ctx.db.transaction(async (tx) => {
    const before = await getUser(tx, id);
    await setPasswordHash(tx, id, passwordHash, true);
    const ended = await revokeUserSessions(tx, id, 'password reset');
    await audit(tx, ctx, {
      action: 'user.password_reset',
      targetType: 'user',
      targetId: id,
      before: { email: before.email, mustChangePassword: before.mustChangePassword },
      after: { email: before.email, mustChangePassword: true, sessionsEnded: ended },
    });
    return { temporaryPassword };
  });
}

export async function deleteUser(ctx: ChangeContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const before = await getUser(tx, id);
    if (before.role === 'admin' && before.disabledAt === null) await assertNotLastAdmin(tx, id);
    // A key never outlives its owner; the rows stay, revoked, so the key list and audit keep their history.
    const keysRevoked = await revokeKeysOfDeletedUser(tx, ctx, id);
    await deleteUserRow(tx, id);
    await audit(tx, ctx, {
      action: 'user.delete',
      targetType: 'user',
      targetId: id,
      before,
      after: { keysRevoked },
    });
    return { id };
  });
}

export async function listUserSessions(db: Db, userId: string) {
  return db
    .select({
      id: authSessions.id,
      provider: authSessions.provider,
      createdAt: authSessions.createdAt,
      lastSeenAt: authSessions.lastSeenAt,
      idleExpiresAt: authSessions.idleExpiresAt,
      absoluteExpiresAt: authSessions.absoluteExpiresAt,
      revokedAt: authSessions.revokedAt,
      revokedReason: authSessions.revokedReason,
      ip: authSessions.ip,
      userAgent: authSessions.userAgent,
    })
    .from(authSessions)
    .where(eq(authSessions.userId, userId))
    .orderBy(desc(authSessions.createdAt))
    .limit(50);
}

export async function endSession(ctx: ChangeContext, sessionId: string) {
  return ctx.db.transaction(async (tx) => {
    const row = await endSessionById(tx, sessionId, 'ended by admin');
    if (!row) throw new AppError('NOT_FOUND', 'No such live session.');
    await audit(tx, ctx, {
      action: 'session.end',
      targetType: 'session',
      targetId: row.id,
      after: { userId: row.userId },
    });
    return row;
  });
}
