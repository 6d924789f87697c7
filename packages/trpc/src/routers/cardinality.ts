import {
  cardinalityLabelsInput,
  clearLimitInput,
  deleteSeriesInput,
  seriesSelectorInput,
  setLimitInput,
} from '../schemas/cardinality';
import {
  cardinalityOverview,
  deleteSeries,
  metricLabels,
  previewDelete,
} from '../services/metrics/cardinality';
import { clearLimit, setLimit } from '../services/metrics/limits';
import { adminProcedure, createTRPCRouter } from '../trpc';

export const cardinalityRouter = createTRPCRouter({
  /** Top metrics and services by series count, with their limits, new series in 24 h and growth per day. */
  overview: adminProcedure.query(({ ctx }) => cardinalityOverview(ctx.sql, ctx.runtime.metricLimits)),
  /** One metric's labels by distinct values. */
  labels: adminProcedure
    .input(cardinalityLabelsInput)
    .query(({ ctx, input }) => metricLabels(ctx.sql, input.name)),
  /** How many series a delete would remove, with a few of their label sets. */
  previewDelete: adminProcedure
    .input(seriesSelectorInput)
    .query(({ ctx, input }) => previewDelete(ctx.sql, input)),
  /** Deletes a metric's series carrying the given labels if the previewed count still holds (audited). */
  deleteSeries: adminProcedure
    .input(deleteSeriesInput)
    .mutation(({ ctx, input }) => deleteSeries(ctx, input)),
  /** Overrides the series limit of one metric or one service (audited). */
  setLimit: adminProcedure.input(setLimitInput).mutation(({ ctx, input }) => setLimit(ctx, input)),
  /** Removes an override: the configured default applies again (audited). */
  clearLimit: adminProcedure.input(clearLimitInput).mutation(({ ctx, input }) => clearLimit(ctx, input)),
});
