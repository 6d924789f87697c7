import { cardinalityLabelsInput } from '../schemas/cardinality';
import { cardinalityOverview, metricLabels } from '../services/metrics/cardinality';
import { adminProcedure, createTRPCRouter } from '../trpc';

export const cardinalityRouter = createTRPCRouter({
  /** Top metrics and services by series count, new series per day, and the configured limits. */
  overview: adminProcedure.query(({ ctx }) => cardinalityOverview(ctx.sql, ctx.runtime.metricLimits)),
  /** One metric's labels by distinct values. */
  labels: adminProcedure
    .input(cardinalityLabelsInput)
    .query(({ ctx, input }) => metricLabels(ctx.sql, input.name)),
});
