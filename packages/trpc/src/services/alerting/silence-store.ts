/**
 * Stored silences (`silences`), written here alone; the decisions are the pure functions of silences.ts, each
 * call given the one `now` of its request.
 */
import { and, type DbOrTx, desc, eq, gt, lte, schema, sql } from '@sextant/db';
import type { SQL } from 'drizzle-orm';
import type { ChangeContext, Identity } from '../../context';
import { AppError } from '../../errors';
import type { SilenceRequest } from '../../schemas/alerting-matchers';
import { audit } from '../audit';
import {
  type ExpirePlan,
  planCreate,
  planEdit,
  planExpire,
  type Silence,
  type SilenceDraft,
  type SilenceState,
  silenceState,
} from './silences';

const { silences } = schema;
type Row = typeof silences.$inferSelect;
type Tx = Parameters<Parameters<ChangeContext['db']['transaction']>[0]>[0];

/** Longest history chain `getSilence` walks either way; edits make chains, and no one edits a silence 100 times. */
const MAX_CHAIN = 100;
const LIST_LIMIT = 500;

/** A silence as callers see it: the row and its state at `now`. */
export function presentSilence(row: Row, now: Date) {
  return { ...row, state: silenceState(row, now) };
}

export type StoredSilence = ReturnType<typeof presentSilence>;

/** The author recorded on a silence: the person's name (else email), or the API key's name. */
function authorOf(identity: Identity | null): { createdBy: string; createdByUserId: string | null } {
  if (!identity) throw new AppError('UNAUTHORIZED', 'Sign in or send an API key.');
  return identity.type === 'user'
    ? { createdBy: identity.name || identity.email, createdByUserId: identity.userId }
    : { createdBy: `API key ${identity.name}`, createdByUserId: identity.createdBy };
}

async function getRow(db: DbOrTx, id: string, lock = false): Promise<Row> {
  const query = db.select().from(silences).where(eq(silences.id, id)).limit(1);
  const [row] = await (lock ? query.for('update') : query);
  if (!row) throw new AppError('NOT_FOUND', 'No such silence.', ['id']);
  return row;
}

const asSilence = (row: Row): Silence => row;

