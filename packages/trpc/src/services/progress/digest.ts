/**
 * The weekly project digest (issue 17 point 4): once per project per ISO week, from Monday 08:00 UTC (or the first
 * job tick after it in that week), a mail to every member who wants it and every subscriber, through the project's
 * email integration and the notification outbox. The project_digests row and the outbox rows commit in one
 * transaction; `on conflict do nothing` on the row decides which instance sends, so 3 instances send once.
 */
import type { IntegrationSettings, Sql } from '@sextant/db';
import { type Db, type DbOrTx, schema, sql } from '@sextant/db';
import { DIGEST_LIMITS } from '../../limits';
import { endpointOf } from '../notify/integrations';
import { enqueueDigests } from '../notify/outbox';
import {
  type DigestFigures,
  type DigestIncident,
  type DigestItemList,
  digestIdempotencyKey,
  type ProjectDigest,
} from '../notify/project-digest';
import { addDays, dayOf, msOf, percentagesOf, type SnapshotPoint } from './core';
import { projectProgress } from './reads';

const HOUR_MS = 3_600_000;
const exec = <T>(db: DbOrTx, q: ReturnType<typeof sql>) => db.execute(q) as unknown as Promise<T[]>;

/** Monday (UTC) of the ISO week holding `nowMs`, `YYYY-MM-DD`. */
export function isoWeekStart(nowMs: number): string {
  const today = dayOf(nowMs);
  // getUTCDay: Sunday 0 … Saturday 6; ISO weeks start on Monday.
  return addDays(today, -((new Date(msOf(today)).getUTCDay() + 6) % 7));
}

/** When the week's digests are due: Monday DIGEST_LIMITS.sendHourUtc:00 UTC. */
export const digestDueAtMs = (weekStart: string) => msOf(weekStart) + DIGEST_LIMITS.sendHourUtc * HOUR_MS;

interface Candidate {
  id: string;
  name: string;
  defaultEstimate: number;
  integrationId: string;
  receiverId: string;
  settings: IntegrationSettings;
}

/** Live projects with an email integration whose digest of `weekStart` was not queued yet. */
function candidates(db: DbOrTx, weekStart: string) {
  return exec<Candidate>(
    db,
    sql`select p.id, p.name, p.default_estimate as "defaultEstimate", ri.id as "integrationId",
        ri.receiver_id as "receiverId", ri.settings
      from projects p join receiver_integrations ri on ri.id = p.digest_integration_id and ri.kind = 'email'
      where p.archived_at is null
        and not exists (select 1 from project_digests d where d.project_id = p.id and d.week_start = ${weekStart}::date)
      order by p.id`,
  );
}

/** Members with digest on and subscribers, once each, enabled users only. */
export function digestRecipients(db: DbOrTx, projectId: string) {
  return exec<{ userId: string; email: string }>(
    db,
    sql`select u.id as "userId", u.email from users u
      where u.disabled_at is null and u.id in (
        select user_id from project_members where project_id = ${projectId}::uuid and digest
        union select user_id from project_subscribers where project_id = ${projectId}::uuid)
      order by u.email`,
  );
}

const snapshotAt = (projectId: string, day: string) => sql`
  (select s.day::text as day, s.scope_count as "scopeCount", s.done_count as "doneCount",
    s.scope_points as "scopePoints", s.done_points as "donePoints", s.unestimated_count as "unestimatedCount"
  from project_snapshots s where s.project_id = ${projectId}::uuid and s.day <= ${day}::date
  order by s.day desc limit 1)`;

function figures(s: SnapshotPoint | undefined): DigestFigures | null {
  if (!s) return null;
  const { unestimatedCount: _, ...rest } = s;
  return { ...rest, ...percentagesOf(s) };
}

/** Items whose `at` column falls in [from, to) (cancelled ones excluded): count, points, the first titles. */
async function itemsIn(
  db: DbOrTx,
  p: Candidate,
  at: 'closed_at' | 'created_at',
  from: string,
  to: string,
): Promise<DigestItemList> {
  const status = at === 'closed_at' ? sql`w.status = 'done'` : sql`w.status <> 'cancelled'`;
  const rows = await exec<{ title: string; count: number; points: number }>(
    db,
    sql`select w.title, count(*) over ()::int as count,
        (sum(coalesce(w.estimate, ${p.defaultEstimate}::int)) over ())::int as points
      from work_items w
      where w.project_id = ${p.id}::uuid and ${status}
        and w.${sql.raw(at)} >= ${new Date(msOf(from)).toISOString()}::timestamptz
        and w.${sql.raw(at)} < ${new Date(msOf(to)).toISOString()}::timestamptz
      order by w.${sql.raw(at)}, w.id limit ${DIGEST_LIMITS.listedItems}`,
  );
  return { count: rows[0]?.count ?? 0, points: rows[0]?.points ?? 0, titles: rows.map((r) => r.title) };
}

