import { systemInfo } from '../services/system';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const systemRouter = createTRPCRouter({
  /** Version, uptime, database reachability and migration level; answers even while Postgres is down. */
  info: publicProcedure.query(({ ctx }) => systemInfo(ctx)),
});
