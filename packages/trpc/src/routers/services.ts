import { z } from 'zod';
import { rangeSchema, serviceInput } from '../schemas/monitoring';
import {
  createService,
  deleteService,
  getService,
  listServices,
  serviceDetail,
  updateService,
} from '../services/catalog';
import { latencySeries } from '../services/checks';
import { serviceUptime } from '../services/uptime';
import { authedProcedure, createTRPCRouter, roleProcedure } from '../trpc';

const idOrSlug = z.string().trim().min(1).max(100);
const maintainer = roleProcedure('maintainer');

const WINDOWS = {
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
  '90d': 90 * 86_400_000,
} as const;

export const servicesRouter = createTRPCRouter({
  list: authedProcedure
    .input(
      z.object({
        search: z.string().trim().max(100).optional(),
        tier: z.enum(['critical', 'standard', 'experimental']).optional(),
        page: z.number().int().min(1).max(10_000).default(1),
        pageSize: z.number().int().min(1).max(100).default(25),
      }),
    )
    .query(({ ctx, input }) => listServices(ctx, input)),
  get: authedProcedure
    .input(z.object({ id: idOrSlug }))
    .query(({ ctx, input }) => serviceDetail(ctx, input.id, ctx.identity.role)),
  latency: authedProcedure
    .input(z.object({ id: idOrSlug, range: rangeSchema }))
    .query(async ({ ctx, input }) =>
      latencySeries(ctx, (await getService(ctx.db, input.id)).id, input.range),
    ),
  /** Time-based uptime for the standard windows, or one calendar month (`YYYY-MM`, UTC). */
  uptime: authedProcedure
    .input(
      z.object({
        id: idOrSlug,
        month: z
          .string()
          .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
          .optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const { id } = await getService(ctx.db, input.id);
      const now = Date.now();
      const windows: Record<string, { from: Date; to: Date }> = Object.fromEntries(
        Object.entries(WINDOWS).map(([k, ms]) => [k, { from: new Date(now - ms), to: new Date(now) }]),
      );
      if (input.month) {
        const [y, m] = input.month.split('-').map(Number) as [number, number];
        windows[input.month] = { from: new Date(Date.UTC(y, m - 1, 1)), to: new Date(Date.UTC(y, m, 1)) };
      }
      const entries = await Promise.all(
        Object.entries(windows).map(
          async ([k, w]) => [k, (await serviceUptime(ctx.sql, [id], w)).get(id)!] as const,
        ),
      );
      return Object.fromEntries(entries);
    }),
  create: maintainer.input(serviceInput).mutation(({ ctx, input }) => createService(ctx, input)),
  update: maintainer
    .input(z.object({ id: idOrSlug, patch: serviceInput.partial() }))
    .mutation(({ ctx, input }) => updateService(ctx, input.id, input.patch)),
  delete: maintainer
    .input(z.object({ id: idOrSlug }))
    .mutation(({ ctx, input }) => deleteService(ctx, input.id)),
});
