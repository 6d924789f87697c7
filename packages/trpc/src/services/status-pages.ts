import { asc, count, type DbOrTx, eq, inArray, schema, sql } from '@sextant/db';
import type { ChangeContext, Context } from '../context';
import { AppError } from '../errors';
import { STATUS_PAGE_LIMITS } from '../limits';
import { applyPatch } from '../schemas/apply-patch';
import { type StatusPageInput, type StatusPagePatch, statusPageInput } from '../schemas/status-pages';
import { audit } from './audit';
import { allPublicServicesSpec, buildStatusPageView, loadStatusPageSpec } from './status-page-view';

const {
  statusPages,
  statusPageComponents,
  statusPageEnvironments,
  services,
  environments,
  receiverIntegrations,
} = schema;
type Row = typeof statusPages.$inferSelect;
type Parts = Pick<StatusPageInput, 'environmentIds' | 'components'>;

async function getPageRow(db: DbOrTx, id: string) {
  const [row] = await db.select().from(statusPages).where(eq(statusPages.id, id)).limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such status page.');
  return row;
}

/** A page's environments and components (in page order) as the form sends them. */
async function partsOf(db: DbOrTx, pageId: string): Promise<Parts> {
  const [envs, comps] = await Promise.all([
    db
      .select({ id: statusPageEnvironments.environmentId })
      .from(statusPageEnvironments)
      .innerJoin(environments, eq(environments.id, statusPageEnvironments.environmentId))
      .where(eq(statusPageEnvironments.pageId, pageId))
      .orderBy(asc(environments.position)),
    db
      .select({ serviceId: statusPageComponents.serviceId, group: statusPageComponents.groupName })
      .from(statusPageComponents)
      .where(eq(statusPageComponents.pageId, pageId))
      .orderBy(asc(statusPageComponents.position)),
  ]);
  return { environmentIds: envs.map((e) => e.id), components: comps };
}

/** A page as callers and the audit log see it. */
export function presentStatusPage(row: Row, parts: Parts) {
  return { ...row, ...parts };
}

/**
 * Unknown environments and services are refused at their place in the input; a public page takes public
 * services only (a page decides what the internet sees, so the rule holds at every write).
 */
async function assertParts(db: DbOrTx, input: StatusPageInput) {
  const serviceIds = input.components.map((c) => c.serviceId);
  const [knownEnvs, knownServices] = await Promise.all([
    input.environmentIds.length
      ? db
          .select({ id: environments.id })
          .from(environments)
          .where(inArray(environments.id, input.environmentIds))
      : [],
    serviceIds.length
      ? db
          .select({ id: services.id, name: services.name, isPublic: services.isPublic })
          .from(services)
          .where(inArray(services.id, serviceIds))
      : [],
  ]);
  if (input.mailIntegrationId) {
    const [mail] = await db
      .select({ kind: receiverIntegrations.kind })
      .from(receiverIntegrations)
      .where(eq(receiverIntegrations.id, input.mailIntegrationId));
    if (!mail) throw new AppError('NOT_FOUND', 'No such integration.', ['mailIntegrationId']);
    if (mail.kind !== 'email')
      throw new AppError('VALIDATION_FAILED', 'Subscriber mail goes through an email integration.', [
        'mailIntegrationId',
      ]);
  }
  const envs = new Set(knownEnvs.map((e) => e.id));
  input.environmentIds.forEach((id, i) => {
    if (!envs.has(id)) throw new AppError('NOT_FOUND', 'No such environment.', ['environmentIds', i]);
  });
  const byId = new Map(knownServices.map((s) => [s.id, s]));
  input.components.forEach((c, i) => {
    const s = byId.get(c.serviceId);
    if (!s) throw new AppError('NOT_FOUND', 'No such service.', ['components', i, 'serviceId']);
    if (input.visibility === 'public' && !s.isPublic)
      throw new AppError(
        'STATUS_PAGE_PRIVATE_SERVICE',
        `"${s.name}" is not public, so a public page cannot show it.`,
        ['components', i, 'serviceId'],
      );
  });
}

async function assertSlugFree(db: DbOrTx, slug: string, self: string | null) {
  const [row] = await db.select({ id: statusPages.id }).from(statusPages).where(eq(statusPages.slug, slug));
  if (row && row.id !== self)
    throw new AppError('CONFLICT', 'Another status page has this address.', ['slug']);
}

