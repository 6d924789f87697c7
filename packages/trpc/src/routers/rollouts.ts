import { byId } from '../schemas/refs';
import {
  rolloutAbortInput,
  rolloutEdgeInput,
  rolloutListInput,
  rolloutReportInput,
  rolloutRollbackInput,
  rolloutStartInput,
} from '../schemas/rollout-procedures';
import {
  desiredState,
  getRollout,
  listRollouts,
  ROLLOUTS_WRITE_ROLE,
  reportApplied,
  rollbackRollout,
  sendEvent,
  startRollout,
} from '../services/rollouts/actions';
import { authedProcedure, createTRPCRouter, roleProcedure } from '../trpc';

const writer = roleProcedure(ROLLOUTS_WRITE_ROLE);

export const rolloutsRouter = createTRPCRouter({
  /** Starts a canary rollout, or supersedes the running one of that service × environment (requirement 7). */
  start: writer.input(rolloutStartInput).mutation(({ ctx, input }) => startRollout(ctx, input)),
  get: authedProcedure.input(byId).query(({ ctx, input }) => getRollout(ctx.db, input.id)),
  list: authedProcedure.input(rolloutListInput).query(({ ctx, input }) => listRollouts(ctx.db, input)),
  /** Requirement 4: one step on; `promoteFull` finishes and audits the skipped steps. */
  promote: writer.input(byId).mutation(({ ctx, input }) => sendEvent(ctx, input.id, { type: 'promote' })),
  promoteFull: writer
    .input(byId)
    .mutation(({ ctx, input }) => sendEvent(ctx, input.id, { type: 'promoteFull' })),
  abort: writer
    .input(rolloutAbortInput)
    .mutation(({ ctx, input }) => sendEvent(ctx, input.id, { type: 'abort', reason: input.reason })),
  /** Requirement 6: an aborted or failed rollout tries its target again from step 1. */
  retry: writer.input(byId).mutation(({ ctx, input }) => sendEvent(ctx, input.id, { type: 'retry' })),
  rollback: writer
    .input(rolloutRollbackInput)
    .mutation(({ ctx, input }) => rollbackRollout(ctx, input.id, input.to)),
  /** The deploy tool's poll (also GET /v1/rollouts/:service/:environment); any signed-in caller or key. */
  desired: authedProcedure.input(rolloutEdgeInput).query(({ ctx, input }) => desiredState(ctx.db, input)),
  /** What the deploy tool applied (also POST /v1/rollouts/:service/:environment/status). */
  report: writer.input(rolloutReportInput).mutation(({ ctx, input }) => reportApplied(ctx, input)),
});
