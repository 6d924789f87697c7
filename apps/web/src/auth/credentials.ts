import 'server-only';
import { createSession, eq, type SessionPolicy, schema, sql, verifyPassword, writeAudit } from '@sextant/db';
import { z } from 'zod';
import { getDb } from '~/server/db';
import { clientIp } from './request-info';
import { accountSignedIn, claimAccountAttempt } from './sign-in-limits';

const input = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(128),
});

/**
 * Email + password check, on exactly the credentials Auth.js parsed (form or JSON, last field wins), so the
 * per-account delay counts the account really being tried. Every failure looks the same to the caller, and
 * an unknown email is delayed and costs one argon2 verification just like a known one.
 */
export async function authorizeCredentials(credentials: unknown, request: Request, policy: SessionPolicy) {
  const parsed = input.safeParse(credentials);
  if (!parsed.success) {
    await verifyPassword(null, 'invalid');
    return null;
  }
  await claimAccountAttempt(parsed.data.email);
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
  await accountSignedIn(parsed.data.email);
  return { id: user.id, email: user.email, name: user.name, sid: token };
}
