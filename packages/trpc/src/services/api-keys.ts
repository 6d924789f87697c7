import {
  type ApiKeyRole,
  apiKeyColumns,
  type Db,
  type DbOrTx,
  desc,
  effectiveKeyRole,
  eq,
  generateApiKey,
  insertApiKey,
  revokeApiKeys,
  roleAtLeast,
  schema,
} from '@sextant/db';
import type { ChangeContext, Identity } from '../context';
import { AppError } from '../errors';
import { audit } from './audit';

const { apiKeys, users } = schema;

/**
 * Admins see every key; maintainers see the keys they created. `effectiveRole` is what the key may do today
 * (`effectiveKeyRole`), or null when its owner is disabled or deleted and the key is refused.
 */
export async function listApiKeys(db: Db, identity: Identity) {
  const mine = roleAtLeast(identity.role, 'admin') ? undefined : eq(apiKeys.createdBy, ownerId(identity));
  const rows = await db
    .select({
      ...apiKeyColumns,
      createdByEmail: users.email,
      ownerRole: users.role,
      ownerDisabledAt: users.disabledAt,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(mine)
    .orderBy(desc(apiKeys.createdAt));
  return rows.map(({ ownerRole, ownerDisabledAt, ...key }) => ({
    ...key,
    effectiveRole: ownerRole && !ownerDisabledAt ? effectiveKeyRole(key.role, ownerRole) : null,
  }));
}

/** Whose keys these are: a person, or the person who owns the calling key. */
export function ownerId(identity: Identity): string {
  return identity.type === 'user' ? identity.userId : identity.createdBy;
}

/** The raw key is returned here once and never stored. */
export async function createApiKey(
  ctx: ChangeContext & { identity: Identity },
  input: { name: string; role: ApiKeyRole; expiresAt?: Date },
) {
  if (!roleAtLeast(ctx.identity.role, input.role)) {
    throw new AppError(
      'FORBIDDEN',
      `You cannot create a key with more rights (${input.role}) than your own.`,
    );
  }
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw new AppError('VALIDATION_FAILED', 'Expiry must be in the future.', ['expiresAt']);
  }
  const { key, prefix, keyHash } = generateApiKey();
  return ctx.db.transaction(async (tx) => {
    const row = await insertApiKey(tx, {
      name: input.name,
      prefix,
      keyHash,
      role: input.role,
      createdBy: ownerId(ctx.identity),
      expiresAt: input.expiresAt ?? null,
    });
    await audit(tx, ctx, {
      action: 'api_key.create',
      targetType: 'api_key',
      targetId: row.id,
      after: { name: row.name, prefix, role: row.role, expiresAt: row.expiresAt },
    });
    return { key, apiKey: row };
  });
}

export async function revokeApiKey(ctx: ChangeContext & { identity: Identity }, id: string) {
  return ctx.db.transaction(async (tx) => {
    const [key] = await tx.select(apiKeyColumns).from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
    if (!key) throw new AppError('NOT_FOUND', 'No such API key.');
    if (!roleAtLeast(ctx.identity.role, 'admin') && key.createdBy !== ownerId(ctx.identity)) {
      throw new AppError('FORBIDDEN', 'Only admins can revoke keys created by someone else.');
    }
    const [after] = await revokeApiKeys(tx, eq(apiKeys.id, id));
    if (!after) throw new AppError('CONFLICT', 'That key is already revoked.');
    await audit(tx, ctx, {
      action: 'api_key.revoke',
      targetType: 'api_key',
      targetId: id,
      before: key,
      after,
    });
    return after;
  });
}

/** Revokes every live key of a user who is being deleted, one audit row per key, in the caller's transaction. */
export async function revokeKeysOfDeletedUser(tx: DbOrTx, ctx: ChangeContext, userId: string) {
  const revoked = await revokeApiKeys(tx, eq(apiKeys.createdBy, userId));
  for (const key of revoked) {
    await audit(tx, ctx, {
      action: 'api_key.revoke',
      targetType: 'api_key',
      targetId: key.id,
      after: { name: key.name, prefix: key.prefix, role: key.role, reason: 'owner deleted' },
    });
  }
  return revoked.length;
}
