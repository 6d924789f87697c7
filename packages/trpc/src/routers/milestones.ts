import { z } from 'zod';
import { milestoneCreateInput, milestoneReorderInput, milestoneUpdateInput } from '../schemas/projects';
import {
  createMilestone,
  deleteMilestone,
  listMilestones,
  reorderMilestones,
  updateMilestone,
} from '../services/projects/milestones';
import { authedProcedure, createTRPCRouter, maintainerProcedure } from '../trpc';

export const milestonesRouter = createTRPCRouter({
  /** In their order (position). */
  list: authedProcedure
    .input(z.object({ projectId: z.uuid() }))
    .query(({ ctx, input }) => listMilestones(ctx.db, input.projectId)),
  create: maintainerProcedure
    .input(milestoneCreateInput)
    .mutation(({ ctx, input }) => createMilestone(ctx, input.projectId, input.milestone)),
  /** A patch: fields left out keep their stored values. */
  update: maintainerProcedure
    .input(milestoneUpdateInput)
    .mutation(({ ctx, input }) => updateMilestone(ctx, input.id, input.milestone)),
  reorder: maintainerProcedure
    .input(milestoneReorderInput)
    .mutation(({ ctx, input }) => reorderMilestones(ctx, input.projectId, input.ids)),
  delete: maintainerProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => deleteMilestone(ctx, input.id)),
});
