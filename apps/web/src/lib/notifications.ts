import type { DeliveryState } from '@sextant/db/enums';

/** The Notifications page's lists refresh this often: deliveries move within seconds. */
export const NOTIFY_LIVE_MS = 3_000;

/** Badge tone per delivery state: dead letters are the emergency, superseded rows just history. */
export const DELIVERY_STATE_TONE = {
  pending: 'info',
  delivered: 'success',
  superseded: 'neutral',
  dead: 'danger',
} as const satisfies Record<DeliveryState, string>;

/** An integration as people name it: its kind and its place in the receiver ("webhook #1"). */
export const integrationLabel = (kind: string, position: number | null | undefined) =>
  position === null || position === undefined ? kind : `${kind} #${position + 1}`;

/** Where notification objects live in the console, named here only. */
export const notificationsHref = (tab: 'decisions' | 'deliveries' | 'dead' = 'decisions') =>
  `/notifications?tab=${tab}`;
/** The time intervals page (its rows carry no anchor yet). */
export const timeIntervalHref = () => '/time-intervals';
