import { API_KEY_ROLES } from '@sextant/db';
import { z } from 'zod';
import { boundedDate } from '../schemas/time-range';
import { createApiKey, listApiKeys, revokeApiKey } from '../services/api-keys';
import { createTRPCRouter, roleProcedure } from '../trpc';

const maintainer = roleProcedure('maintainer');

export const apiKeysRouter = createTRPCRouter({
  list: maintainer.query(({ ctx }) => listApiKeys(ctx.db, ctx.identity)),
  /** Minting keys needs a person: a key cannot create another key. */
  create: roleProcedure('maintainer', { sessionOnly: true })
    .input(
      z.object({
        name: z.string().trim().min(1, 'Give the key a name.').max(100),
        role: z.enum(API_KEY_ROLES, {
          error: 'A key can be viewer or maintainer: admin work needs a signed-in person.',
        }),
        expiresAt: boundedDate.optional(),
      }),
    )
    .mutation(({ ctx, input }) => createApiKey(ctx, input)),
  revoke: maintainer
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => revokeApiKey(ctx, input.id)),
});
