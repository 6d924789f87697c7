import { z } from 'zod';
import { getDenyNetworks, setDenyNetworks } from '../services/settings';
import { createTRPCRouter, roleProcedure } from '../trpc';

const CIDR =
  /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\/(?:3[0-2]|[12]?\d)$|^[0-9a-fA-F:]+\/(?:12[0-8]|1[01]\d|\d?\d)$/;

export const settingsRouter = createTRPCRouter({
  denyNetworks: roleProcedure('admin').query(({ ctx }) => getDenyNetworks(ctx.db)),
  setDenyNetworks: roleProcedure('admin')
    .input(
      z.object({
        networks: z.array(z.string().trim().regex(CIDR, 'Use CIDR notation, e.g. 169.254.0.0/16.')).max(100),
      }),
    )
    .mutation(({ ctx, input }) => setDenyNetworks(ctx, input.networks)),
});
