import {
  deploymentListInput,
  deploymentPromoteInput,
  deploymentReportInput,
  deploymentRollbackInput,
  deploymentTransitionInput,
} from '../schemas/deployments';
import { byId } from '../schemas/refs';
import { deploymentMarkersInput, deploymentTimelineInput } from '../schemas/release-board';
import { deploymentMarkers, deploymentTimeline } from '../services/deployment-markers';
import { rollbackDeployment, rollbackTarget } from '../services/deployment-rollback';
import {
  approveDeployment,
  DEPLOYMENTS_WRITE_ROLE,
  getDeployment,
  listDeployments,
  promoteRelease,
  reportDeployment,
  transitionDeployment,
} from '../services/deployments';
import { authedProcedure, createTRPCRouter, roleProcedure } from '../trpc';

const writer = roleProcedure(DEPLOYMENTS_WRITE_ROLE);

export const deploymentsRouter = createTRPCRouter({
  /** CI's report (requirement 1): idempotent on (service, environment, externalId); also `POST /v1/deployments`. */
  report: writer.input(deploymentReportInput).mutation(({ ctx, input }) => reportDeployment(ctx, input)),
  transition: writer
    .input(deploymentTransitionInput)
    .mutation(({ ctx, input }) => transitionDeployment(ctx, input.id, input.state, input.at)),
  /** Requirement 2: only after success in the previous environment, unless an admin overrides with a reason. */
  promote: writer.input(deploymentPromoteInput).mutation(({ ctx, input }) => promoteRelease(ctx, input)),
  /** Issue 16 point 1: a person other than the releaser lets a deployment waiting for approval go on. */
  approve: roleProcedure(DEPLOYMENTS_WRITE_ROLE, { sessionOnly: true })
    .input(byId)
    .mutation(({ ctx, input }) => approveDeployment(ctx, input.id)),
  /** Issue 16 point 3: chart markers, bounded by range and count. */
  markers: authedProcedure
    .input(deploymentMarkersInput)
    .query(({ ctx, input }) => deploymentMarkers(ctx.db, input)),
  timeline: authedProcedure
    .input(deploymentTimelineInput)
    .query(({ ctx, input }) => deploymentTimeline(ctx.db, input)),
  /** Issue 16 point 3: back to the previous succeeded release where no rollout runs (incident page). */
  rollback: writer
    .input(deploymentRollbackInput)
    .mutation(({ ctx, input }) => rollbackDeployment(ctx, input.deploymentId)),
  rollbackTarget: authedProcedure
    .input(deploymentRollbackInput)
    .query(({ ctx, input }) => rollbackTarget(ctx.db, input.deploymentId)),
  list: authedProcedure.input(deploymentListInput).query(({ ctx, input }) => listDeployments(ctx.db, input)),
  get: authedProcedure.input(byId).query(({ ctx, input }) => getDeployment(ctx.db, input.id)),
});
