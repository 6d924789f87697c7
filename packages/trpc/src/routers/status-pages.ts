import { z } from 'zod';
import {
  subscribeInput,
  subscriberListInput,
  subscriptionTokenInput,
  webhookSubscriberInput,
} from '../schemas/status-page-subscribers';
import { statusPageInput, statusPagePatch, statusPageViewInput } from '../schemas/status-pages';
import {
  addWebhookSubscriber,
  confirmSubscription,
  listSubscribers,
  removeSubscriber,
  subscribe,
  unsubscribe,
} from '../services/status-page-subscribers';
import {
  createStatusPage,
  deleteStatusPage,
  getStatusPage,
  listStatusPages,
  updateStatusPage,
  viewStatusPage,
} from '../services/status-pages';
import { adminProcedure, authedProcedure, createTRPCRouter, publicProcedure } from '../trpc';

export const statusPagesRouter = createTRPCRouter({
  list: authedProcedure.query(({ ctx }) => listStatusPages(ctx.db)),
  get: authedProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getStatusPage(ctx.db, input.id)),
  /** A page decides what the internet sees, so pages are admin work (and so session only). */
  create: adminProcedure.input(statusPageInput).mutation(({ ctx, input }) => createStatusPage(ctx, input)),
  /** A patch: fields left out keep their stored values. */
  update: adminProcedure
    .input(z.object({ id: z.uuid(), page: statusPagePatch }))
    .mutation(({ ctx, input }) => updateStatusPage(ctx, input.id, input.page)),
  delete: adminProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => deleteStatusPage(ctx, input.id)),
  /** What a page shows; anyone for a public page, signed in (session or API key) for a private one. */
  view: publicProcedure.input(statusPageViewInput).query(({ ctx, input }) => viewStatusPage(ctx, input.slug)),
  /** Public: the same answer whether the address is new, pending or confirmed; rate-limited per IP. */
  subscribe: publicProcedure.input(subscribeInput).mutation(({ ctx, input }) => subscribe(ctx, input)),
  /** Public: the link of the confirmation mail. */
  confirmSubscription: publicProcedure
    .input(subscriptionTokenInput)
    .mutation(({ ctx, input }) => confirmSubscription(ctx, input.token)),
  /** Public and idempotent: the unsubscribe link of every notice. */
  unsubscribe: publicProcedure
    .input(subscriptionTokenInput)
    .mutation(({ ctx, input }) => unsubscribe(ctx, input.token)),
  /** Addresses are for admins only. */
  subscribers: adminProcedure
    .input(subscriberListInput)
    .query(({ ctx, input }) => listSubscribers(ctx.db, input)),
  /** Admin only: a public webhook form would let anyone point the server at any URL. */
  addWebhookSubscriber: adminProcedure
    .input(webhookSubscriberInput)
    .mutation(({ ctx, input }) => addWebhookSubscriber(ctx, input)),
  removeSubscriber: adminProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => removeSubscriber(ctx, input.id)),
});
