/**
 * The read behind a project's share link (issue 17 point 3): the same figures as `progress.project`, for people
 * outside Sextant, without what only signed-in people may see. Left out: every user id and email (the owner and
 * the update's author appear only by a name they set, else not at all), project, service and update ids, service
 * slugs, milestone ids, and the ids of unresolved incidents inside DORA figures (their count stays). Every object
 * is rebuilt from named fields, so a column a read adds later does not reach outsiders by accident.
 */
import { type DbOrTx, type Sql, sql } from '@sextant/db';
import { resolveShareLink } from '../projects/share-links';
import type { MilestoneProgress, Totals } from './core';
import { projectProgress } from './reads';
import type { ServiceFacts } from './reliability';

/** A person's own name, never their email: null when none is set. */
async function ownNames(db: DbOrTx, projectId: string, updateId: string | null) {
  const [row] = (await db.execute(sql`
    select (select nullif(trim(u.name), '') from projects p join users u on u.id = p.owner_user_id
              where p.id = ${projectId}::uuid) as owner,
           (select nullif(trim(u.name), '') from project_updates pu join users u on u.id = pu.author_user_id
              where pu.id = ${updateId}::uuid) as author`)) as unknown as {
    owner: string | null;
    author: string | null;
  }[];
  return row ?? { owner: null, author: null };
}

/** A service's facts without its id, slug or the ids of its unresolved incidents. */
function outsiderFacts(s: ServiceFacts) {
  const d = s.dora;
  return {
    name: s.name,
    uptime30d: s.uptime30d,
    openIncidents: s.openIncidents,
    lastProductionDeployment: s.lastProductionDeployment,
    dora: d
      ? {
          deploymentFrequency: d.deploymentFrequency,
          leadTime: d.leadTime,
          changeFailureRate: d.changeFailureRate,
          recoveryTime: {
            count: d.recoveryTime.count,
            medianMinutes: d.recoveryTime.medianMinutes,
            band: d.recoveryTime.band,
            unresolvedCount: d.recoveryTime.unresolved.length,
          },
          insufficient: d.insufficient,
        }
      : null,
  };
}

const totalsOf = (t: Totals): Totals => ({
  scopeCount: t.scopeCount,
  doneCount: t.doneCount,
  scopePoints: t.scopePoints,
  donePoints: t.donePoints,
  unestimatedCount: t.unestimatedCount,
});

function outsiderMilestone(m: MilestoneProgress) {
  return {
    name: m.name,
    dueDate: m.dueDate,
    position: m.position,
    byCount: m.byCount,
    byEstimate: m.byEstimate,
    totals: totalsOf(m.totals),
    open: m.open,
    predictedDate: m.predictedDate,
    risk: m.risk,
  };
}

/** SHARE_LINK_INVALID for an unknown, expired or revoked token; read afresh on every call (nothing cached). */
export async function sharedProgress(db: DbOrTx, pg: Sql, token: string, now = new Date()) {
  const { projectId } = await resolveShareLink(db, token);
  const full = await projectProgress(db, pg, projectId, now);
  const names = await ownNames(db, projectId, full.latestUpdate?.id ?? null);
  const { project, latestUpdate, services } = full;
  return {
    today: full.today,
    totals: totalsOf(full.totals),
    percent: full.percent,
    lastDoneDay: full.lastDoneDay,
    prediction: full.prediction,
    health: full.health,
    burnUp: full.burnUp,
    milestones: full.milestones.map(outsiderMilestone),
    nextMilestone: full.nextMilestone ? outsiderMilestone(full.nextMilestone) : null,
    atRisk: full.atRisk.map(outsiderMilestone),
    overdue: {
      total: full.overdue.total,
      items: full.overdue.items.map((i) => ({ title: i.title, dueDate: i.dueDate, status: i.status })),
    },
    project: {
      name: project.name,
      startDate: project.startDate,
      targetDate: project.targetDate,
      owner: names.owner ? { name: names.owner } : null,
      settings: project.settings,
    },
    latestUpdate: latestUpdate
      ? {
          health: latestUpdate.health,
          note: latestUpdate.note,
          createdAt: latestUpdate.createdAt,
          author: names.author,
        }
      : null,
    services: services.map(outsiderFacts),
  };
}
