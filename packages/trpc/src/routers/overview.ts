import { overview } from '../services/overview';
import { authedProcedure, createTRPCRouter } from '../trpc';

export const overviewRouter = createTRPCRouter({
  /** Services by state (not up first) and the latest state changes, for the console's first page. */
  get: authedProcedure.query(({ ctx }) => overview(ctx)),
});
