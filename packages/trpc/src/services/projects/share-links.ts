import { and, count, type DbOrTx, desc, eq, gt, isNull, randomToken, schema, sha256, sql } from '@sextant/db';
import type { ChangeContext, Identity } from '../../context';
import { AppError } from '../../errors';
import { PROJECT_LIMITS } from '../../limits';
import { audit } from '../audit';
import { actorUserId, getProject, getWritableProject } from './common';

const { projectShareLinks: links, users } = schema;
type Row = typeof links.$inferSelect;

/** What callers and the audit log see of a link: never the token, never its hash. */
function present(row: Row, now = Date.now()) {
  const { tokenHash: _h, ...rest } = row;
  const state = row.revokedAt ? 'revoked' : row.expiresAt.getTime() <= now ? 'expired' : 'active';
  return { ...rest, state: state as 'active' | 'expired' | 'revoked' };
}

export async function listShareLinks(db: DbOrTx, projectId: string) {
  await getProject(db, projectId);
  const rows = await db
    .select({
      link: links,
      createdBy: sql<string | null>`coalesce(nullif(${users.name}, ''), ${users.email})`,
    })
    .from(links)
    .leftJoin(users, eq(users.id, links.createdByUserId))
    .where(eq(links.projectId, projectId))
    .orderBy(desc(links.createdAt));
  return rows.map((r) => ({ ...present(r.link), createdByName: r.createdBy }));
}

/** The token (32 random bytes, base64url) is returned here once; only its SHA-256 is stored, as for API keys. */
export async function createShareLink(
  ctx: ChangeContext & { identity: Identity },
  input: { projectId: string; label?: string | null; expiresInHours: number },
) {
  return ctx.db.transaction(async (tx) => {
    await getWritableProject(tx, input.projectId);
    const [{ live } = { live: 0 }] = await tx
      .select({ live: count() })
      .from(links)
      .where(
        and(eq(links.projectId, input.projectId), isNull(links.revokedAt), gt(links.expiresAt, sql`now()`)),
      );
    if (live >= PROJECT_LIMITS.shareLinks) {
      throw new AppError(
        'SHARE_LINK_LIMIT',
        `A project has at most ${PROJECT_LIMITS.shareLinks} live share links.`,
      );
    }
    const token = randomToken(32);
    const [row] = await tx
      .insert(links)
      .values({
        projectId: input.projectId,
        tokenHash: sha256(token),
        label: input.label || null,
        expiresAt: new Date(Date.now() + input.expiresInHours * 3_600_000),
        createdByUserId: actorUserId(ctx.identity),
      })
      .returning();
    const link = present(row!);
    await audit(tx, ctx, {
      action: 'project_share_link.create',
      targetType: 'project_share_link',
      targetId: link.id,
      after: link,
    });
    return { token, link };
  });
}

/** Takes effect at once: resolving checks revokedAt on every call. Revoking twice is a no-op; works on archived projects too. */
export async function revokeShareLink(ctx: ChangeContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(links).where(eq(links.id, id)).for('update').limit(1);
    if (!before) throw new AppError('NOT_FOUND', 'No such share link.');
    if (before.revokedAt) return present(before);
    const [after] = await tx.update(links).set({ revokedAt: new Date() }).where(eq(links.id, id)).returning();
    await audit(tx, ctx, {
      action: 'project_share_link.revoke',
      targetType: 'project_share_link',
      targetId: id,
      before: present(before),
    });
    return present(after!);
  });
}

/** Longest token accepted before hashing: base64url of 32 bytes is 43 characters. */
const MAX_TOKEN_LENGTH = 64;

function invalid(): never {
  throw new AppError('SHARE_LINK_INVALID', 'This link is not valid.');
}

/**
 * The project a share token opens, for the public dashboard. Unknown, expired and revoked tokens all answer
 * SHARE_LINK_INVALID, so a probe learns nothing; lastUsedAt is stamped at most once a minute (not one write per view).
 */
export async function resolveShareLink(
  db: DbOrTx,
  token: string,
): Promise<{ projectId: string; linkId: string }> {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) invalid();
  const [row] = await db
    .select({ id: links.id, projectId: links.projectId, lastUsedAt: links.lastUsedAt })
    .from(links)
    .where(and(eq(links.tokenHash, sha256(token)), isNull(links.revokedAt), gt(links.expiresAt, sql`now()`)))
    .limit(1);
  if (!row) invalid();
  const every = PROJECT_LIMITS.shareLinkStampSeconds;
  if (!row.lastUsedAt || row.lastUsedAt.getTime() <= Date.now() - every * 1000) {
    await db
      .update(links)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(links.id, row.id),
          sql`(${links.lastUsedAt} is null or ${links.lastUsedAt} <= now() - make_interval(secs => ${every}))`,
        ),
      );
  }
  return { projectId: row.projectId, linkId: row.id };
}
