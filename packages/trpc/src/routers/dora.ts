import { doraGetInput, doraOverviewInput } from '../schemas/dora';
import { doraForScope, doraOverview } from '../services/dora-reader';
import { authedProcedure, createTRPCRouter } from '../trpc';

/** The DORA four keys (production only) for stakeholders: every role reads, nothing writes. */
export const doraRouter = createTRPCRouter({
  /** One service (slug or id), one team (services.owner) or everything, over the last 7, 30 or 90 days. */
  get: authedProcedure.input(doraGetInput).query(({ ctx, input }) => doraForScope(ctx.db, input)),
  /** One row per service with the four keys and their counts, for the dashboard's table. */
  overview: authedProcedure
    .input(doraOverviewInput)
    .query(({ ctx, input }) => doraOverview(ctx.db, input.days)),
});
