import { z } from 'zod';
import { environmentInput, environmentName } from '../schemas/environments';
import {
  createEnvironment,
  listEnvironments,
  reorderEnvironments,
  updateEnvironment,
} from '../services/environments';
import { adminProcedure, authedProcedure, createTRPCRouter } from '../trpc';

export const environmentsRouter = createTRPCRouter({
  list: authedProcedure.query(({ ctx }) => listEnvironments(ctx)),
  create: adminProcedure.input(environmentInput).mutation(({ ctx, input }) => createEnvironment(ctx, input)),
  update: adminProcedure
    .input(
      z
        .object({
          id: z.uuid(),
          name: environmentName.optional(),
          isProduction: z.boolean().optional(),
          /** Issue 16 point 1: promotions into it wait for someone other than the releaser to approve. */
          requiresApproval: z.boolean().optional(),
        })
        .refine(
          (e) => e.name !== undefined || e.isProduction !== undefined || e.requiresApproval !== undefined,
          'Change the name, the production flag or the approval setting.',
        ),
    )
    .mutation(({ ctx, input }) => updateEnvironment(ctx, input)),
  reorder: adminProcedure
    .input(z.object({ ids: z.array(z.uuid()).min(1).max(100) }))
    .mutation(({ ctx, input }) => reorderEnvironments(ctx, input.ids)),
});
