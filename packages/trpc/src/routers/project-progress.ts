import { projectProgressInput, sharedProgressInput } from '../schemas/progress';
import { portfolio, projectProgress } from '../services/progress/reads';
import { sharedProgress } from '../services/progress/shared';
import { authedProcedure, createTRPCRouter, publicProcedure } from '../trpc';

/** Stakeholder reads of project progress (issue 17 point 3): every role reads, nothing writes. */
export const projectProgressRouter = createTRPCRouter({
  /** One project's progress, burn-up, prediction with range, health with the rule that fired, milestones, services. */
  project: authedProcedure
    .input(projectProgressInput)
    .query(({ ctx, input }) => projectProgress(ctx.db, ctx.sql, input.projectId)),
  /** One row per non-archived project: progress, health, next milestone, target vs predicted, services' facts. */
  portfolio: authedProcedure.query(({ ctx }) => portfolio(ctx.db, ctx.sql)),
  /**
   * Public, no sign-in: one project's dashboard through a share link's token, without user emails or ids.
   * Limited per IP by the API's rate limit like every public read (status pages); never cached, so a revoke
   * takes effect on the next call.
   */
  shared: publicProcedure
    .input(sharedProgressInput)
    .query(({ ctx, input }) => sharedProgress(ctx.db, ctx.sql, input.token)),
});
