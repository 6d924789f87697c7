import { batchSchema, queryInput } from '../schemas/metrics';
import { timeWindow } from '../schemas/time-range';
import { fleet } from '../services/metrics/fleet';
import { METRICS_PUSH_ROLE, pushMetrics } from '../services/metrics/push';
import { runQuery } from '../services/metrics/query';
import { authedProcedure, createTRPCRouter, roleProcedure } from '../trpc';

export const metricsRouter = createTRPCRouter({
  /** Small batches from TypeScript services; high volume goes to `POST /v1/metrics`. Durable before it returns. */
  push: roleProcedure(METRICS_PUSH_ROLE)
    .input(batchSchema)
    .mutation(({ ctx, input }) =>
      pushMetrics(ctx.sql, ctx, input, { action: 'metrics.push', limits: ctx.runtime.metricLimits }),
    ),
  query: authedProcedure.input(queryInput).query(({ ctx, input }) => runQuery(ctx.sql, input)),
  /** Every service × environment with metrics, and its RED figures over the window. */
  fleet: authedProcedure.input(timeWindow).query(({ ctx, input }) => fleet(ctx.sql, input.from, input.to)),
});
