import { asc, type DbOrTx, eq, followingSlot, type Queries, type Sql, schema } from '@sextant/db';
import type { ChangeContext, Context } from '../context';
import { AppError, findCode } from '../errors';
import { applyPatch } from '../schemas/apply-patch';
import { type ScrapeTargetInput, type ScrapeTargetPatch, scrapeTargetInput } from '../schemas/scrape-targets';
import { maskConfig, restoreSecrets, withChangedSecrets } from '../schemas/secrets';
import { audit, deleteAudited, setPausedAudited } from './audit';
import { getService } from './services';
import { assertTargetAllowed, urlTarget } from './settings';
import { assertEnvironment, dueRows, firstSlot, leaseTo, newScheduledRow, slotAfterEdit } from './slots';

const { scrapeTargets } = schema;
type Ctx = ChangeContext & Pick<Context, 'runtime'>;
type Row = typeof scrapeTargets.$inferSelect;

async function getScrapeTarget(db: DbOrTx, id: string) {
  const [row] = await db.select().from(scrapeTargets).where(eq(scrapeTargets.id, id)).limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such scrape target.');
  return row;
}

/** What a caller may see: lease bookkeeping is internal, and the URL's secrets are masked for everyone. */
function present(row: Row) {
  const { leaseOwner: _o, leaseUntil: _u, ...rest } = row;
  const { config, masked } = maskConfig({ url: row.url });
  return { ...rest, url: config.url, masked };
}

/** The same rules as checks: masks keep the stored secrets (same origin only), literal targets are vetted now. */
async function prepare(ctx: Ctx, tx: DbOrTx, input: ScrapeTargetInput, stored: Row | null) {
  await assertEnvironment(tx, input.environmentId);
  const { url } = restoreSecrets({ url: input.url }, stored);
  const target = urlTarget(url);
  if (target) await assertTargetAllowed({ ...ctx, db: tx as Context['db'] }, target.host, target.port);
  return { ...input, url };
}

function duplicate(err: unknown): never {
  if (findCode(err) === '23505')
    throw new AppError('CONFLICT', 'This endpoint is already scraped in that environment.', [
      'target',
      'url',
    ]);
  throw err;
}

export async function listScrapeTargets(ctx: Ctx, serviceIdOrSlug: string) {
  const service = await getService(ctx.db, serviceIdOrSlug);
  const rows = await ctx.db
    .select()
    .from(scrapeTargets)
    .where(eq(scrapeTargets.serviceId, service.id))
    .orderBy(asc(scrapeTargets.url));
  return rows.map(present);
}

export async function createScrapeTarget(ctx: Ctx, serviceIdOrSlug: string, input: ScrapeTargetInput) {
  return ctx.db
    .transaction(async (tx) => {
      const service = await getService(tx, serviceIdOrSlug);
      const values = await prepare(ctx, tx, input, null);
      const [row] = await tx.insert(scrapeTargets).values(newScheduledRow(service.id, values)).returning();
      await audit(tx, ctx, {
        action: 'scrape_target.create',
        targetType: 'scrape_target',
        targetId: row!.id,
        after: present(row!),
      });
      return present(row!);
    })
    .catch(duplicate);
}

export async function updateScrapeTarget(ctx: Ctx, id: string, patch: ScrapeTargetPatch) {
  return ctx.db
    .transaction(async (tx) => {
      const before = await getScrapeTarget(tx, id);
      const input = applyPatch(scrapeTargetInput, before, patch, ['target']);
      const values = await prepare(ctx, tx, input, before);
      const [after] = await tx
        .update(scrapeTargets)
        .set({ ...values, ...slotAfterEdit(id, before, input), updatedAt: new Date() })
        .where(eq(scrapeTargets.id, id))
        .returning();
      const shown = present(after!);
      await audit(tx, ctx, {
        action: 'scrape_target.update',
        targetType: 'scrape_target',
        targetId: id,
        before: present(before),
        after: withChangedSecrets(shown, { url: before.url }, { url: after!.url }),
      });
      return shown;
    })
    .catch(duplicate);
}

const auditedTargets = { type: 'scrape_target', get: getScrapeTarget, show: present };

export function setScrapeTargetPaused(ctx: Ctx, id: string, paused: boolean) {
  return setPausedAudited(ctx, auditedTargets, id, paused, async (tx, before, now) => {
    const [after] = await tx
      .update(scrapeTargets)
      .set({ paused, updatedAt: now, ...(paused ? {} : firstSlot(id, before.intervalSeconds)) })
      .where(eq(scrapeTargets.id, id))
      .returning();
    return after!;
  });
}

/** Samples already scraped stay in the metrics store; only the schedule goes. */
export function deleteScrapeTarget(ctx: Ctx, id: string) {
  return deleteAudited(ctx, auditedTargets, id, (tx) =>
    tx.delete(scrapeTargets).where(eq(scrapeTargets.id, id)),
  );
}

// --- runs: the scrape scheduler's claims and each scrape's slot ---

export interface ClaimedScrapeTarget {
  id: string;
  url: string;
  labels: Record<string, string>;
  dropPrefix: string | null;
  service: string;
  environment: string;
  intervalSeconds: number;
  timeoutMs: number;
  phaseOffsetMs: number;
  nextRunAt: Date;
}

/** Leases up to `limit` due targets to `instance`, as checks are claimed. */
export function claimDueScrapeTargets(sql: Sql, instance: string, limit: number, leaseMarginMs: number) {
  return sql<ClaimedScrapeTarget[]>`
    with due as (${dueRows(sql, 'scrape_targets', limit)})
    update scrape_targets t set ${leaseTo(sql, instance, leaseMarginMs)}
    from due, services s, environments e
    where t.id = due.id and s.id = t.service_id and e.id = t.environment_id
    returning t.id, t.url, t.labels, t.drop_prefix as "dropPrefix", s.slug as service, e.name as environment, t.interval_seconds as "intervalSeconds",
      t.timeout_ms as "timeoutMs", t.phase_offset_ms as "phaseOffsetMs", t.next_run_at as "nextRunAt"`;
}

/** The scrape's lease was lost (the target changed or was taken over): nothing of the run may be stored. */
export class LostLease extends Error {}

/**
 * Moves the schedule past a scrape and notes its outcome, inside the samples' transaction, guarded by the
 * slot and lease this instance claimed; throws LostLease so the samples roll back with it.
 */
export async function completeScrape(
  tx: Queries,
  target: ClaimedScrapeTarget,
  outcome: { durationMs: number; samples: number; error: string | null },
  startedAt: Date,
  instance: string,
) {
  const next = new Date(
    followingSlot(target.nextRunAt.getTime(), Date.now(), target.intervalSeconds, target.phaseOffsetMs),
  );
  const moved = await tx`
    update scrape_targets set next_run_at = ${next}, lease_owner = null, lease_until = null,
      last_scrape_at = ${startedAt}, last_duration_ms = ${outcome.durationMs}, last_samples = ${outcome.samples},
      last_error = ${outcome.error}
    where id = ${target.id} and lease_owner = ${instance}
      and date_trunc('milliseconds', next_run_at) = ${target.nextRunAt}`;
  if (moved.count === 0) throw new LostLease();
}
