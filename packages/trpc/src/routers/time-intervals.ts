import { z } from 'zod';
import { timeIntervalInput } from '../schemas/time-intervals';
import {
  createTimeInterval,
  deleteTimeInterval,
  getTimeInterval,
  listTimeIntervals,
  updateTimeInterval,
} from '../services/notify/time-interval-store';
import { authedProcedure, createTRPCRouter, maintainerProcedure } from '../trpc';

const byId = z.object({ id: z.uuid() });

export const timeIntervalsRouter = createTRPCRouter({
  list: authedProcedure.query(({ ctx }) => listTimeIntervals(ctx.db)),
  get: authedProcedure.input(byId).query(({ ctx, input }) => getTimeInterval(ctx.db, input.id)),
  create: maintainerProcedure
    .input(timeIntervalInput)
    .mutation(({ ctx, input }) => createTimeInterval(ctx, input)),
  update: maintainerProcedure
    .input(z.object({ id: z.uuid(), interval: timeIntervalInput }))
    .mutation(({ ctx, input }) => updateTimeInterval(ctx, input.id, input.interval)),
  delete: maintainerProcedure.input(byId).mutation(({ ctx, input }) => deleteTimeInterval(ctx, input.id)),
});
