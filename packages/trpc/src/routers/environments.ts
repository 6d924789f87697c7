import { z } from 'zod';
import { environmentInput, environmentName } from '../schemas/environments';
import {
  createEnvironment,
  listEnvironments,
  reorderEnvironments,
  updateEnvironment,
} from '../services/environments';
import { authedProcedure, createTRPCRouter, roleProcedure } from '../trpc';

const admin = roleProcedure('admin');
export const environmentsRouter = createTRPCRouter({
  list: authedProcedure.query(({ ctx }) => listEnvironments(ctx)),
  create: admin.input(environmentInput).mutation(({ ctx, input }) => createEnvironment(ctx, input)),
  update: admin
    .input(
      z
        .object({ id: z.uuid(), name: environmentName.optional(), isProduction: z.boolean().optional() })
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
