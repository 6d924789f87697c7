import { eq, hashPassword, revokeUserSessions, schema, setPasswordHash, verifyPassword } from '@sextant/db';
import type { Context, Identity } from '../context';
import { AppError } from '../errors';
import { audit } from './audit';

type UserIdentity = Extract<Identity, { type: 'user' }>;

export function describeIdentity(identity: Identity) {
  return identity.type === 'user'
    ? {
        type: 'user' as const,
        id: identity.userId,
        email: identity.email,
        name: identity.name,
        role: identity.role,
        mustChangePassword: identity.mustChangePassword,
      }
    : { type: 'api_key' as const, id: identity.keyId, name: identity.name, role: identity.role };
}

/** Sets a new password, keeps this session and ends every other one. */
export async function changePassword(
  ctx: Pick<Context, 'db' | 'requestId' | 'ip'> & { identity: UserIdentity },
  input: { currentPassword: string; newPassword: string },
) {
  const { users } = schema;
  const [user] = await ctx.db.select().from(users).where(eq(users.id, ctx.identity.userId)).limit(1);
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError('VALIDATION_FAILED', 'Your current password is not correct.', ['currentPassword']);
  }
  if (input.currentPassword === input.newPassword) {
    throw new AppError('VALIDATION_FAILED', 'Choose a password different from the current one.', [
      'newPassword',
    ]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  return ctx.db.transaction(async (tx) => {
    await setPasswordHash(tx, user.id, passwordHash, false);
    const ended = await revokeUserSessions(tx, user.id, 'password changed', ctx.identity.sessionId);
    await audit(tx, ctx, {
      action: 'user.password_change',
      targetType: 'user',
      targetId: user.id,
      after: { otherSessionsEnded: ended },
    });
    return { otherSessionsEnded: ended };
  });
}
