/**
 * fourkeys' deployment-frequency bucket (spec C1, METRICS.md) over the window's calendar, empty days included.
 * Days, weeks (starting Monday) and months are UTC calendar periods; the partial ones at the window's edges count
 * like whole ones, as in fourkeys (which starts weeks on Sunday).
 */
import { DAY_MS, type DoraWindow, type FrequencyBucket } from './types';
import { inWindow, median, windowMs } from './window';

const dayStart = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
// 1970-01-01 was a Thursday: shift so that Monday starts a week.
const weekOf = (dayMs: number) => Math.floor((dayMs / DAY_MS + 3) / 7);
const monthOf = (dayMs: number) => {
  const d = new Date(dayMs);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

/**
 * "daily" when the median week has deploys on at least 3 days, else "weekly" when the median week has one, else
 * "monthly" when the median month has one, else "yearly". Times outside the window are ignored.
 */
export function frequencyBucket(deployTimes: readonly Date[], window: DoraWindow): FrequencyBucket {
  windowMs(window);
  const deployDays = new Set(
    deployTimes.filter((t) => inWindow(t, window)).map((t) => dayStart(t.getTime())),
  );
  const weeks = new Map<number, number>();
  const months = new Map<number, number>();
  // Every calendar day the window touches, so empty weeks and months pull the medians down.
  for (let day = dayStart(window.from.getTime()); day < window.to.getTime(); day += DAY_MS) {
    const hit = deployDays.has(day) ? 1 : 0;
    weeks.set(weekOf(day), (weeks.get(weekOf(day)) ?? 0) + hit);
    months.set(monthOf(day), (months.get(monthOf(day)) ?? 0) + hit);
  }
  const weekDays = [...weeks.values()];
  if (median(weekDays)! >= 3) return 'daily';
  if (median(weekDays.map((n) => Math.min(n, 1)))! >= 1) return 'weekly';
  if (median([...months.values()])! >= 1) return 'monthly';
  return 'yearly';
}
