/**
 * Where a rollback goes and how (spec A1 rollback windows, requirement 6), pure: the previous good release by
 * default, and steps plus analysis are skipped when it is within the last N releases (Argo's
 * rollbackWindow.revisions, default 3); further back it is treated like a new version (full steps and analysis).
 */
import type { DeploymentState } from '@sextant/db/enums';
import type { AppErrorCode } from '../../error-codes';
import { ROLLOUT_LIMITS } from '../../limits';
import type { ReleaseRef } from '../../schemas/rollouts';

/** Outcomes as the deployments of a release × environment record them; only `succeeded` is a good release. */
export type ReleaseOutcome = DeploymentState;

export interface ReleaseHistoryEntry {
  release: ReleaseRef;
  outcome: ReleaseOutcome;
}

export type RollbackPlan =
  | {
      ok: true;
      to: ReleaseRef;
      skipSteps: boolean;
      /** 1 = the release deployed just before the current one. */
      releasesBack: number;
      reason: string;
    }
  | {
      ok: false;
      code: Extract<AppErrorCode, 'ROLLOUT_NO_PREVIOUS_RELEASE' | 'ROLLOUT_ROLLBACK_NOT_GOOD'>;
      message: string;
    };

/**
 * `history` is this service × environment's deployments, newest first (at most ROLLOUT_LIMITS.rollbackHistory
 * are read); `from` is the release being rolled back; `to` picks a release id instead of the previous good one.
 */
export const rollbackPlan = (
  history: readonly ReleaseHistoryEntry[],
  from: ReleaseRef,
  options: { windowN?: number; to?: string } = {},
): RollbackPlan => {
  const windowN = options.windowN ?? ROLLOUT_LIMITS.defaultRollbackWindow;
  // Distinct releases before the current one, newest first; a redeploy counts once, at its latest place.
  const earlier: ReleaseRef[] = [];
  const good = new Set<string>();
  for (const entry of history.slice(0, ROLLOUT_LIMITS.rollbackHistory)) {
    if (entry.release.id === from.id) continue;
    if (entry.outcome === 'succeeded') good.add(entry.release.id);
    if (!earlier.some((r) => r.id === entry.release.id)) earlier.push(entry.release);
  }
  const index =
    options.to === undefined
      ? earlier.findIndex((r) => good.has(r.id))
      : earlier.findIndex((r) => r.id === options.to);
  if (index < 0) {
    return options.to === undefined
      ? {
          ok: false,
          code: 'ROLLOUT_NO_PREVIOUS_RELEASE',
          message: `No release before ${from.version} succeeded here.`,
        }
      : {
          ok: false,
          code: 'ROLLOUT_NO_PREVIOUS_RELEASE',
          message: `Release ${options.to} was never deployed here.`,
        };
  }
  const to = earlier[index]!;
  if (!good.has(to.id)) {
    return { ok: false, code: 'ROLLOUT_ROLLBACK_NOT_GOOD', message: `${to.version} never succeeded here.` };
  }
  const skipSteps = index < windowN;
  return {
    ok: true,
    to,
    skipSteps,
    releasesBack: index + 1,
    reason: skipSteps
      ? `${to.version} is ${index + 1} release(s) back, within the last ${windowN}: steps and analysis skipped`
      : `${to.version} is ${index + 1} releases back, beyond the last ${windowN}: full steps and analysis`,
  };
};
