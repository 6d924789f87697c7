import { z } from 'zod';
import { alertRuleInput } from '../schemas/alert-rules';
import {
  createRule,
  deleteRule,
  evaluateRuleNow,
  getRule,
  listRules,
  setRuleEnabled,
  updateRule,
} from '../services/alerting/rules';
import { authedProcedure, createTRPCRouter, maintainerProcedure } from '../trpc';

const byId = z.object({ id: z.uuid() });

export const alertRulesRouter = createTRPCRouter({
  /** Every rule (or one service's), with its health and pending/firing counts; viewers see them all. */
  list: authedProcedure
    .input(z.object({ serviceId: z.uuid().optional() }).default({}))
    .query(({ ctx, input }) => listRules(ctx.db, input)),
  get: authedProcedure.input(byId).query(({ ctx, input }) => getRule(ctx.db, input.id)),
  create: maintainerProcedure
    .input(z.object({ rule: alertRuleInput }))
    .mutation(({ ctx, input }) => createRule(ctx, input.rule)),
  /** The whole rule, as the editor sends it. */
  update: maintainerProcedure
    .input(z.object({ id: z.uuid(), rule: alertRuleInput }))
    .mutation(({ ctx, input }) => updateRule(ctx, input.id, input.rule)),
  setEnabled: maintainerProcedure
    .input(z.object({ id: z.uuid(), enabled: z.boolean() }))
    .mutation(({ ctx, input }) => setRuleEnabled(ctx, input.id, input.enabled)),
  delete: maintainerProcedure.input(byId).mutation(({ ctx, input }) => deleteRule(ctx, input.id)),
  /** The editor's preview: what the draft would do now against the rule's current alerts; writes nothing. */
  evaluateNow: maintainerProcedure
    .input(z.object({ id: z.uuid().nullable().default(null), rule: alertRuleInput }))
    .mutation(({ ctx, input }) => evaluateRuleNow(ctx, input.id, input.rule, Date.now())),
});
