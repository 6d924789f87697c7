/**
 * Named time intervals (spec A6 "Time intervals"): the spec grammar, its bounds and the zod schemas the API and the
 * console's editor share. Client-safe (zod + Intl). The evaluation lives in services/notify/time-intervals.ts and
 * parses with the same functions, so whatever is accepted here evaluates there.
 */
import { z } from 'zod';

export const TIME_INTERVAL_LIMITS = {
  nameLength: 100,
  /** Specs in one named interval. */
  specs: 20,
  /** Entries in one field of a spec (times, weekdays, …). */
  entries: 20,
  zoneLength: 64,
} as const;

export const WEEKDAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;
export const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

/** An inclusive range of numbers; a single value is [v, v]. */
export interface NumRange {
  begin: number;
  end: number;
}

/** "HH:MM" to minutes of the day; "24:00" allowed (as an end). Null when malformed. */
export function parseClock(text: string): number | null {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 1440 ? minutes : null;
}

/** One value of a field: a name (weekday/month) or an integer. */
function parseValue(text: string, names: readonly string[] | null): number | null {
  const lower = text.trim().toLowerCase();
  if (names) {
    const at = names.indexOf(lower);
    // Weekdays count from sunday = 0 as JS does; months from january = 1 as calendars do.
    if (at >= 0) return names === WEEKDAYS ? at : at + 1;
  }
  return /^-?\d{1,4}$/.test(lower) ? Number(lower) : null;
}

/** Field kinds with their value domain. */
export type RangeField = 'weekdays' | 'daysOfMonth' | 'months' | 'years';

const DOMAIN: Record<
  RangeField,
  { names: readonly string[] | null; min: number; max: number; numeric: boolean }
> = {
  weekdays: { names: WEEKDAYS, min: 0, max: 6, numeric: false },
  daysOfMonth: { names: null, min: -31, max: 31, numeric: true },
  months: { names: MONTHS, min: 1, max: 12, numeric: true },
  years: { names: null, min: 1, max: 9999, numeric: true },
};

/**
 * Parses "a" or "a:b" for a field, as Alertmanager does: ranges inclusive and in order; days of month non-zero,
 * within ±31, and a negative start needs a negative end. Returns the range, or a message saying what is wrong.
 */
export function parseRange(field: RangeField, text: string): NumRange | string {
  const d = DOMAIN[field];
  const parts = text.split(':');
  if (parts.length > 2) return `"${text}" is not a value or a range "a:b".`;
  const values = parts.map((p) => {
    const v = parseValue(p, d.names);
    // Weekdays are names only: "1" would be ambiguous between monday and sunday-based counting.
    return v === null || (!d.numeric && !d.names?.includes(p.trim().toLowerCase())) ? null : v;
  });
  if (values.some((v) => v === null)) return `"${text}" is not a valid ${field} value.`;
  const begin = values[0] as number;
  const end = (values[1] ?? begin) as number;
  for (const v of [begin, end]) {
    if (v < d.min || v > d.max || (field === 'daysOfMonth' && v === 0))
      return `"${text}" is out of range for ${field}.`;
  }
  if (field === 'daysOfMonth' && begin < 0 && end > 0)
    return `"${text}": a negative start day needs a negative end.`;
  if (begin >= 0 === end >= 0 && begin > end) return `"${text}": the start is after the end.`;
  return { begin, end };
}

/** Whether Intl knows the zone (the runtime's IANA database, kept current with the engine). */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const rangeList = (field: RangeField) =>
  z
    .array(z.string().max(30))
    .min(1)
    .max(TIME_INTERVAL_LIMITS.entries)
    .superRefine((list, ctx) => {
      list.forEach((text, i) => {
        const r = parseRange(field, text);
        if (typeof r === 'string') ctx.addIssue({ code: 'custom', path: [i], message: r });
      });
    });

const timeRange = z
  .object({ start: z.string().max(5), end: z.string().max(5) })
  .strict()
  .superRefine((t, ctx) => {
    const start = parseClock(t.start);
    const end = parseClock(t.end);
    if (start === null || start === 1440)
      ctx.addIssue({ code: 'custom', path: ['start'], message: 'Use "HH:MM" between 00:00 and 23:59.' });
    if (end === null) ctx.addIssue({ code: 'custom', path: ['end'], message: 'Use "HH:MM" up to 24:00.' });
    else if (start !== null && end <= start)
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'The end must be after the start.' });
  });

/** One spec: every given field must match; an omitted field matches everything. */
export const timeIntervalSpecSchema = z
  .object({
    times: z.array(timeRange).min(1).max(TIME_INTERVAL_LIMITS.entries).optional(),
    weekdays: rangeList('weekdays').optional(),
    daysOfMonth: rangeList('daysOfMonth').optional(),
    months: rangeList('months').optional(),
    years: rangeList('years').optional(),
    location: z
      .string()
      .max(TIME_INTERVAL_LIMITS.zoneLength)
      .refine(isKnownZone, 'Unknown time zone: use an IANA name such as Europe/Berlin.')
      .optional(),
  })
  .strict();

export const timeIntervalName = z
  .string()
  .trim()
  .min(1, 'Required.')
  .max(TIME_INTERVAL_LIMITS.nameLength)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/, 'Letters, digits, space, "_", "." and "-" only.');

export const timeIntervalInput = z
  .object({
    name: timeIntervalName,
    intervals: z
      .array(timeIntervalSpecSchema)
      .min(1, 'Add at least one spec.')
      .max(TIME_INTERVAL_LIMITS.specs),
  })
  .strict();

export type TimeIntervalInput = z.infer<typeof timeIntervalInput>;
