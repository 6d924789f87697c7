import { z } from 'zod';
import { checkInput } from '../schemas/monitoring';
import { createCheck, deleteCheck, setCheckPaused, updateCheck } from '../services/checks';
import { createTRPCRouter, roleProcedure } from '../trpc';

const maintainer = roleProcedure('maintainer');

export const checksRouter = createTRPCRouter({
  create: maintainer
    .input(z.object({ service: z.string().trim().min(1).max(100), check: checkInput }))
    .mutation(({ ctx, input }) => createCheck(ctx, input.service, input.check)),
  update: maintainer
    .input(z.object({ id: z.uuid(), check: checkInput }))
    .mutation(({ ctx, input }) => updateCheck(ctx, input.id, input.check)),
  setPaused: maintainer
    .input(z.object({ id: z.uuid(), paused: z.boolean() }))
    .mutation(({ ctx, input }) => setCheckPaused(ctx, input.id, input.paused)),
  delete: maintainer
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => deleteCheck(ctx, input.id)),
});
