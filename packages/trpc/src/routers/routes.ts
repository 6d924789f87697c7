import { routeTestInput, routeUpdateInput } from '../schemas/routes';
import { readRouteTree, updateRouteTree } from '../services/notify/route-store';
import { testRoute } from '../services/notify/route-tester';
import { authedProcedure, createTRPCRouter, maintainerProcedure } from '../trpc';

export const routesRouter = createTRPCRouter({
  get: authedProcedure.query(({ ctx }) => readRouteTree(ctx.db)),
  update: maintainerProcedure
    .input(routeUpdateInput)
    .mutation(({ ctx, input }) => updateRouteTree(ctx, input.tree, input.expectedVersion)),
  test: authedProcedure.input(routeTestInput).query(({ ctx, input }) => testRoute(ctx.db, input)),
});
