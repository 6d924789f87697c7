import { PASSWORD_MAX, PASSWORD_MIN } from '@sextant/db';
import { z } from 'zod';
import { changePassword, describeIdentity } from '../services/me';
import { createTRPCRouter, roleProcedure } from '../trpc';

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

const whileChanging = roleProcedure('viewer', { duringPasswordChange: true });

export const meRouter = createTRPCRouter({
  /** Who the API thinks is calling: a user (with role) or an API key. */
  get: whileChanging.query(({ ctx }) => describeIdentity(ctx.identity)),
  changePassword: roleProcedure('viewer', { sessionOnly: true, duringPasswordChange: true })
    .input(
      z.object({
        currentPassword: z.string().min(1, 'Enter your current password.').max(PASSWORD_MAX),
        newPassword: passwordSchema,
      }),
    )
    .mutation(({ ctx, input }) => {
      if (ctx.identity.type !== 'user') throw new Error('unreachable: sessionOnly');
      return changePassword({ ...ctx, identity: ctx.identity }, input);
    }),
});
