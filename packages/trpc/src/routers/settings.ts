import { outboundInput } from '../schemas/outbound';
import { outboundSettings, setOutbound } from '../services/settings';
import { adminProcedure, createTRPCRouter } from '../trpc';

export const settingsRouter = createTRPCRouter({
  /** What checks and scrapes may reach: built-in refusals, Sextant's own ports, the admin's deny and allow lists. */
  outbound: adminProcedure.query(({ ctx }) => outboundSettings(ctx)),
  /** Opening the machine itself to probes is a decision for a signed-in admin (admin work is session-only). */
  setOutbound: adminProcedure.input(outboundInput).mutation(({ ctx, input }) => setOutbound(ctx, input)),
});
