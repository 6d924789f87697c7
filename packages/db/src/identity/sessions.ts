import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../client';
import { authSessions, users } from '../schema';
import type { Role } from './roles';
import { randomToken, sha256 } from './tokens';
import { stampSignIn } from './users';

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

export const defaultSessionPolicy: SessionPolicy = { idleMinutes: 30, absoluteHours: 12 };

/** Refresh last-seen (and so the idle deadline) at most this often, to spare a write per request. */
const TOUCH_EVERY_MS = 30_000;

export interface SessionUser {
  sessionId: string;
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  mustChangePassword: boolean;
}

export async function createSession(
  db: Db,
  input: { userId: string; provider: string; ip?: string | null; userAgent?: string | null },
  policy: SessionPolicy = defaultSessionPolicy,
): Promise<{ token: string; sessionId: string }> {
  const token = randomToken();
  const now = Date.now();
  const [row] = await db
    .insert(authSessions)
    .values({
      tokenHash: sha256(token),
      userId: input.userId,
      provider: input.provider,
      idleExpiresAt: new Date(now + policy.idleMinutes * 60_000),
      absoluteExpiresAt: new Date(now + policy.absoluteHours * 3_600_000),
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
    })
    .returning({ id: authSessions.id });
  await stampSignIn(db, input.userId, new Date(now));
  return { token, sessionId: row!.id };
}

/**
 * The one check both the console and the API run: the session exists, is not revoked, is within its
 * idle and absolute limits, and its user is enabled. Role comes from the user row, so changes apply at once.
 */
export async function validateSession(
  db: Db,
  token: string,
  policy: SessionPolicy = defaultSessionPolicy,
): Promise<SessionUser | null> {
  const now = new Date();
  const [row] = await db
    .select({
      sessionId: authSessions.id,
      lastSeenAt: authSessions.lastSeenAt,
      absoluteExpiresAt: authSessions.absoluteExpiresAt,
      userId: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      mustChangePassword: users.mustChangePassword,
    })
    .from(authSessions)
    .innerJoin(users, eq(users.id, authSessions.userId))
    .where(
      and(
        eq(authSessions.tokenHash, sha256(token)),
        isNull(authSessions.revokedAt),
        gt(authSessions.idleExpiresAt, now),
        gt(authSessions.absoluteExpiresAt, now),
        isNull(users.disabledAt),
      ),
    )
    .limit(1);
  if (!row) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    const idle = new Date(
      Math.min(now.getTime() + policy.idleMinutes * 60_000, row.absoluteExpiresAt.getTime()),
    );
    await db
      .update(authSessions)
      .set({ lastSeenAt: now, idleExpiresAt: idle })
      .where(eq(authSessions.id, row.sessionId));
  }
  return {
    sessionId: row.sessionId,
    userId: row.userId,
    email: row.email,
    name: row.name,
    role: row.role,
    mustChangePassword: row.mustChangePassword,
  };
}

export async function revokeSessionByToken(db: Db, token: string, reason: string): Promise<void> {
  await db
    .update(authSessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(eq(authSessions.tokenHash, sha256(token)), isNull(authSessions.revokedAt)));
}

/** Ends every live session of a user, optionally keeping one (the caller's own). Returns how many ended. */
export async function revokeUserSessions(
  db: DbOrTx,
  userId: string,
  reason: string,
  exceptSessionId?: string,
): Promise<number> {
  const rows = await db
    .update(authSessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(
      and(
        eq(authSessions.userId, userId),
        isNull(authSessions.revokedAt),
        exceptSessionId ? sql`${authSessions.id} <> ${exceptSessionId}` : undefined,
      ),
    )
    .returning({ id: authSessions.id });
  return rows.length;
}

/** An admin ends one live session; undefined when there is no such live session. */
export async function endSessionById(db: DbOrTx, sessionId: string, reason: string) {
  const [row] = await db
    .update(authSessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt)))
    .returning({ id: authSessions.id, userId: authSessions.userId });
  return row;
}

/** Old rows are only history; drop what expired or was revoked over a day ago. */
export async function pruneSessions(db: Db): Promise<number> {
  const dayAgo = new Date(Date.now() - 86_400_000);
  const rows = await db
    .delete(authSessions)
    .where(or(lt(authSessions.absoluteExpiresAt, dayAgo), lt(authSessions.revokedAt, dayAgo)))
    .returning({ id: authSessions.id });
  return rows.length;
}
