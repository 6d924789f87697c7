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
} from '../services/users';
import { createTRPCRouter, roleProcedure } from '../trpc';

const admin = roleProcedure('admin');
const userId = z.object({ id: z.string().min(1).max(64) });

export const usersRouter = createTRPCRouter({
  list: admin.query(({ ctx }) => listUsers(ctx.db)),
  create: admin.input(userInput).mutation(({ ctx, input }) => createUser(ctx, input)),
  update: admin.input(userId.extend(userChanges.shape)).mutation(({ ctx, input }) => updateUser(ctx, input)),
  resetPassword: admin.input(userId).mutation(({ ctx, input }) => resetPassword(ctx, input.id)),
  delete: admin.input(userId).mutation(({ ctx, input }) => deleteUser(ctx, input.id)),
  sessions: admin.input(userId).query(({ ctx, input }) => listUserSessions(ctx.db, input.id)),
  endSession: admin
    .input(z.object({ sessionId: z.uuid() }))
    .mutation(({ ctx, input }) => endSession(ctx, input.sessionId)),
});
