import { outboundInput } from '../schemas/outbound';
import { outboundSettings, setOutbound } from '../services/settings';
import { createTRPCRouter, roleProcedure } from '../trpc';

export const settingsRouter = createTRPCRouter({
  /** What checks and scrapes may reach: built-in refusals, Sextant's own ports, the admin's deny and allow lists. */
  outbound: roleProcedure('admin').query(({ ctx }) => outboundSettings(ctx)),
  /** Opening the machine itself to probes is a decision for a signed-in admin, not a script holding a key. */
  setOutbound: roleProcedure('admin', { sessionOnly: true })
    .input(outboundInput)
    .mutation(({ ctx, input }) => setOutbound(ctx, input)),
});
