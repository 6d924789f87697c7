/** Inputs of `rollouts.*` and the REST edge (requirements 3–7); zod only, shared with the console and the REST routes. */
import { z } from 'zod';
import { ROLLOUT_LIMITS as L } from '../limits';
import { environmentRef, releaseVersion } from './deployments';
import { intIn } from './int';
import { byId, serviceRef } from './refs';
import { rolloutSteps } from './rollouts';

/** Rolls `release` (a version of the service) out to one environment; a running rollout there is superseded. */
export const rolloutStartInput = z.object({
  service: serviceRef,
  environment: environmentRef,
  release: releaseVersion,
  steps: rolloutSteps,
  /** State-change webhooks go to this receiver's webhook integrations. */
  receiverId: z.uuid().optional(),
});
export type RolloutStartInput = z.output<typeof rolloutStartInput>;

export const rolloutAbortInput = byId.extend({
  reason: z.string().trim().min(1).max(L.reasonLength).optional(),
});

/** `to` picks a release id instead of the previous good one. */
export const rolloutRollbackInput = byId.extend({ to: z.uuid().optional() });

export const rolloutListInput = z.object({
  service: serviceRef.optional(),
  environment: environmentRef.optional(),
  limit: intIn({ min: 1, max: 100 }).default(50),
});

/** A service × environment, as the deploy tool names it (`rollouts.desired`, GET /v1/rollouts/:service/:env). */
export const rolloutEdgeInput = z.object({ service: serviceRef, environment: environmentRef });

/** What the deploy tool says it applied (`rollouts.report`, POST /v1/rollouts/:service/:env/status). */
export const rolloutReportInput = rolloutEdgeInput.extend({
  version: releaseVersion,
  weight: intIn(L.weight),
});
export type RolloutReportInput = z.output<typeof rolloutReportInput>;
