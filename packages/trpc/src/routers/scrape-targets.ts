import { z } from 'zod';
import { serviceRef } from '../schemas/refs';
import { scrapeTargetInput, scrapeTargetPatch } from '../schemas/scrape-targets';
import {
  createScrapeTarget,
  deleteScrapeTarget,
  listScrapeTargets,
  setScrapeTargetPaused,
  updateScrapeTarget,
} from '../services/scrape-targets';
import { authedProcedure, createTRPCRouter, maintainerProcedure } from '../trpc';
import { pauseAndDelete } from './monitor-procedures';

export const scrapeTargetsRouter = createTRPCRouter({
  /** A service's Prometheus endpoints with the outcome of their last scrape. */
  list: authedProcedure
    .input(z.object({ service: serviceRef }))
    .query(({ ctx, input }) => listScrapeTargets(ctx, input.service)),
  create: maintainerProcedure
    .input(z.object({ service: serviceRef, target: scrapeTargetInput }))
    .mutation(({ ctx, input }) => createScrapeTarget(ctx, input.service, input.target)),
  /** A patch: fields left out keep their stored values. */
  update: maintainerProcedure
    .input(z.object({ id: z.uuid(), target: scrapeTargetPatch }))
    .mutation(({ ctx, input }) => updateScrapeTarget(ctx, input.id, input.target)),
  ...pauseAndDelete(setScrapeTargetPaused, deleteScrapeTarget),
});
