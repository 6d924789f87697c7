import { z } from 'zod';
import { receiverInput, receiverTestInput } from '../schemas/receivers';
import { sendTest } from '../services/notify/receiver-test';
import {
  createReceiver,
  deleteReceiver,
  getReceiver,
  listReceivers,
  updateReceiver,
} from '../services/notify/receivers';
import { authedProcedure, createTRPCRouter, maintainerProcedure } from '../trpc';

/**
 * Receivers are configuration: every role may read them (names, kinds, destinations; secrets are masked for
 * everyone, as a check's are), maintainers change them and send tests, which reach out to other hosts.
 */
export const receiversRouter = createTRPCRouter({
  list: authedProcedure.query(({ ctx }) => listReceivers(ctx.db)),
  get: authedProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getReceiver(ctx.db, input.id)),
  create: maintainerProcedure
    .input(z.object({ receiver: receiverInput }))
    .mutation(({ ctx, input }) => createReceiver(ctx, input.receiver)),
  /** The whole receiver as the form holds it: integrations with an `id` are kept, the others added or removed. */
  update: maintainerProcedure
    .input(z.object({ id: z.uuid(), receiver: receiverInput }))
    .mutation(({ ctx, input }) => updateReceiver(ctx, input.id, input.receiver)),
  /** Refused (RECEIVER_IN_USE) while a route sends to it. */
  delete: maintainerProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => deleteReceiver(ctx, input.id)),
  /** Sends one test message through a saved integration or a draft; answers how the remote took it. */
  test: maintainerProcedure.input(receiverTestInput).mutation(({ ctx, input }) => sendTest(ctx, input)),
});
