import { flagEvaluationCountsInput } from '../schemas/flag-evaluations';
import {
  flagChangesInput,
  flagCreateInput,
  flagEnvironmentRef,
  flagEvaluateInput,
  flagLinkServicesInput,
  flagListInput,
  flagRef,
  flagSetEnvironmentInput,
  flagsForServicesInput,
  flagToggleInput,
  flagUpdateInput,
} from '../schemas/flags';
import { evaluateFlag } from '../services/flags/evaluate';
import { flagEvaluationCounts } from '../services/flags/evaluation-counter';
import {
  flagsForServices,
  getFlagDetail,
  listFlagChanges,
  listFlags,
  staleReport,
} from '../services/flags/read';
import {
  createFlag,
  deleteFlag,
  killFlag,
  linkFlagServices,
  setFlagArchived,
  setFlagEnvironment,
  toggleFlag,
  updateFlag,
} from '../services/flags/store';
import { authedProcedure, createTRPCRouter, maintainerProcedure } from '../trpc';

export const flagsRouter = createTRPCRouter({
  list: authedProcedure.input(flagListInput).query(({ ctx, input }) => listFlags(ctx.db, input)),
  get: authedProcedure.input(flagRef).query(({ ctx, input }) => getFlagDetail(ctx.db, input.key)),
  staleReport: authedProcedure.query(({ ctx }) => staleReport(ctx.db)),
  /** Chart markers of a service's linked flags, or one flag's history, over at most 90 days. */
  changes: authedProcedure.input(flagChangesInput).query(({ ctx, input }) => listFlagChanges(ctx.db, input)),
  /** An incident's or alert's services' flags: production state and the change before it started (kill switch card). */
  forServices: authedProcedure
    .input(flagsForServicesInput)
    .query(({ ctx, input }) => flagsForServices(ctx.db, input)),
  /** Any caller, API keys included (developers' services); never throws for a flag, environment or context. */
  evaluate: authedProcedure.input(flagEvaluateInput).query(({ ctx, input }) => evaluateFlag(ctx, input)),
  /** Evaluations the API answered, per hour by variant, from the metric store. */
  evaluationCounts: authedProcedure
    .input(flagEvaluationCountsInput)
    .query(({ ctx, input }) => flagEvaluationCounts(ctx.db, input)),
  create: maintainerProcedure.input(flagCreateInput).mutation(({ ctx, input }) => createFlag(ctx, input)),
  /** Metadata only; key and type never change. */
  update: maintainerProcedure.input(flagUpdateInput).mutation(({ ctx, input }) => updateFlag(ctx, input)),
  setEnvironment: maintainerProcedure
    .input(flagSetEnvironmentInput)
    .mutation(({ ctx, input }) => setFlagEnvironment(ctx, input)),
  toggle: maintainerProcedure
    .input(flagToggleInput)
    .mutation(({ ctx, input }) => toggleFlag(ctx, input.key, input.environment, input.enabled)),
  /** Off in one environment: the kill switch of incidents and alerts. */
  kill: maintainerProcedure
    .input(flagEnvironmentRef)
    .mutation(({ ctx, input }) => killFlag(ctx, input.key, input.environment)),
  archive: maintainerProcedure
    .input(flagRef)
    .mutation(({ ctx, input }) => setFlagArchived(ctx, input.key, true)),
  unarchive: maintainerProcedure
    .input(flagRef)
    .mutation(({ ctx, input }) => setFlagArchived(ctx, input.key, false)),
  delete: maintainerProcedure.input(flagRef).mutation(({ ctx, input }) => deleteFlag(ctx, input.key)),
  linkServices: maintainerProcedure
    .input(flagLinkServicesInput)
    .mutation(({ ctx, input }) => linkFlagServices(ctx, input)),
});
