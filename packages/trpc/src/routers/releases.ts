import { releaseListInput } from '../schemas/deployments';
import { byId } from '../schemas/refs';
import { releaseBoardInput } from '../schemas/release-board';
import { releaseBoard } from '../services/release-board';
import { getRelease, listReleases } from '../services/releases';
import { authedProcedure, createTRPCRouter } from '../trpc';

/** Releases are made by `deployments.report`; people and keys read them here. */
export const releasesRouter = createTRPCRouter({
  list: authedProcedure.input(releaseListInput).query(({ ctx, input }) => listReleases(ctx.db, input)),
  get: authedProcedure.input(byId).query(({ ctx, input }) => getRelease(ctx.db, input.id)),
  /** Issue 16 point 5: services × environments, what runs where and drift, a page of services at a time. */
  board: authedProcedure.input(releaseBoardInput).query(({ ctx, input }) => releaseBoard(ctx.db, input)),
});
