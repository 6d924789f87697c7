import { apiKeyInput } from '../schemas/identity';
import { byId } from '../schemas/refs';
import { createApiKey, listApiKeys, revokeApiKey } from '../services/api-keys';
import { createTRPCRouter, maintainerProcedure, roleProcedure } from '../trpc';

export const apiKeysRouter = createTRPCRouter({
  list: maintainerProcedure.query(({ ctx }) => listApiKeys(ctx.db, ctx.identity)),
  /** Minting keys needs a person: a key cannot create another key. */
  create: roleProcedure('maintainer', { sessionOnly: true })
    .input(apiKeyInput)
    .mutation(({ ctx, input }) => createApiKey(ctx, input)),
  revoke: maintainerProcedure.input(byId).mutation(({ ctx, input }) => revokeApiKey(ctx, input.id)),
});
