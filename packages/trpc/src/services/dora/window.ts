/** Windows of the DORA calculator and the one median rule its figures use. */
import { spanFigures } from '../incident-times';
import { DAY_MS, type DoraWindow, type DoraWindowDays } from './types';

/** The `days` before `now`: [now − days, now). */
export function doraWindow(days: DoraWindowDays, now: Date): DoraWindow {
  return { from: new Date(now.getTime() - days * DAY_MS), to: now };
}

export const last7Days = (now: Date) => doraWindow(7, now);
export const last30Days = (now: Date) => doraWindow(30, now);
export const last90Days = (now: Date) => doraWindow(90, now);

/** Inclusive at `from`, exclusive at `to`. */
export function inWindow(t: Date | null, w: DoraWindow): t is Date {
  return t !== null && t.getTime() >= w.from.getTime() && t.getTime() < w.to.getTime();
}

export function windowMs(w: DoraWindow): number {
  const ms = w.to.getTime() - w.from.getTime();
  // An empty or reversed window has no rate; refusing it beats answering Infinity per week.
  if (!(ms > 0)) throw new RangeError('DORA window: `to` must be after `from`');
  return ms;
}

/**
 * Median of a sample; an even count takes the mean of the two middle values, null when empty. It is the incident
 * figures' rule (spanFigures), so "median" means one thing across Sextant.
 */
export function median(values: readonly number[]): number | null {
  return spanFigures(values).medianMs;
}
