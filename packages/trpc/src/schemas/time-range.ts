import { z } from 'zod';

const DAY_MS = 86_400_000;

/**
 * What time a caller may ask about, for every procedure that takes dates; the console's range forms read
 * the same numbers. Kept free of server imports so the console can bundle it.
 */
export const TIME_LIMITS = {
  /** Nothing Sextant stores is older than this. */
  earliestMs: Date.UTC(2000, 0, 1),
  /** How far ahead of now a date may lie (an API key's expiry, a window ending later today). */
  maxAheadMs: 10 * 365 * DAY_MS,
  /** Longest window a query reads: the hourly rollups are kept 400 days. */
  maxSpanMs: 400 * DAY_MS,
  /** Most buckets one answer holds per series, whatever the step. */
  maxBuckets: 11_000,
  /** Bucket widths, in seconds. */
  minStepSeconds: 1,
  maxStepSeconds: 86_400,
} as const;

const YEAR = (ms: number) => new Date(ms).getUTCFullYear();

/** Why `ms` is refused, or null; `now` is passed so one request judges all its dates against one clock. */
export function dateProblem(ms: number, now = Date.now()): string | null {
  if (!Number.isFinite(ms)) return 'Not a valid date.';
  if (ms < TIME_LIMITS.earliestMs) return `Dates start in ${YEAR(TIME_LIMITS.earliestMs)}.`;
  if (ms > now + TIME_LIMITS.maxAheadMs)
    return `Dates may be at most ${Math.round(TIME_LIMITS.maxAheadMs / (365 * DAY_MS))} years ahead.`;
  return null;
}

/** Why a window is refused, or null: both ends valid, `to` after `from`, at most `maxSpanMs` long. */
export function windowProblem(fromMs: number, toMs: number, now = Date.now()): string | null {
  const bad = dateProblem(fromMs, now) ?? dateProblem(toMs, now);
  if (bad) return bad;
  if (toMs <= fromMs) return '`to` must be after `from`.';
  if (toMs - fromMs > TIME_LIMITS.maxSpanMs)
    return `A time range may span at most ${TIME_LIMITS.maxSpanMs / DAY_MS} days.`;
  return null;
}

/** A date inside the accepted bounds (ISO string, epoch ms or Date). */
export const boundedDate = z.coerce.date().superRefine((d, ctx) => {
  const problem = dateProblem(d.getTime());
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Adds a window's problem to `to` (as a field error) when there is one. */
export function checkWindow(w: { from: Date; to: Date }, ctx: z.RefinementCtx) {
  const problem = windowProblem(w.from.getTime(), w.to.getTime());
  if (problem) ctx.addIssue({ code: 'custom', path: ['to'], message: problem });
}

/** `{ from, to }` for every procedure that reads a window of data. */
export const timeWindow = z.object({ from: boundedDate, to: boundedDate }).superRefine(checkWindow);

/** Bucket width in seconds; buckets are aligned to multiples of it since the epoch. */
export const stepSeconds = z.number().int().min(TIME_LIMITS.minStepSeconds).max(TIME_LIMITS.maxStepSeconds);

/** Buckets a window cut into `step`-second buckets touches (aligned, so partial buckets at both ends count). */
export function bucketCount(fromMs: number, toMs: number, step: number): number {
  return Math.ceil(toMs / 1000 / step) - Math.floor(fromMs / 1000 / step);
}

/** Adds a problem to `step` when the window would need more than `maxBuckets` buckets. */
export function checkBuckets(q: { from: Date; to: Date; step: number }, ctx: z.RefinementCtx) {
  if (bucketCount(q.from.getTime(), q.to.getTime(), q.step) > TIME_LIMITS.maxBuckets)
    ctx.addIssue({
      code: 'custom',
      path: ['step'],
      message: `Too many buckets (at most ${TIME_LIMITS.maxBuckets}); use a larger step.`,
    });
}

/**
 * The bucket widths a computed step is chosen from, in seconds, ascending up to `maxStepSeconds`; multiples of
 * 60 / 3600 let the API read its 1 m / 1 h rollups instead of raw samples.
 */
export const NICE_STEPS = [
  10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400,
] as const;

/**
 * The smallest nice step of at least `minSeconds` that cuts the window into at most `buckets` buckets; a window
 * too long for that gets `maxStepSeconds`, so a computed step is always one the API accepts.
 */
export function niceStep(
  fromMs: number,
  toMs: number,
  { buckets = TIME_LIMITS.maxBuckets as number, minSeconds = 0 } = {},
): number {
  return (
    NICE_STEPS.find((s) => s >= minSeconds && bucketCount(fromMs, toMs, s) <= buckets) ??
    TIME_LIMITS.maxStepSeconds
  );
}

/** A calendar month, `YYYY-MM` (UTC), starting inside the date bounds. */
export const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Use YYYY-MM.')
  .superRefine((m, ctx) => {
    const [y, mo] = m.split('-').map(Number) as [number, number];
    const problem = dateProblem(Date.UTC(y, mo - 1, 1));
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
