import { and, asc, type DbOrTx, desc, eq, lt, or, schema, sql } from '@sextant/db';
import type { ChangeContext, Identity } from '../context';
import { AppError } from '../errors';
import type { DeploymentReportInput, ReleaseListInput } from '../schemas/deployments';
import { audit } from './audit';
import { releaseCommitsAdded } from './commit-first-deploys';

const { releases, releaseCommits, services, environments } = schema;
type Release = typeof releases.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The service a delivery input names by slug (or id); SERVICE_NOT_FOUND on that field otherwise. */
export async function resolveService(db: DbOrTx, ref: string) {
  const [row] = await db
    .select({ id: services.id, slug: services.slug })
    .from(services)
    .where(UUID.test(ref) ? eq(services.id, ref) : eq(services.slug, ref))
    .limit(1);
  if (!row) throw new AppError('SERVICE_NOT_FOUND', `No service "${ref}".`, ['service']);
  return row;
}

/** The environment a delivery input names, case-insensitively; ENVIRONMENT_NOT_FOUND on that field otherwise. */
export async function resolveEnvironment(db: DbOrTx, name: string) {
  const [row] = await db
    .select()
    .from(environments)
    .where(sql`lower(${environments.name}) = lower(${name})`)
    .limit(1);
  if (!row) throw new AppError('ENVIRONMENT_NOT_FOUND', `No environment "${name}".`, ['environment']);
  return row;
}

/** Who made a row, for its created_by columns (the audit log keeps the full actor). */
export function createdBy(identity: Identity | null) {
  return {
    createdByUserId: identity?.type === 'user' ? identity.userId : null,
    createdByApiKeyId: identity?.type === 'api_key' ? identity.keyId : null,
  };
}

type ReleaseFields = Pick<
  DeploymentReportInput,
  'version' | 'commitSha' | 'commits' | 'notes' | 'artifactUrl'
>;

/**
 * The service's release of this version, made (and audited) when missing: the same version, whatever its case,
 * is the same release. Call inside the report's transaction; a concurrent maker of the same version waits on the
 * unique index and then reads the row the other made.
 */
export async function ensureRelease(tx: DbOrTx, ctx: ChangeContext, serviceId: string, input: ReleaseFields) {
  const [made] = await tx
    .insert(releases)
    .values({
      serviceId,
      version: input.version,
      commitSha: input.commitSha ?? null,
      notes: input.notes ?? null,
      artifactUrl: input.artifactUrl ?? null,
      ...createdBy(ctx.identity),
    })
    .onConflictDoNothing()
    .returning();
  const release = made ?? (await releaseByVersion(tx, serviceId, input.version));
  if (!made && input.commitSha && release.commitSha && release.commitSha !== input.commitSha)
    throw new AppError(
      'RELEASE_COMMIT_MISMATCH',
      `Version ${release.version} is commit ${release.commitSha}, not ${input.commitSha}.`,
      ['commitSha'],
    );
  const added = await addCommits(tx, release.id, input.commits ?? []);
  // A release that already shipped may now carry commits DORA has not seen yet.
  if (!made && added > 0) await releaseCommitsAdded(tx, release.id);
  if (made)
    await audit(tx, ctx, {
      action: 'release.create',
      targetType: 'release',
      targetId: release.id,
      after: { ...release, commits: added },
    });
  else if (added > 0)
    await audit(tx, ctx, {
      action: 'release.commits',
      targetType: 'release',
      targetId: release.id,
      after: { added },
    });
  return release;
}

async function releaseByVersion(tx: DbOrTx, serviceId: string, version: string): Promise<Release> {
  const [row] = await tx
    .select()
    .from(releases)
    .where(and(eq(releases.serviceId, serviceId), sql`lower(${releases.version}) = lower(${version})`))
    .limit(1);
  return row!;
}

/** Commits not yet on the release; those it has keep their first report. Returns how many were new. */
async function addCommits(tx: DbOrTx, releaseId: string, commits: NonNullable<ReleaseFields['commits']>) {
  if (commits.length === 0) return 0;
  const rows = await tx
    .insert(releaseCommits)
    .values(
      commits.map((c) => ({ releaseId, sha: c.sha, committedAt: c.committedAt, message: c.message ?? null })),
    )
    .onConflictDoNothing()
    .returning({ sha: releaseCommits.sha });
  return rows.length;
}

export async function getReleaseRow(db: DbOrTx, id: string, path: string[] = ['id']) {
  const [row] = await db.select().from(releases).where(eq(releases.id, id)).limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such release.', path);
  return row;
}

/** One release with its commits, oldest first. */
export async function getRelease(db: DbOrTx, id: string) {
  const release = await getReleaseRow(db, id);
  const commits = await db
    .select({
      sha: releaseCommits.sha,
      committedAt: releaseCommits.committedAt,
      message: releaseCommits.message,
    })
    .from(releaseCommits)
    .where(eq(releaseCommits.releaseId, id))
    .orderBy(asc(releaseCommits.committedAt), asc(releaseCommits.sha));
  return { ...release, commits };
}

/** A service's releases, newest first, keyset-paginated on (created_at, id). */
export async function listReleases(db: DbOrTx, input: ReleaseListInput) {
  const service = await resolveService(db, input.service);
  const c = input.cursor;
  const rows = await db
    .select()
    .from(releases)
    .where(
      and(
        eq(releases.serviceId, service.id),
        c
          ? or(
              lt(releases.createdAt, c.createdAt),
              and(eq(releases.createdAt, c.createdAt), lt(releases.id, c.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(releases.createdAt), desc(releases.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > input.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}
