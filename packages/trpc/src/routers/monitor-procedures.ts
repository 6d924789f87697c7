import type { Context } from '../context';
import { byId, pauseInput } from '../schemas/refs';
import { maintainerProcedure } from '../trpc';

/** The procedures every monitor kind (check, heartbeat, scrape target) has, for maintainers: pause or resume, delete. */
export function pauseAndDelete<Paused, Deleted>(
  setPaused: (ctx: Context, id: string, paused: boolean) => Promise<Paused>,
  remove: (ctx: Context, id: string) => Promise<Deleted>,
) {
  return {
    setPaused: maintainerProcedure
      .input(pauseInput)
      .mutation(({ ctx, input }) => setPaused(ctx, input.id, input.paused)),
    delete: maintainerProcedure.input(byId).mutation(({ ctx, input }) => remove(ctx, input.id)),
  };
}
