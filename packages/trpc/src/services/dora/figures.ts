/**
 * The DORA four keys of one service or team over one window (spec C3, requirements 13–15). Pure: rows in,
 * figures out. README "DORA figures (calculator)" states the definitions; keep the two in step.
 */
import type { DeploymentState } from '@sextant/db/enums';
import { FINISHED_STATES } from '../../schemas/deployments';
import { bandFor } from './bands';
import { frequencyBucket } from './frequency';
import {
  DEFAULT_DORA_FLOOR,
  type DoraDeployment,
  type DoraFigures,
  type DoraIncident,
  type DoraInput,
  MINUTE_MS,
  WEEK_MS,
} from './types';
import { inWindow, median, windowMs } from './window';

const FINISHED = new Set<DeploymentState>(FINISHED_STATES);

type Finished = DoraDeployment & { finishedAt: Date };

const isFinished = (d: DoraDeployment): d is Finished => d.finishedAt !== null && FINISHED.has(d.state);
const toMinutes = (ms: number | null) => (ms === null ? null : ms / MINUTE_MS);

/**
 * Lead time samples (ms): per service and commit, its first succeeded production deployment minus its commit
 * time, counted in the window that deployment finished in; gaps ≤ 0 (merge pushes, skewed clocks) are dropped.
 */
function leadTimes(succeeded: readonly Finished[], window: DoraInput['window']): number[] {
  const first = new Map<string, { deployedAt: number; committedAt: number }>();
  for (const d of succeeded) {
    for (const c of d.commits) {
      // One service shipping a commit twice counts it once; two services shipping it each count it.
      const key = `${d.serviceId}\u0000${c.sha}`;
      const seen = first.get(key);
      if (!seen || d.finishedAt.getTime() < seen.deployedAt) {
        first.set(key, { deployedAt: d.finishedAt.getTime(), committedAt: c.committedAt.getTime() });
      }
    }
  }
  const gaps: number[] = [];
  for (const { deployedAt, committedAt } of first.values()) {
    const gap = deployedAt - committedAt;
    if (gap > 0 && inWindow(new Date(deployedAt), window)) gaps.push(gap);
  }
  return gaps;
}

/** One incident per id, its links merged, so a join's repeated rows (one per link) count it once. */
function distinctIncidents(rows: readonly DoraIncident[]): DoraIncident[] {
  const byId = new Map<string, DoraIncident>();
  for (const row of rows) {
    const seen = byId.get(row.id);
    byId.set(
      row.id,
      seen
        ? { ...seen, linkedDeploymentIds: [...seen.linkedDeploymentIds, ...row.linkedDeploymentIds] }
        : row,
    );
  }
  return [...byId.values()];
}

export function doraFigures(input: DoraInput): DoraFigures {
  const { window } = input;
  const incidents = distinctIncidents(input.incidents);
  const spanMs = windowMs(window);
  const floor = input.options?.floor ?? DEFAULT_DORA_FLOOR;

  // Requirement 13: everything below reads production deployments only.
  // Keyed by id, so a row repeated by a join (one per linked incident) is still one deployment.
  const byId = new Map<string, Finished>();
  for (const d of input.deployments) {
    if (d.environmentIsProduction && isFinished(d) && !byId.has(d.id)) byId.set(d.id, d);
  }
  const production = [...byId.values()];
  const succeeded = production.filter((d) => d.state === 'succeeded');
  const inside = production.filter((d) => inWindow(d.finishedAt, window));

  // Deployment frequency.
  const deployed = inside.filter((d) => d.state === 'succeeded');
  const dfLow = deployed.length < floor;
  const perWeek = dfLow ? null : (deployed.length * WEEK_MS) / spanMs;

  // Lead time for changes.
  const gaps = leadTimes(succeeded, window);
  const ltLow = gaps.length < floor;
  const ltMedian = ltLow ? null : toMinutes(median(gaps));

  // Change failure rate: a set of deployment ids, so a deployment counts once whatever made it fail.
  const linked = new Set(incidents.flatMap((i) => i.linkedDeploymentIds));
  const failed = new Set(inside.filter((d) => d.state !== 'succeeded' || linked.has(d.id)).map((d) => d.id));
  const cfrLow = inside.length < floor;
  const ratio = cfrLow ? null : failed.size / inside.length;

  // Failed deployment recovery time, over incidents opened in the window.
  const restores: number[] = [];
  const unresolved: string[] = [];
  for (const incident of incidents) {
    if (!inWindow(incident.openedAt, window)) continue;
    if (!incident.resolvedAt) {
      unresolved.push(incident.id);
      continue;
    }
    // fourkeys' rule: from the earlier of the incident's opening and its linked production deployments.
    let start = incident.openedAt.getTime();
    for (const id of incident.linkedDeploymentIds) {
      const d = byId.get(id);
      if (d) start = Math.min(start, d.finishedAt.getTime());
    }
    // Only a resolution stamped before the opening can go negative; like incident times, that reads as zero.
    restores.push(Math.max(0, incident.resolvedAt.getTime() - start));
  }
  const rtLow = restores.length < floor;
  const rtMedian = rtLow ? null : toMinutes(median(restores));

  return {
    deploymentFrequency: {
      count: deployed.length,
      perWeek,
      bucket: dfLow
        ? null
        : frequencyBucket(
            deployed.map((d) => d.finishedAt),
            window,
          ),
      band: bandFor('deploymentFrequency', perWeek),
    },
    leadTime: { count: gaps.length, medianMinutes: ltMedian, band: bandFor('leadTime', ltMedian) },
    changeFailureRate: {
      deployments: inside.length,
      failed: failed.size,
      ratio,
      band: bandFor('changeFailureRate', ratio),
    },
    recoveryTime: {
      count: restores.length,
      medianMinutes: rtMedian,
      unresolved,
      band: bandFor('recoveryTime', rtMedian),
    },
    insufficient: {
      deploymentFrequency: dfLow,
      leadTime: ltLow,
      changeFailureRate: cfrLow,
      recoveryTime: rtLow,
    },
  };
}
