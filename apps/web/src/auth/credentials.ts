import 'server-only';
import {
  clearRateLimit,
  createSession,
  eq,
  type SessionPolicy,
  schema,
  sql,
  verifyPassword,
  writeAudit,
} from '@sextant/db';
import { z } from 'zod';
import { getDb } from '~/server/db';
import { clientIp } from './request-info';

const input = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().min(1).max(128),
});

export const accountKey = (email: string) => `signin:account:${email.trim().toLowerCase()}`;
export const ipKey = (ip: string) => `signin:ip:${ip}`;

/**
 * Email + password check. Every failure looks the same to the caller, and an unknown email
 * still costs one argon2 verification so timing does not tell which part was wrong.
 */
export async function authorizeCredentials(credentials: unknown, request: Request, policy: SessionPolicy) {
  const parsed = input.safeParse(credentials);
  if (!parsed.success) {
    await verifyPassword(null, 'invalid');
    return null;
  }
  const db = getDb().primary;
  const [user] = await db
    .select()
    .from(schema.users)
    .where(eq(sql`lower(${schema.users.email})`, parsed.data.email))
    .limit(1);
  const ok = await verifyPassword(user?.passwordHash, parsed.data.password);
  if (!user || !ok || user.disabledAt) return null;
  const ip = clientIp(request.headers);
  const { token } = await createSession(
    db,
    {
      userId: user.id,
      provider: 'credentials',
      ip,
      userAgent: request.headers.get('user-agent'),
    },
    policy,
  );
  await writeAudit(db, {
    actor: { type: 'user', id: user.id, label: user.email },
    action: 'auth.sign_in',
    targetType: 'user',
    targetId: user.id,
    after: { provider: 'credentials' },
    ip,
  });
  await clearRateLimit(db, accountKey(user.email));
  return { id: user.id, email: user.email, name: user.name, sid: token };
}