async function insertDraft(
  tx: Tx,
  draft: SilenceDraft,
  userId: string | null,
  replacesId: string | null,
  now: Date,
) {
  const [row] = await tx
    .insert(silences)
    .values({ ...draft, createdByUserId: userId, replacesId, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

async function applyExpire(tx: Tx, plan: ExpirePlan, now: Date) {
  const [row] = await tx
    .update(silences)
    .set({ startsAt: plan.startsAt, endsAt: plan.endsAt, updatedAt: now })
    .where(eq(silences.id, plan.id))
    .returning();
  return row!;
}

export function createSilence(ctx: ChangeContext, input: SilenceRequest, now: Date) {
  const author = authorOf(ctx.identity);
  const plan = planCreate({ ...input, createdBy: author.createdBy }, now);
  if (plan.kind !== 'create') throw new Error('planCreate always creates');
  return ctx.db.transaction(async (tx) => {
    const row = await insertDraft(tx, plan.create, author.createdByUserId, null, now);
    await audit(tx, ctx, { action: 'silence.create', targetType: 'silence', targetId: row.id, after: row });
    return presentSilence(row, now);
  });
}

/**
 * Spec A6.4/B19: same matchers and a compatible start update in place; any other change expires the silence and
 * creates its successor (whose `replacesId` is the old id). Returns the silence as it now stands, new id or not.
 */
export function updateSilence(ctx: ChangeContext, id: string, input: SilenceRequest, now: Date) {
  const author = authorOf(ctx.identity);
  return ctx.db.transaction(async (tx) => {
    const before = await getRow(tx, id, true);
    const plan = planEdit(asSilence(before), { ...input, createdBy: author.createdBy }, now);
    if (plan.kind === 'update') {
      const [after] = await tx
        .update(silences)
        .set({ ...plan.set, updatedAt: now })
        .where(eq(silences.id, id))
        .returning();
      await audit(tx, ctx, { action: 'silence.update', targetType: 'silence', targetId: id, before, after });
      return { silence: presentSilence(after!, now), replaced: false };
    }
    if (plan.kind !== 'replace') throw new Error('planEdit never creates from nothing');
    const expired = await applyExpire(tx, plan.expire, now);
    await audit(tx, ctx, {
      action: 'silence.expire',
      targetType: 'silence',
      targetId: id,
      before,
      after: expired,
    });
    const created = await insertDraft(tx, plan.create, author.createdByUserId, id, now);
    await audit(tx, ctx, {
      action: 'silence.create',
      targetType: 'silence',
      targetId: created.id,
      after: created,
    });
    return { silence: presentSilence(created, now), replaced: true };
  });
}

/** Expire (and delete, which is expire); an already expired silence is returned unchanged and not audited. */
export function expireSilence(ctx: ChangeContext, id: string, now: Date) {
  return ctx.db.transaction(async (tx) => {
    const before = await getRow(tx, id, true);
    const plan = planExpire(asSilence(before), now);
    if (!plan) return presentSilence(before, now);
    const after = await applyExpire(tx, plan, now);
    await audit(tx, ctx, { action: 'silence.expire', targetType: 'silence', targetId: id, before, after });
    return presentSilence(after, now);
  });
}

/** SQL for "in state `state` at `now`", the same bounds as silenceState: [startsAt, endsAt). */
function inState(state: SilenceState, now: Date): SQL | undefined {
  if (state === 'pending') return gt(silences.startsAt, now);
  if (state === 'expired') return lte(silences.endsAt, now);
  return and(lte(silences.startsAt, now), gt(silences.endsAt, now));
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Silences in `state` (all when omitted) with a matcher whose text (`label`, op, value) contains `matcher`. */
export async function listSilences(
  db: DbOrTx,
  filter: { state?: SilenceState; matcher?: string },
  now: Date,
) {
  const rows = await db
    .select()
    .from(silences)
    .where(
      and(
        filter.state ? inState(filter.state, now) : undefined,
        filter.matcher
          ? sql`exists (select 1 from jsonb_array_elements(${silences.matchers}) m
              where (m->>'label') || (m->>'op') || (m->>'value') ilike ${likePattern(filter.matcher)})`
          : undefined,
      ),
    )
    .orderBy(desc(silences.endsAt), desc(silences.id))
    .limit(LIST_LIMIT);
  return rows.map((r) => presentSilence(r, now));
}

/**
 * The silences muting at some instant of [`from`, `to`] (what suppression needs; silencedBy picks those active at
 * each instant), oldest first.
 */
export function activeSilences(db: DbOrTx, from: Date, to = from): Promise<Silence[]> {
  return db
    .select()
    .from(silences)
    .where(and(lte(silences.startsAt, to), gt(silences.endsAt, from)))
    .orderBy(silences.startsAt, silences.id);
}

/**
 * One silence and its history: the silences it replaced (oldest first) and those that replaced it (in order),
 * following `replacesId` both ways.
 */
export async function getSilence(db: DbOrTx, id: string, now: Date) {
  const row = await getRow(db, id);
  const before: Row[] = [];
  for (let prev = row.replacesId; prev && before.length < MAX_CHAIN; ) {
    const [r] = await db.select().from(silences).where(eq(silences.id, prev)).limit(1);
    if (!r) break;
    before.unshift(r);
    prev = r.replacesId;
  }
  const after: Row[] = [];
  for (let cur = row.id; after.length < MAX_CHAIN; ) {
    const [r] = await db.select().from(silences).where(eq(silences.replacesId, cur)).limit(1);
    if (!r) break;
    after.push(r);
    cur = r.id;
  }
  const show = (r: Row) => presentSilence(r, now);
  return { silence: show(row), replaced: before.map(show), replacedBy: after.map(show) };
}
