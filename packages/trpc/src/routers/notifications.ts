import {
  alertNotificationsInput,
  deliveryListInput,
  deliveryRef,
  tickListInput,
  tickRef,
} from '../schemas/notifications';
import { alertNotifications, getDelivery, listDeliveries, listTicks } from '../services/notify/history';
import { retryDelivery } from '../services/notify/outbox';
import { getTick } from '../services/notify/tick-detail';
import { authedProcedure, createTRPCRouter, maintainerProcedure } from '../trpc';

/** The Notifications page: every tick decision and delivery; every signed-in role reads. One clock per request. */
export const notificationsRouter = createTRPCRouter({
  /** Tick decisions, newest first, in a bounded window. */
  ticks: authedProcedure.input(tickListInput).query(({ ctx, input }) => listTicks(ctx.db, input, new Date())),
  /** One decision: why (not) sent per integration, the alert sets with labels, what suppressed whom. */
  tick: authedProcedure.input(tickRef).query(({ ctx, input }) => getTick(ctx.db, input.id)),
  /** Outbox rows, newest first; `state: 'dead'` lists the dead letters. */
  deliveries: authedProcedure
    .input(deliveryListInput)
    .query(({ ctx, input }) => listDeliveries(ctx.db, input, new Date())),
  /** One outbox row with every attempt. */
  delivery: authedProcedure
    .input(deliveryRef)
    .query(({ ctx, input }) => getDelivery(ctx.db, input.id, new Date())),
  /** The ticks that looked at one alert and what came of each message. */
  forAlert: authedProcedure
    .input(alertNotificationsInput)
    .query(({ ctx, input }) => alertNotifications(ctx.db, input.fingerprint)),
  /** The dead-letter list's "retry now": the row is pending again with a new max-age window, attempts kept. */
  retry: maintainerProcedure
    .input(deliveryRef)
    .mutation(({ ctx, input }) => retryDelivery(ctx, input.id, Date.now())),
});
