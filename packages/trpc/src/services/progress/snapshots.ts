/**
 * Daily scope snapshots (spec D, requirement 16): today's row per project is rewritten from work_items; past days are
 * never written again, so moving an item changes today, not history.
 */
import { type DbOrTx, sql } from '@sextant/db';
import { dayOf } from './core';

/** Today's totals from work_items, upserted for (project, today) only; `where` picks the projects. */
function upsertToday(where: ReturnType<typeof sql>, nowMs: number) {
  const day = dayOf(nowMs);
  // Cancelled items leave the scope; un-estimated ones count the project's default estimate (spec D).
  return sql`
    insert into project_snapshots (project_id, day, scope_count, done_count, scope_points, done_points, unestimated_count, taken_at)
    select p.id, ${day}::date,
      count(w.id) filter (where w.status <> 'cancelled')::int,
      count(w.id) filter (where w.status = 'done')::int,
      coalesce(sum(coalesce(w.estimate, p.default_estimate)) filter (where w.status <> 'cancelled'), 0)::int,
      coalesce(sum(coalesce(w.estimate, p.default_estimate)) filter (where w.status = 'done'), 0)::int,
      count(w.id) filter (where w.status <> 'cancelled' and w.estimate is null)::int,
      ${new Date(nowMs).toISOString()}::timestamptz
    from projects p
    left join work_items w on w.project_id = p.id
    where ${where}
    group by p.id
    on conflict (project_id, day) do update set
      scope_count = excluded.scope_count, done_count = excluded.done_count,
      scope_points = excluded.scope_points, done_points = excluded.done_points,
      unestimated_count = excluded.unestimated_count, taken_at = excluded.taken_at`;
}

/** Rewrites one project's snapshot for today, in the caller's transaction (work item writers call it after a change). */
export async function refreshProjectSnapshot(
  tx: DbOrTx,
  projectId: string,
  nowMs = Date.now(),
): Promise<void> {
  await tx.execute(upsertToday(sql`p.id = ${projectId}::uuid`, nowMs));
}

/** Rewrites today's snapshot of every non-archived project in one statement (the periodic job). */
export async function refreshAllSnapshots(db: DbOrTx, nowMs = Date.now()): Promise<void> {
  await db.execute(upsertToday(sql`p.archived_at is null`, nowMs));
}
