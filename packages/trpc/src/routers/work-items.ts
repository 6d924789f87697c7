import { z } from 'zod';
import {
  workItemBulkStatus,
  workItemCreate,
  workItemImport,
  workItemList,
  workItemPatch,
} from '../schemas/work-items';
import { exportCsv, importWorkItems, previewImport } from '../services/projects/work-item-import';
import {
  createWorkItem,
  deleteWorkItem,
  getWorkItem,
  listWorkItems,
  setWorkItemsStatus,
  updateWorkItem,
} from '../services/projects/work-items';
import { authedProcedure, createTRPCRouter, maintainerProcedure } from '../trpc';

/** Issue 17: a project's work items. Viewers read; maintainers and admins write (requirement 17). */
export const workItemsRouter = createTRPCRouter({
  list: authedProcedure.input(workItemList).query(({ ctx, input }) => listWorkItems(ctx.db, input)),
  get: authedProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getWorkItem(ctx.db, input.id)),
  create: maintainerProcedure.input(workItemCreate).mutation(({ ctx, input }) => createWorkItem(ctx, input)),
  /** A patch: fields left out keep their stored values. */
  update: maintainerProcedure
    .input(z.object({ id: z.uuid(), patch: workItemPatch }))
    .mutation(({ ctx, input }) => updateWorkItem(ctx, input.id, input.patch)),
  delete: maintainerProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => deleteWorkItem(ctx, input.id)),
  setStatus: maintainerProcedure
    .input(workItemBulkStatus)
    .mutation(({ ctx, input }) => setWorkItemsStatus(ctx, input.projectId, input.ids, input.status)),
  /** What `import` would do with this file, row by row; writes nothing (a maintainer's step before importing). */
  importPreview: maintainerProcedure
    .input(workItemImport)
    .mutation(({ ctx, input }) => previewImport(ctx, input)),
  import: maintainerProcedure.input(workItemImport).mutation(({ ctx, input }) => importWorkItems(ctx, input)),
  exportCsv: authedProcedure
    .input(z.object({ projectId: z.uuid() }))
    .query(({ ctx, input }) => exportCsv(ctx.db, input.projectId)),
});
