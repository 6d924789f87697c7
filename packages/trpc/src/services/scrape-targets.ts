import { asc, type DbOrTx, eq, roleAtLeast, schema } from '@sextant/db';
import type { Context } from '../context';
import { AppError, findCode } from '../errors';
import { maskUrlPassword, type ScrapeTargetInput } from '../schemas/scrape-targets';
import { audit } from './audit';
import { getService } from './catalog';
import { assertTargetAllowed, urlTarget } from './settings';
import { assertEnvironment, firstSlot } from './slots';

const { scrapeTargets } = schema;
type Ctx = Pick<Context, 'db' | 'runtime' | 'identity' | 'requestId' | 'ip'>;
type Row = typeof scrapeTargets.$inferSelect;

async function getTarget(db: DbOrTx, id: string) {
  const [row] = await db.select().from(scrapeTargets).where(eq(scrapeTargets.id, id)).limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such scrape target.');
  return row;
}

/** What a caller may see: lease bookkeeping is internal, and only maintainers see a password in the URL. */
function present(row: Row, identity: Ctx['identity']) {
  const { leaseOwner: _o, leaseUntil: _u, ...rest } = row;
  const canEdit = identity !== null && roleAtLeast(identity.role, 'maintainer');
  return { ...rest, url: canEdit ? row.url : maskUrlPassword(row.url) };
}

/** A literal target the outbound policy refuses is refused now, not only when a scrape runs. */
async function assertAllowed(ctx: Ctx, tx: DbOrTx, url: string) {
  const target = urlTarget(url);
  if (target) await assertTargetAllowed({ ...ctx, db: tx as Context['db'] }, target.host, target.port);
}

function duplicate(err: unknown): never {
  if (findCode(err) === '23505')
    throw new AppError('CONFLICT', 'This endpoint is already scraped in that environment.');
  throw err;
}

export async function listScrapeTargets(ctx: Ctx, serviceIdOrSlug: string) {
  const service = await getService(ctx.db, serviceIdOrSlug);
  const rows = await ctx.db
    .select()
    .from(scrapeTargets)
    .where(eq(scrapeTargets.serviceId, service.id))
    .orderBy(asc(scrapeTargets.url));
  return rows.map((r) => present(r, ctx.identity));
}

export async function createScrapeTarget(ctx: Ctx, serviceIdOrSlug: string, input: ScrapeTargetInput) {
  return ctx.db
    .transaction(async (tx) => {
      const service = await getService(tx, serviceIdOrSlug);
      await assertEnvironment(tx, input.environmentId);
      await assertAllowed(ctx, tx, input.url);
      const id = crypto.randomUUID();
      const [row] = await tx
        .insert(scrapeTargets)
        .values({ id, serviceId: service.id, ...input, ...firstSlot(id, input.intervalSeconds) })
        .returning();
      await audit(tx, ctx, {
        action: 'scrape_target.create',
        targetType: 'scrape_target',
        targetId: id,
        after: present(row!, null),
      });
      return present(row!, ctx.identity);
    })
    .catch(duplicate);
}

export async function updateScrapeTarget(ctx: Ctx, id: string, input: ScrapeTargetInput) {
  return ctx.db
    .transaction(async (tx) => {
      const before = await getTarget(tx, id);
      await assertEnvironment(tx, input.environmentId);
      await assertAllowed(ctx, tx, input.url);
      const rescheduled =
        before.intervalSeconds !== input.intervalSeconds ? firstSlot(id, input.intervalSeconds) : {};
      const [after] = await tx
        .update(scrapeTargets)
        .set({ ...input, ...rescheduled, updatedAt: new Date() })
        .where(eq(scrapeTargets.id, id))
        .returning();
      await audit(tx, ctx, {
        action: 'scrape_target.update',
        targetType: 'scrape_target',
        targetId: id,
        before: present(before, null),
        after: present(after!, null),
      });
      return present(after!, ctx.identity);
    })
    .catch(duplicate);
}

export async function setScrapeTargetPaused(ctx: Ctx, id: string, paused: boolean) {
  return ctx.db.transaction(async (tx) => {
    const before = await getTarget(tx, id);
    if (before.paused === paused) return present(before, ctx.identity);
    const [after] = await tx
      .update(scrapeTargets)
      .set({ paused, updatedAt: new Date(), ...(paused ? {} : firstSlot(id, before.intervalSeconds)) })
      .where(eq(scrapeTargets.id, id))
      .returning();
    await audit(tx, ctx, {
      action: paused ? 'scrape_target.pause' : 'scrape_target.resume',
      targetType: 'scrape_target',
      targetId: id,
    });
    return present(after!, ctx.identity);
  });
}

/** Samples already scraped stay in the metrics store; only the schedule goes. */
export async function deleteScrapeTarget(ctx: Ctx, id: string) {
  return ctx.db.transaction(async (tx) => {
    const before = await getTarget(tx, id);
    await tx.delete(scrapeTargets).where(eq(scrapeTargets.id, id));
    await audit(tx, ctx, {
      action: 'scrape_target.delete',
      targetType: 'scrape_target',
      targetId: id,
      before: present(before, null),
    });
    return { id };
  });
}
