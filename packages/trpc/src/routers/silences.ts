import { z } from 'zod';
import { SILENCE_STATES, silencePreviewInput, silenceRequest } from '../schemas/alerting-matchers';
import { previewSilenceAlerts } from '../services/alerting/muting';
import {
  createSilence,
  expireSilence,
  getSilence,
  listSilences,
  updateSilence,
} from '../services/alerting/silence-store';
import { authedProcedure, createTRPCRouter, maintainerProcedure } from '../trpc';

// One clock reading per request: every decision of a call (state, clamping, edit rules) sees the same `now`.
export const silencesRouter = createTRPCRouter({
  /** Newest end first; `matcher` finds silences with a matcher whose text (e.g. `service=checkout`) contains it. */
  list: authedProcedure
    .input(
      z.object({
        state: z.enum(SILENCE_STATES).optional(),
        matcher: z.string().trim().max(200).optional(),
      }),
    )
    .query(({ ctx, input }) => listSilences(ctx.db, input, new Date())),
  /** One silence with the silences it replaced and those that replaced it. */
  get: authedProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getSilence(ctx.db, input.id, new Date())),
  /** Which current alerts these matchers would mute, before saving; a refused draft still previews. */
  preview: authedProcedure
    .input(silencePreviewInput)
    .query(({ ctx, input }) => previewSilenceAlerts(ctx.db, input, new Date())),
  create: maintainerProcedure
    .input(silenceRequest)
    .mutation(({ ctx, input }) => createSilence(ctx, input, new Date())),
  /** In place, or expire-and-create (`replaced: true`, a new id) as spec A6.4 requires. */
  update: maintainerProcedure
    .input(z.object({ id: z.uuid(), silence: silenceRequest }))
    .mutation(({ ctx, input }) => updateSilence(ctx, input.id, input.silence, new Date())),
  expire: maintainerProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => expireSilence(ctx, input.id, new Date())),
});
