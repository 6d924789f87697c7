/** Builders for the DORA calculator's tests: plain rows, times in UTC. */
import type { DeploymentState } from '@sextant/db/enums';
import type { DoraCommit, DoraDeployment, DoraIncident } from '../../src/services/dora/types';

/** 2030-03-<day> at hh:mm UTC. */
export const mar = (day: number, hh = 12, mm = 0) => new Date(Date.UTC(2030, 2, day, hh, mm));

export const commit = (sha: string, committedAt: Date): DoraCommit => ({ sha, committedAt });

export function deploy(
  id: string,
  finishedAt: Date | null,
  state: DeploymentState = 'succeeded',
  commits: DoraCommit[] = [],
  over: Partial<DoraDeployment> = {},
): DoraDeployment {
  return { id, serviceId: 'svc', environmentIsProduction: true, state, finishedAt, commits, ...over };
}

/** The same deployment row in a non-production environment (FAT). */
export const fat = (...args: Parameters<typeof deploy>): DoraDeployment => ({
  ...deploy(...args),
  environmentIsProduction: false,
});

export const incident = (
  id: string,
  openedAt: Date,
  resolvedAt: Date | null,
  linkedDeploymentIds: string[] = [],
): DoraIncident => ({ id, openedAt, resolvedAt, linkedDeploymentIds });

/** March 1–30, 2030: [Mar 1 00:00, Mar 31 00:00), the 30-day window ending Mar 31. */
export const MARCH = { from: mar(1, 0), to: mar(31, 0) };

/**
 * Requirement 15's fixture: 12 production deployments at noon on March 1–12; d4 failed, d7 rolled back, d10
 * succeeded but two incidents name it. Lead times (minutes) are in the comments; see the test for the sums.
 */
export const REQ15_DEPLOYMENTS: DoraDeployment[] = [
  deploy('d1', mar(1), 'succeeded', [commit('c1', mar(1, 11))]), // c1 60
  deploy('d2', mar(2), 'succeeded', [commit('c1', mar(1, 11)), commit('c2', mar(2, 10))]), // c1 again; c2 120
  deploy('d3', mar(3), 'succeeded', [commit('c3', mar(3, 11, 30)), commit('m3', mar(3))]), // c3 30; m3 0
  deploy('d4', mar(4), 'failed', [commit('c4', mar(4, 8))]), // failed: not c4's first deployment
  deploy('d5', mar(5), 'succeeded', [commit('c4', mar(4, 8)), commit('c5', mar(5, 11))]), // c4 1680; c5 60
  deploy('d6', mar(6), 'succeeded', [commit('c6', mar(5)), commit('c6b', mar(6, 9))]), // c6 1440; c6b 180
  deploy('d7', mar(7), 'rolled_back', [commit('c7', mar(7, 11))]), // rolled back: not c7's first
  deploy('d8', mar(8), 'succeeded', [commit('c7', mar(7, 11)), commit('c8', mar(8, 12, 10))]), // c7 1500; c8 −10
  deploy('d9', mar(9), 'succeeded', [commit('c9', mar(9, 9))]), // c9 180
  deploy('d10', mar(10), 'succeeded', [commit('c10', mar(10, 11, 45))]), // c10 15
  deploy('d11', mar(11), 'succeeded', [commit('c11', mar(11, 10, 30))]), // c11 90
  deploy('d12', mar(12), 'succeeded', [commit('c12', mar(12, 11))]), // c12 60
];

export const REQ15_INCIDENTS: DoraIncident[] = [
  incident('i1', mar(10, 12, 20), mar(10, 13), ['d10']), // from d10 12:00 → 60
  incident('i2', mar(10, 12, 30), mar(10, 14), ['d10']), // from d10 12:00 → 120
  incident('i3', mar(4, 12, 10), mar(4, 12, 40), ['d4']), // from d4 12:00 → 40
  incident('i4', mar(15, 8), mar(15, 9, 30)), // no link: from opening → 90
  incident('i5', mar(20, 10), null), // unresolved
];
