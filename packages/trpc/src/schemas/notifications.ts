/**
 * Inputs of the Notifications page (`notifications.*`): tick decisions, deliveries and one alert's notifications.
 * Client-safe (zod only), so the console builds its queries from the same shapes and limits.
 */
import { DELIVERY_STATES } from '@sextant/db/enums';
import { z } from 'zod';
import { fingerprintSchema } from './alerts';
import { boundedDate, windowProblem } from './time-range';

const DAY_MS = 86_400_000;

export const NOTIFY_HISTORY_LIMITS = {
  /** Rows one page may hold. */
  pageSize: 200,
  defaultPageSize: 50,
  /** Longest window one list reads; without `from`, the list reads this far back from `to`. */
  maxSpanMs: 31 * DAY_MS,
  defaultSpanMs: 7 * DAY_MS,
  /** A group key is AM's route path plus group labels: long, but bounded. */
  groupKeyLength: 4_000,
  routeIdLength: 200,
  /** Ticks one alert's "where did its notifications go" answers, newest first. */
  forAlert: 100,
} as const;

/** What a tick decided: some integration was told, none was, or some alert was left out (silenced, inhibited, muted). */
export const TICK_DECISIONS = ['notified', 'not_notified', 'suppressed'] as const;
export type TickDecision = (typeof TICK_DECISIONS)[number];

/** Newest first: the bounds of a window both lists share. `to` defaults to now, `from` to `defaultSpanMs` before it. */
const window = {
  from: boundedDate.optional(),
  to: boundedDate.optional(),
};

function checkSpan(w: { from?: Date; to?: Date }, ctx: z.RefinementCtx) {
  if (!w.from) return;
  const to = w.to ?? new Date();
  const problem =
    windowProblem(w.from.getTime(), to.getTime()) ??
    (to.getTime() - w.from.getTime() > NOTIFY_HISTORY_LIMITS.maxSpanMs
      ? `A time range may span at most ${NOTIFY_HISTORY_LIMITS.maxSpanMs / DAY_MS} days.`
      : null);
  if (problem) ctx.addIssue({ code: 'custom', path: ['to'], message: problem });
}

/** Keyset position of the last row of a page: its time (tick or enqueue), then its id. */
const tickCursor = z.object({ at: boundedDate, id: z.number().int().positive() });
const deliveryCursor = z.object({ at: boundedDate, id: z.uuid() });

const limit = z
  .number()
  .int()
  .min(1)
  .max(NOTIFY_HISTORY_LIMITS.pageSize)
  .default(NOTIFY_HISTORY_LIMITS.defaultPageSize);
const routeId = z.string().trim().min(1).max(NOTIFY_HISTORY_LIMITS.routeIdLength);
const groupKey = z.string().min(1).max(NOTIFY_HISTORY_LIMITS.groupKeyLength);

export const tickListInput = z
  .object({
    ...window,
    routeId: routeId.optional(),
    groupKey: groupKey.optional(),
    receiverId: z.uuid().optional(),
    fingerprint: fingerprintSchema.optional(),
    decision: z.enum(TICK_DECISIONS).optional(),
    cursor: tickCursor.optional(),
    limit,
  })
  .superRefine(checkSpan);
export type TickListInput = z.infer<typeof tickListInput>;

export const deliveryListInput = z
  .object({
    ...window,
    /** `dead` is the dead-letter list. */
    state: z.enum(DELIVERY_STATES).optional(),
    receiverId: z.uuid().optional(),
    integrationId: z.uuid().optional(),
    routeId: routeId.optional(),
    groupKey: groupKey.optional(),
    cursor: deliveryCursor.optional(),
    limit,
  })
  .superRefine(checkSpan);
export type DeliveryListInput = z.infer<typeof deliveryListInput>;

export const tickRef = z.object({ id: z.number().int().positive() });
export const deliveryRef = z.object({ id: z.uuid() });
export const alertNotificationsInput = z.object({ fingerprint: fingerprintSchema });
