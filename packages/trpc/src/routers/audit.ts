import { z } from 'zod';
import { boundedDate } from '../schemas/time-range';
import { listAudit, listAuditActions } from '../services/audit';
import { adminProcedure, createTRPCRouter } from '../trpc';

export const auditRouter = createTRPCRouter({
  /** Read-only by design: no procedure updates or deletes audit rows. */
  list: adminProcedure
    .input(
      z.object({
        actor: z.string().trim().max(254).optional(),
        action: z.string().trim().max(100).optional(),
        targetType: z.string().trim().max(50).optional(),
        targetId: z.string().trim().max(100).optional(),
        // A filter paged by `limit`, so any span inside the date bounds is cheap.
        from: boundedDate.optional(),
        to: boundedDate.optional(),
        cursor: z.object({ at: boundedDate, id: z.number().int() }).optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => listAudit(ctx.db, input)),
  /** The actions in the trail, for the filter's suggestions. */
  actions: adminProcedure.query(({ ctx }) => listAuditActions(ctx.sql)),
});
