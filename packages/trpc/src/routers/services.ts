import { SERVICE_TIERS } from '@sextant/db/enums';
import { z } from 'zod';
import { SERVICE_LIMITS } from '../limits';
import { patchOf } from '../schemas/patch';
import { serviceRef } from '../schemas/refs';
import { rangeSchema, serviceInput } from '../schemas/services';
import { monthSchema } from '../schemas/time-range';
import { latencySeries } from '../services/checks';
import {
  createService,
  deleteService,
  getService,
  listServices,
  serviceDetail,
  updateService,
} from '../services/services';
import { uptimeByWindow, uptimeWindows } from '../services/uptime';
import { authedProcedure, createTRPCRouter, maintainerProcedure } from '../trpc';

export const servicesRouter = createTRPCRouter({
  list: authedProcedure
    .input(
      z.object({
        search: z.string().trim().max(SERVICE_LIMITS.searchLength).optional(),
        tier: z.enum(SERVICE_TIERS).optional(),
        page: z.number().int().min(1).max(10_000).default(1),
        pageSize: z.number().int().min(1).max(100).default(25),
      }),
    )
    .query(({ ctx, input }) => listServices(ctx, input)),
  get: authedProcedure
    .input(z.object({ id: serviceRef }))
    .query(({ ctx, input }) => serviceDetail(ctx, input.id, ctx.identity.role)),
  latency: authedProcedure
    .input(z.object({ id: serviceRef, range: rangeSchema }))
    .query(async ({ ctx, input }) =>
      latencySeries(ctx, (await getService(ctx.db, input.id)).id, input.range),
    ),
  /** Time-based uptime for the standard windows, or one calendar month (`YYYY-MM`, UTC). */
  uptime: authedProcedure
    .input(z.object({ id: serviceRef, month: monthSchema.optional() }))
    .query(async ({ ctx, input }) => {
      const { id } = await getService(ctx.db, input.id);
      return (await uptimeByWindow(ctx.sql, { serviceIds: [id] }, uptimeWindows(input.month)))!;
    }),
  create: maintainerProcedure.input(serviceInput).mutation(({ ctx, input }) => createService(ctx, input)),
  /** A patch: fields left out keep their stored values (no defaults filled in). */
  update: maintainerProcedure
    .input(z.object({ id: serviceRef, patch: patchOf(serviceInput) }))
    .mutation(({ ctx, input }) => updateService(ctx, input.id, input.patch)),
  delete: maintainerProcedure
    .input(z.object({ id: serviceRef }))
    .mutation(({ ctx, input }) => deleteService(ctx, input.id)),
});
