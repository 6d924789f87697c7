import { publicStatus } from '../services/status';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const statusRouter = createTRPCRouter({
  /** Public, no sign-in: what the status page shows and nothing more. */
  get: publicProcedure.query(({ ctx }) => publicStatus(ctx)),
});
