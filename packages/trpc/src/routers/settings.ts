import { outboundInput } from '../schemas/outbound';
import { outboundSettings, setOutbound } from '../services/settings';
import { createTRPCRouter, roleProcedure } from '../trpc';

export const settingsRouter = createTRPCRouter({
  /** What checks and scrapes may reach: built-in refusals, Sextant's own ports, the admin's deny and allow lists. */
  outbound: roleProcedure('admin').query(({ ctx }) => outboundSettings(ctx)),
  /** Opening the machine itself to probes is a decision for a signed-in admin (admin work is session-only). */
  setOutbound: roleProcedure('admin')
    .input(outboundInput)
    .mutation(({ ctx, input }) => setOutbound(ctx, input)),
});
