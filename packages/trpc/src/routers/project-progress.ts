import { projectProgressInput } from '../schemas/progress';
import { portfolio, projectProgress } from '../services/progress/reads';
import { authedProcedure, createTRPCRouter } from '../trpc';

/** Stakeholder reads of project progress (issue 17 point 3): every role reads, nothing writes. */
export const projectProgressRouter = createTRPCRouter({
  /** One project's progress, burn-up, prediction with range, health with the rule that fired, milestones, services. */
  project: authedProcedure
    .input(projectProgressInput)
    .query(({ ctx, input }) => projectProgress(ctx.db, ctx.sql, input.projectId)),
  /** One row per non-archived project: progress, health, next milestone, target vs predicted, services' facts. */
  portfolio: authedProcedure.query(({ ctx }) => portfolio(ctx.db, ctx.sql)),
});
