import { apiKeyInput } from '../schemas/identity';
import { byId } from '../schemas/refs';
import { createApiKey, listApiKeys, revokeApiKey } from '../services/api-keys';
import { createTRPCRouter, roleProcedure } from '../trpc';

const maintainer = roleProcedure('maintainer');

export const apiKeysRouter = createTRPCRouter({
  list: maintainer.query(({ ctx }) => listApiKeys(ctx.db, ctx.identity)),
  /** Minting keys needs a person: a key cannot create another key. */
  create: roleProcedure('maintainer', { sessionOnly: true })
    .input(apiKeyInput)
    .mutation(({ ctx, input }) => createApiKey(ctx, input)),
  revoke: maintainer.input(byId).mutation(({ ctx, input }) => revokeApiKey(ctx, input.id)),
});
