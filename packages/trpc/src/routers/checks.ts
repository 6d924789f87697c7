import { z } from 'zod';
import { AppError } from '../errors';
import { checkInput, checkPatch } from '../schemas/checks';
import { serviceRef } from '../schemas/refs';
import { monthSchema } from '../schemas/time-range';
import { createCheck, deleteCheck, setCheckPaused, updateCheck } from '../services/checks';
import { uptimeByWindow, uptimeWindows } from '../services/uptime';
import { authedProcedure, createTRPCRouter, maintainerProcedure } from '../trpc';
import { pauseAndDelete } from './monitor-procedures';

export const checksRouter = createTRPCRouter({
  /** One check's (or heartbeat's) time-based uptime for the standard windows and optionally a month. */
  uptime: authedProcedure
    .input(z.object({ id: z.uuid(), month: monthSchema.optional() }))
    .query(async ({ ctx, input }) => {
      const figures = await uptimeByWindow(ctx.sql, { monitorId: input.id }, uptimeWindows(input.month));
      if (!figures) throw new AppError('NOT_FOUND', 'No such check or heartbeat.');
      return figures;
    }),
  create: maintainerProcedure
    .input(z.object({ service: serviceRef, check: checkInput }))
    .mutation(({ ctx, input }) => createCheck(ctx, input.service, input.check)),
  /** A patch: fields left out keep their stored values. */
  update: maintainerProcedure
    .input(z.object({ id: z.uuid(), check: checkPatch }))
    .mutation(({ ctx, input }) => updateCheck(ctx, input.id, input.check)),
  ...pauseAndDelete(setCheckPaused, deleteCheck),
});