/** Unresolved incidents touching the project's linked services, newest first. */
async function openIncidents(db: DbOrTx, projectId: string) {
  const rows = await exec<DigestIncident & { open: number }>(
    db,
    sql`select i.title, i.severity, i.status, i.started_at as "startedAt",
        array_agg(distinct s.name order by s.name) as services, count(*) over ()::int as open
      from project_services ps
      join incident_impacts ii on ii.service_id = ps.service_id
      join incidents i on i.id = ii.incident_id and i.resolved_at is null
      join services s on s.id = ps.service_id
      where ps.project_id = ${projectId}::uuid
      group by i.id order by i.started_at desc, i.id limit ${DIGEST_LIMITS.listedIncidents}`,
  );
  return {
    open: rows[0]?.open ?? 0,
    shown: rows.map(({ open: _, startedAt, ...r }) => ({
      ...r,
      startedAt: new Date(startedAt).toISOString(),
    })),
  };
}

/**
 * What a project's digest of `weekStart` says, to everyone alike: the 7 days before that Monday. Percentages are the
 * progress core's, from the snapshots at the end of the day before and of the last day; health is the dashboard's.
 */
export async function digestContent(
  db: DbOrTx,
  pg: Sql,
  p: Candidate,
  weekStart: string,
  nowMs: number,
  publicUrl: string,
): Promise<Omit<ProjectDigest, 'idempotencyKey' | 'to'>> {
  const from = addDays(weekStart, -7);
  const to = addDays(weekStart, -1);
  const [[snaps], done, added, incidents, progress] = await Promise.all([
    exec<{ before: SnapshotPoint | null; after: SnapshotPoint | null }>(
      db,
      sql`select (select row_to_json(b) from ${snapshotAt(p.id, addDays(from, -1))} b) as before,
        (select row_to_json(a) from ${snapshotAt(p.id, to)} a) as after`,
    ),
    itemsIn(db, p, 'closed_at', from, weekStart),
    itemsIn(db, p, 'created_at', from, weekStart),
    openIncidents(db, p.id),
    projectProgress(db, pg, p.id, new Date(nowMs)),
  ]);
  return {
    type: 'project_digest',
    project: { id: p.id, name: p.name },
    week: { start: weekStart, from, to },
    progress: { before: figures(snaps?.before ?? undefined), after: figures(snaps?.after ?? undefined) },
    done,
    added,
    health: {
      health: progress.health.health,
      rules: progress.health.rules.map((r) => ({ id: r.id, text: r.text })),
    },
    incidents,
    link: `${publicUrl.replace(/\/+$/, '')}/projects/${p.id}`,
  };
}

/**
 * The job: queues this ISO week's digest of every project that has an email integration and none queued yet, once
 * the week's send time has come. Returns the projects it queued and the outbox rows it added.
 */
export async function sendWeeklyDigests(
  db: Db,
  pg: Sql,
  o: { nowMs: number; publicUrl: string },
): Promise<{ projects: number; queued: number }> {
  const weekStart = isoWeekStart(o.nowMs);
  const out = { projects: 0, queued: 0 };
  if (o.nowMs < digestDueAtMs(weekStart)) return out;
  for (const p of await candidates(db, weekStart)) {
    const [content, recipients] = await Promise.all([
      digestContent(db, pg, p, weekStart, o.nowMs, o.publicUrl),
      digestRecipients(db, p.id),
    ]);
    const endpoint = endpointOf({
      id: p.integrationId,
      kind: 'email',
      settings: p.settings,
      secrets: {},
      sendResolved: true,
    });
    const queued = await db.transaction(async (tx) => {
      // The week's row decides: whoever inserts it sends; a concurrent instance waits for that commit, then skips.
      const claimed = await tx
        .insert(schema.projectDigests)
        .values({ projectId: p.id, weekStart, recipients: recipients.length, queuedAt: new Date(o.nowMs) })
        .onConflictDoNothing()
        .returning();
      if (claimed.length === 0) return null;
      return enqueueDigests(
        tx,
        recipients.map((r) => ({
          receiverId: p.receiverId,
          integrationId: p.integrationId,
          userId: r.userId,
          endpoint,
          createdAt: o.nowMs,
          payload: {
            ...content,
            idempotencyKey: digestIdempotencyKey(p.id, weekStart, r.userId),
            to: r.email,
          },
        })),
      );
    });
    if (queued === null) continue;
    out.projects += 1;
    out.queued += queued;
  }
  return out;
}
