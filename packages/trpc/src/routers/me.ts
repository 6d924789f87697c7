import { passwordChangeInput } from '../schemas/identity';
import { changePassword, describeIdentity } from '../services/me';
import { createTRPCRouter, roleProcedure } from '../trpc';

const whileChanging = roleProcedure('viewer', { duringPasswordChange: true });

export const meRouter = createTRPCRouter({
  /** Who the API thinks is calling: a user (with role) or an API key. */
  get: whileChanging.query(({ ctx }) => describeIdentity(ctx.identity)),
  changePassword: roleProcedure('viewer', { sessionOnly: true, duringPasswordChange: true })
    .input(passwordChangeInput)
    .mutation(({ ctx, input }) => {
      if (ctx.identity.type !== 'user') throw new Error('unreachable: sessionOnly');
      return changePassword({ ...ctx, identity: ctx.identity }, input);
    }),
});
