import { z } from 'zod';
import { retryDelivery } from '../services/notify/outbox';
import { createTRPCRouter, maintainerProcedure } from '../trpc';

export const notificationsRouter = createTRPCRouter({
  /** The dead-letter list's "retry now": the row is pending again with a new max-age window, attempts kept. */
  retry: maintainerProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => retryDelivery(ctx, input.id, Date.now())),
});
