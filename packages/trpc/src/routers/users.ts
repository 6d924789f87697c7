import { z } from 'zod';
import { userChanges, userInput } from '../schemas/identity';
import {
  createUser,
  deleteUser,
  endSession,
  listUserSessions,
  listUsers,
  resetPassword,
  updateUser,
  userDirectory,
} from '../services/users';
import { adminProcedure, createTRPCRouter, roleProcedure } from '../trpc';

const userId = z.object({ id: z.string().min(1).max(64) });

export const usersRouter = createTRPCRouter({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),
  /** Enabled people by display name, for choosing a commander or an owner; signed-in users only, never a key. */
  directory: roleProcedure('viewer', { sessionOnly: true }).query(({ ctx }) => userDirectory(ctx.db)),
  create: adminProcedure.input(userInput).mutation(({ ctx, input }) => createUser(ctx, input)),
  update: adminProcedure
    .input(userId.extend(userChanges.shape))
    .mutation(({ ctx, input }) => updateUser(ctx, input)),
  resetPassword: adminProcedure.input(userId).mutation(({ ctx, input }) => resetPassword(ctx, input.id)),
  delete: adminProcedure.input(userId).mutation(({ ctx, input }) => deleteUser(ctx, input.id)),
  sessions: adminProcedure.input(userId).query(({ ctx, input }) => listUserSessions(ctx.db, input.id)),
  endSession: adminProcedure
    .input(z.object({ sessionId: z.uuid() }))
    .mutation(({ ctx, input }) => endSession(ctx, input.sessionId)),
});
