import { z } from 'zod';
import { statusPageInput, statusPagePatch, statusPageViewInput } from '../schemas/status-pages';
import {
  createStatusPage,
  deleteStatusPage,
  getStatusPage,
  listStatusPages,
  updateStatusPage,
  viewStatusPage,
} from '../services/status-pages';
import { adminProcedure, authedProcedure, createTRPCRouter, publicProcedure } from '../trpc';

export const statusPagesRouter = createTRPCRouter({
  list: authedProcedure.query(({ ctx }) => listStatusPages(ctx.db)),
  get: authedProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getStatusPage(ctx.db, input.id)),
  /** A page decides what the internet sees, so pages are admin work (and so session only). */
  create: adminProcedure.input(statusPageInput).mutation(({ ctx, input }) => createStatusPage(ctx, input)),
  /** A patch: fields left out keep their stored values. */
  update: adminProcedure
    .input(z.object({ id: z.uuid(), page: statusPagePatch }))
    .mutation(({ ctx, input }) => updateStatusPage(ctx, input.id, input.page)),
  delete: adminProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => deleteStatusPage(ctx, input.id)),
  /** What a page shows; anyone for a public page, signed in (session or API key) for a private one. */
  view: publicProcedure.input(statusPageViewInput).query(({ ctx, input }) => viewStatusPage(ctx, input.slug)),
});
