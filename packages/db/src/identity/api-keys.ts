import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../client';
import { apiKeys } from '../schema';
import { type ApiKeyRole, effectiveKeyRole, type Role } from './roles';
import { randomToken, sha256 } from './tokens';

export const API_KEY_PREFIX = 'sxt_';
/** A key's last use is written at most this often (the verified-key cache re-checks at least as often). */
export const LAST_USED_EVERY_MS = 60_000;

/** `sxt_` + 32 random bytes in base64url; the visible prefix is the first 12 characters. */
export function generateApiKey(): { key: string; prefix: string; keyHash: string } {
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  return { key, prefix: key.slice(0, 12), keyHash: sha256(key) };
}

export interface ApiKeyIdentity {
  keyId: string;
  name: string;
  /** What the key may do today (`effectiveKeyRole`). */
  role: ApiKeyRole;
  createdBy: string;
}

/**
 * Looks a presented key up by hash. Revoked or expired keys do not authenticate, nor do keys whose owner is
 * disabled or gone (fail closed: a key without an owner is refused); the role is capped by `effectiveKeyRole`.
 */
export async function verifyApiKey(db: Db, key: string): Promise<ApiKeyIdentity | null> {
  return (await lookupApiKey(db, key))?.identity ?? null;
}

/** `verifyApiKey` with the key's expiry, so a cache of verified keys never outlives it. */
export async function lookupApiKey(
  db: Db,
  key: string,
): Promise<{ identity: ApiKeyIdentity; expiresAt: Date | null } | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  // Every API-key request runs this: a postgres.js prepared statement, no query builder, one row of plain columns.
  const [row] = await db.$client<
    {
      id: string;
      name: string;
      role: Role;
      owner_role: Role;
      created_by: string;
      stale: boolean;
      expires_at: Date | null;
    }[]
  >`
    select k.id::text, k.name, k.role, u.role as owner_role, k.created_by, k.expires_at,
      k.last_used_at is null or k.last_used_at < now() - ${LAST_USED_EVERY_MS / 1000}::float8 * interval '1 second' as stale
    from api_keys k join users u on u.id = k.created_by and u.disabled_at is null
    where k.key_hash = ${sha256(key)} and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
    limit 1`;
  if (!row) return null;
  if (row.stale) await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.id));
  return {
    identity: {
      keyId: row.id,
      name: row.name,
      role: effectiveKeyRole(row.role, row.owner_role),
      createdBy: row.created_by,
    },
    expiresAt: row.expires_at,
  };
}

/** A key as it is listed: never its hash. */
export const apiKeyColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  role: apiKeys.role,
  createdAt: apiKeys.createdAt,
  expiresAt: apiKeys.expiresAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
  createdBy: apiKeys.createdBy,
};

type NewApiKey = Pick<
  typeof apiKeys.$inferInsert,
  'name' | 'prefix' | 'keyHash' | 'role' | 'createdBy' | 'expiresAt'
>;

export async function insertApiKey(tx: DbOrTx, key: NewApiKey) {
  const [row] = await tx.insert(apiKeys).values(key).returning(apiKeyColumns);
  return row!;
}

/** Revokes the live keys `which` selects (by id, by owner) and returns them. */
export function revokeApiKeys(tx: DbOrTx, which: SQL) {
  return tx
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(which, isNull(apiKeys.revokedAt)))
    .returning(apiKeyColumns);
}
