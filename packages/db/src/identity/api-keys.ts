import { and, eq, gt, isNull, or } from 'drizzle-orm';
import type { Db } from '../client';
import { apiKeys } from '../schema';
import type { Role } from './roles';
import { randomToken, sha256 } from './tokens';

export const API_KEY_PREFIX = 'sxt_';
const LAST_USED_EVERY_MS = 60_000;

/** `sxt_` + 32 random bytes in base64url; the visible prefix is the first 12 characters. */
export function generateApiKey(): { key: string; prefix: string; keyHash: string } {
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  return { key, prefix: key.slice(0, 12), keyHash: sha256(key) };
}

export interface ApiKeyIdentity {
  keyId: string;
  name: string;
  role: Role;
  createdBy: string | null;
}

/** Looks a presented key up by hash; revoked or expired keys do not authenticate. */
export async function verifyApiKey(db: Db, key: string): Promise<ApiKeyIdentity | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const now = new Date();
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.keyHash, sha256(key)),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
      ),
    )
    .limit(1);
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
  }
  return { keyId: row.id, name: row.name, role: row.role, createdBy: row.createdBy };
}
