import { listEnvironments, systemInfo } from '../services/system';
import { authedProcedure, createTRPCRouter, publicProcedure } from '../trpc';

export const systemRouter = createTRPCRouter({
  /** Version, uptime, database reachability and migration level; answers even while Postgres is down. */
  info: publicProcedure.query(({ ctx }) => systemInfo(ctx)),
  /** Deployment environments in order; needs the database, so it fails fast with DB_UNAVAILABLE when it is down. */
  environments: authedProcedure.query(({ ctx }) => listEnvironments(ctx)),
});