async function writeParts(db: DbOrTx, pageId: string, input: Parts) {
  await db.delete(statusPageEnvironments).where(eq(statusPageEnvironments.pageId, pageId));
  await db.delete(statusPageComponents).where(eq(statusPageComponents.pageId, pageId));
  if (input.environmentIds.length)
    await db
      .insert(statusPageEnvironments)
      .values(input.environmentIds.map((environmentId) => ({ pageId, environmentId })));
  if (input.components.length)
    await db.insert(statusPageComponents).values(
      input.components.map((c, position) => ({
        pageId,
        serviceId: c.serviceId,
        groupName: c.group,
        position,
      })),
    );
}

const columnsOf = ({ environmentIds: _e, components: _c, ...columns }: StatusPageInput) => columns;

export async function createStatusPage(ctx: ChangeContext, input: StatusPageInput) {
  return ctx.db.transaction(async (tx) => {
    // Concurrent creates take turns, so the count below cannot be passed by two at once.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('status_pages.create'))`);
    const [n] = await tx.select({ n: count() }).from(statusPages);
    if ((n?.n ?? 0) >= STATUS_PAGE_LIMITS.pages)
      throw new AppError('STATUS_PAGE_LIMIT', `At most ${STATUS_PAGE_LIMITS.pages} status pages.`);
    await assertSlugFree(tx, input.slug, null);
    await assertParts(tx, input);
    const [row] = await tx.insert(statusPages).values(columnsOf(input)).returning();
    await writeParts(tx, row!.id, input);
    const shown = presentStatusPage(row!, input);
    await audit(tx, ctx, {
      action: 'status_page.create',
      targetType: 'status_page',
      targetId: row!.id,
      after: shown,
    });
    return shown;
  });
}

/** A patch; sent `environmentIds` or `components` replace the stored set, and the whole result is checked again. */
export async function updateStatusPage(ctx: ChangeContext, id: string, patch: StatusPagePatch) {
  return ctx.db.transaction(async (tx) => {
    const before = await getPageRow(tx, id);
    const beforeParts = await partsOf(tx, id);
    const input = applyPatch(statusPageInput, { ...before, ...beforeParts }, patch, ['page']);
    if (input.slug !== before.slug) await assertSlugFree(tx, input.slug, id);
    await assertParts(tx, input);
    const [after] = await tx
      .update(statusPages)
      .set({ ...columnsOf(input), updatedAt: new Date() })
      .where(eq(statusPages.id, id))
      .returning();
    await writeParts(tx, id, input);
    const shown = presentStatusPage(after!, input);
    await audit(tx, ctx, {
      action: 'status_page.update',
      targetType: 'status_page',
      targetId: id,
      before: presentStatusPage(before, beforeParts),
      after: shown,
    });
    return shown;
  });
}

export async function deleteStatusPage(ctx: ChangeContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const before = await getPageRow(tx, id);
    const parts = await partsOf(tx, id);
    await tx.delete(statusPages).where(eq(statusPages.id, id));
    await audit(tx, ctx, {
      action: 'status_page.delete',
      targetType: 'status_page',
      targetId: id,
      before: presentStatusPage(before, parts),
    });
    return { id };
  });
}

export async function getStatusPage(db: DbOrTx, id: string) {
  const row = await getPageRow(db, id);
  return presentStatusPage(row, await partsOf(db, id));
}

/** Every page with its component count, by title. */
export async function listStatusPages(db: DbOrTx) {
  const rows = await db
    .select({
      id: statusPages.id,
      slug: statusPages.slug,
      title: statusPages.title,
      visibility: statusPages.visibility,
      updatedAt: statusPages.updatedAt,
      components: count(statusPageComponents.id),
    })
    .from(statusPages)
    .leftJoin(statusPageComponents, eq(statusPageComponents.pageId, statusPages.id))
    .groupBy(statusPages.id)
    .orderBy(asc(statusPages.title));
  return rows;
}

/**
 * The view of a page by slug, from the instance's cache when it has one. A private page is built (and cached)
 * like any other; who may read it is checked on every call.
 */
export async function viewStatusPage(ctx: Pick<Context, 'sql' | 'runtime' | 'identity'>, slug: string) {
  const build = async () => buildStatusPageView(ctx.sql, await loadStatusPageSpec(ctx.sql, slug));
  const cache = ctx.runtime.statusPageCache;
  const view = cache ? await cache.get(`page:${slug}`, build) : await build();
  if (view.visibility === 'private' && !ctx.identity)
    throw new AppError('STATUS_PAGE_SIGN_IN', 'Sign in to see this status page.');
  return view;
}

/** The virtual page of every public service in every environment (`status.get`). */
export async function viewAllPublicServices(ctx: Pick<Context, 'sql' | 'runtime'>) {
  const build = async () => buildStatusPageView(ctx.sql, await allPublicServicesSpec(ctx.sql));
  const cache = ctx.runtime.statusPageCache;
  return cache ? cache.get('all-public', build) : build();
}
