import { z } from 'zod';
import {
  maintenanceInput,
  maintenanceListInput,
  maintenancePatch,
  maintenancePreviewInput,
} from '../schemas/maintenances';
import { byId } from '../schemas/refs';
import {
  cancelMaintenance,
  createMaintenance,
  getMaintenanceDetail,
  listMaintenances,
  previewMaintenance,
  updateMaintenance,
} from '../services/maintenances';
import { authedProcedure, createTRPCRouter, maintainerProcedure } from '../trpc';

export const maintenancesRouter = createTRPCRouter({
  /** Windows that are active, upcoming or past, with the occurrence that makes them so. */
  list: authedProcedure
    .input(maintenanceListInput)
    .query(({ ctx, input }) => listMaintenances(ctx.db, input.state)),
  /** One window with its targets and next occurrences. */
  get: authedProcedure.input(byId).query(({ ctx, input }) => getMaintenanceDetail(ctx.db, input.id)),
  /** A schedule's next occurrences before it is saved; for the forms of those who may save one. */
  preview: maintainerProcedure.input(maintenancePreviewInput).query(({ input }) => previewMaintenance(input)),
  create: maintainerProcedure
    .input(maintenanceInput)
    .mutation(({ ctx, input }) => createMaintenance(ctx, input)),
  /** A patch: fields left out keep their stored values. */
  update: maintainerProcedure
    .input(z.object({ id: z.uuid(), maintenance: maintenancePatch }))
    .mutation(({ ctx, input }) => updateMaintenance(ctx, input.id, input.maintenance)),
  cancel: maintainerProcedure.input(byId).mutation(({ ctx, input }) => cancelMaintenance(ctx, input.id)),
});
