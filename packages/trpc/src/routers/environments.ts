import { z } from 'zod';
import { createEnvironment, reorderEnvironments, updateEnvironment } from '../services/environments';
import { listEnvironments } from '../services/system';
import { authedProcedure, createTRPCRouter, roleProcedure } from '../trpc';

const admin = roleProcedure('admin');
const name = z
  .string()
  .trim()
  .min(1, 'Give it a name.')
  .max(32)
  .regex(/^[A-Za-z0-9_-]+$/, 'Letters, digits, - and _ only.');

export const environmentsRouter = createTRPCRouter({
  list: authedProcedure.query(({ ctx }) => listEnvironments(ctx)),
  create: admin
    .input(z.object({ name, isProduction: z.boolean().default(false) }))
    .mutation(({ ctx, input }) => createEnvironment(ctx, input)),
  update: admin
    .input(
      z
        .object({ id: z.uuid(), name: name.optional(), isProduction: z.boolean().optional() })
        .refine(
          (e) => e.name !== undefined || e.isProduction !== undefined,
          'Change the name or the production flag.',
        ),
    )
    .mutation(({ ctx, input }) => updateEnvironment(ctx, input)),
  reorder: admin
    .input(z.object({ ids: z.array(z.uuid()).min(1).max(100) }))
    .mutation(({ ctx, input }) => reorderEnvironments(ctx, input.ids)),
});
