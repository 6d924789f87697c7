import { cardinalityLabelsInput, deleteSeriesInput } from '../schemas/cardinality';
import { cardinalityOverview, deleteSeries, metricLabels } from '../services/metrics/cardinality';
import { adminProcedure, createTRPCRouter } from '../trpc';

export const cardinalityRouter = createTRPCRouter({
  /** Top metrics and services by series count, new series per day, and the configured limits. */
  overview: adminProcedure.query(({ ctx }) => cardinalityOverview(ctx.sql, ctx.runtime.metricLimits)),
  /** One metric's labels by distinct values. */
  labels: adminProcedure
    .input(cardinalityLabelsInput)
    .query(({ ctx, input }) => metricLabels(ctx.sql, input.name)),
  /** Deletes a metric's series carrying the given labels (audited); their samples age out with retention. */
  deleteSeries: adminProcedure
    .input(deleteSeriesInput)
    .mutation(({ ctx, input }) => deleteSeries(ctx, input)),
});
