import { alertChartInput, alertListInput, alertRef, alertsForServiceInput } from '../schemas/alerts';
import { alertChart } from '../services/alerting/alert-chart';
import { getAlert, listAlerts, serviceAlerts } from '../services/alerting/alerts';
import { authedProcedure, createTRPCRouter } from '../trpc';

/** Alert instances, read-only: every signed-in role sees every alert (viewers too). One clock per request. */
export const alertsRouter = createTRPCRouter({
  list: authedProcedure
    .input(alertListInput)
    .query(({ ctx, input }) => listAlerts(ctx.db, input, new Date())),
  get: authedProcedure.input(alertRef).query(({ ctx, input }) => getAlert(ctx.db, input, new Date())),
  chart: authedProcedure.input(alertChartInput).query(({ ctx, input }) => alertChart(ctx, input, new Date())),
  forService: authedProcedure
    .input(alertsForServiceInput)
    .query(({ ctx, input }) => serviceAlerts(ctx.db, input.service, new Date())),
});
