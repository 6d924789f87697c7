import { ROLES } from '@sextant/db';
import { z } from 'zod';
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
import { passwordSchema } from './me';

const admin = roleProcedure('admin');
const userId = z.object({ id: z.string().min(1).max(64) });

export const usersRouter = createTRPCRouter({
  list: admin.query(({ ctx }) => listUsers(ctx.db)),
  create: admin
    .input(
      z.object({
        email: z.email('Enter a valid email address.').max(254),
        name: z.string().trim().max(120).optional(),
        role: z.enum(ROLES),
        /** Omit to generate a temporary password, shown once. */
        password: passwordSchema.optional(),
      }),
    )
    .mutation(({ ctx, input }) => createUser(ctx, input)),
  update: admin
    .input(
      userId.extend({
        name: z.string().trim().max(120).nullable().optional(),
        role: z.enum(ROLES).optional(),
        disabled: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) => updateUser(ctx, input)),
  resetPassword: admin.input(userId).mutation(({ ctx, input }) => resetPassword(ctx, input.id)),
  delete: admin.input(userId).mutation(({ ctx, input }) => deleteUser(ctx, input.id)),
  sessions: admin.input(userId).query(({ ctx, input }) => listUserSessions(ctx.db, input.id)),
  endSession: admin
    .input(z.object({ sessionId: z.uuid() }))
    .mutation(({ ctx, input }) => endSession(ctx, input.sessionId)),
});
