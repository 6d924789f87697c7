import { z } from 'zod';
import { inhibitionRuleRequest } from '../schemas/alerting-matchers';
import {
  createInhibitionRule,
  deleteInhibitionRule,
  listInhibitionRules,
  setInhibitionRuleEnabled,
  updateInhibitionRule,
} from '../services/alerting/inhibition-store';
import { authedProcedure, createTRPCRouter, maintainerProcedure } from '../trpc';

export const inhibitionRulesRouter = createTRPCRouter({
  list: authedProcedure.query(({ ctx }) => listInhibitionRules(ctx.db)),
  create: maintainerProcedure
    .input(inhibitionRuleRequest)
    .mutation(({ ctx, input }) => createInhibitionRule(ctx, input)),
  update: maintainerProcedure
    .input(z.object({ id: z.uuid(), rule: inhibitionRuleRequest }))
    .mutation(({ ctx, input }) => updateInhibitionRule(ctx, input.id, input.rule)),
  setEnabled: maintainerProcedure
    .input(z.object({ id: z.uuid(), enabled: z.boolean() }))
    .mutation(({ ctx, input }) => setInhibitionRuleEnabled(ctx, input.id, input.enabled)),
  delete: maintainerProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => deleteInhibitionRule(ctx, input.id)),
});
