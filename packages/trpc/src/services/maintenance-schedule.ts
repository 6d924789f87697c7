/**
 * When maintenance windows happen: validation of a window and its RFC 5545 RRULE, and bounded expansion into UTC
 * occurrences. Pure (no database). The RRULE is read in the window's IANA zone by rrule-temporal, so "daily at
 * 02:00 Europe/Berlin" stays 02:00 local across DST changes; a local time that does not exist on a day (02:30 on
 * the March change) yields no occurrence that day, as RFC 5545 §3.3.10 requires.
 */
import { RRuleTemporal } from 'rrule-temporal';
import { AppError } from '../errors';
import { MAINTENANCE_LIMITS } from '../limits';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** What the schedule needs of a maintenance row. */
export interface ScheduledWindow {
  startsAt: Date;
  endsAt: Date;
  /** The RRULE value (no DTSTART), or null for a one-off window. */
  rrule: string | null;
  timeZone: string;
  cancelledAt?: Date | null;
}

export interface Occurrence {
  start: Date;
  end: Date;
}

/** Why a window is refused; stable, so the console and tests switch on it rather than on messages. */
export type MaintenanceReason =
  | 'UNKNOWN_TIME_ZONE'
  | 'ENDS_BEFORE_START'
  | 'DURATION_OUT_OF_RANGE'
  | 'INVALID_RRULE'
  | 'RRULE_NEVER_ENDS'
  | 'RRULE_TOO_FREQUENT'
  | 'RRULE_TOO_MANY_OCCURRENCES'
  | 'RANGE_TOO_LARGE';

/** A VALIDATION_FAILED AppError that also carries the reason and the field. */
export class MaintenanceInputError extends AppError {
  constructor(
    readonly reason: MaintenanceReason,
    message: string,
    path: readonly (string | number)[],
  ) {
    super('VALIDATION_FAILED', message, path);
  }
}

const RULE_PARTS = new Set([
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'BYSECOND',
  'BYMINUTE',
  'BYHOUR',
  'BYDAY',
  'BYMONTHDAY',
  'BYYEARDAY',
  'BYWEEKNO',
  'BYMONTH',
  'BYSETPOS',
  'WKST',
]);
const FREQS = new Set(['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);

// One Intl formatter per zone: building them is the costly part of reading a local time.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The canonical name of an IANA zone (Region/City or UTC) the runtime knows, or null; offsets are not zones. */
export function canonicalTimeZone(timeZone: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) return null;
  try {
    return formatterFor(timeZone).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

/** The instant as a Temporal ZonedDateTime string with its offset, so an ambiguous local time stays the same instant. */
function zonedString(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(
    +parts.year!,
    +parts.month! - 1,
    +parts.day!,
    +parts.hour!,
    +parts.minute!,
    +parts.second!,
  );
  const offsetMin = Math.round((local - Math.floor(at.getTime() / 1000) * 1000) / MINUTE);
  const sign = offsetMin < 0 ? '-' : '+';
  const off = `${sign}${pad(Math.trunc(offsetMin / 60))}:${pad(offsetMin % 60)}`;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.${pad(at.getUTCMilliseconds(), 3)}${off}[${timeZone}]`;
}

/** The RRULE value, upper-cased and without an "RRULE:" prefix; parts checked before the library sees it. */
export function normalizeRrule(input: string): string {
  const rule = input
    .trim()
    .replace(/^RRULE:/i, '')
    .toUpperCase();
  const bad = (reason: MaintenanceReason, message: string): never => {
    throw new MaintenanceInputError(reason, message, ['rrule']);
  };
  if (!/^[A-Z0-9=;,+-]+$/.test(rule)) bad('INVALID_RRULE', 'An RRULE is NAME=VALUE parts separated by ";".');
  const parts = new Map<string, string>();
  for (const part of rule.split(';')) {
    const [name, value, extra] = part.split('=');
    if (!name || !value || extra !== undefined) bad('INVALID_RRULE', `"${part}" is not a NAME=VALUE part.`);
    if (!RULE_PARTS.has(name!)) bad('INVALID_RRULE', `${name} is not an RRULE part.`);
    if (parts.has(name!)) bad('INVALID_RRULE', `${name} appears twice.`);
    parts.set(name!, value!);
  }
  const freq = parts.get('FREQ');
  if (!freq) bad('INVALID_RRULE', 'The RRULE needs a FREQ.');
  if (freq === 'SECONDLY' || freq === 'MINUTELY')
    bad('RRULE_TOO_FREQUENT', 'A maintenance window repeats at most hourly.');
  if (!FREQS.has(freq!)) bad('INVALID_RRULE', `${freq} is not a frequency.`);
  for (const name of ['BYSECOND', 'BYMINUTE']) {
    if ((parts.get(name)?.split(',').length ?? 0) > 1)
      bad('RRULE_TOO_FREQUENT', `Several ${name} values repeat the window more often than hourly.`);
  }
  if (!parts.has('COUNT') && !parts.has('UNTIL'))
    bad('RRULE_NEVER_ENDS', 'The RRULE must end: give it a COUNT or an UNTIL.');
  const count = parts.get('COUNT');
  if (count !== undefined && !(/^\d{1,6}$/.test(count) && +count >= 1))
    bad('INVALID_RRULE', 'COUNT is a whole number of at least 1.');
  if (count !== undefined && +count > MAINTENANCE_LIMITS.seriesOccurrences)
    bad(
      'RRULE_TOO_MANY_OCCURRENCES',
      `A series has at most ${MAINTENANCE_LIMITS.seriesOccurrences} occurrences.`,
    );
  return rule;
}

/** Starts (epoch ms) of the whole series, memoized: a series is at most seriesOccurrences long by validation. */
const seriesCache = new Map<string, number[]>();
const SERIES_CACHE_SIZE = 500;

function seriesStarts(w: ScheduledWindow): number[] {
  if (!w.rrule) return [w.startsAt.getTime()];
  const key = `${w.timeZone}|${w.startsAt.getTime()}|${w.rrule}`;
  const hit = seriesCache.get(key);
  if (hit) return hit;
  const starts = expandSeries(w.rrule, w.startsAt, w.timeZone);
  if (starts.length > MAINTENANCE_LIMITS.seriesOccurrences)
    throw new MaintenanceInputError(
      'RRULE_TOO_MANY_OCCURRENCES',
      `A series has at most ${MAINTENANCE_LIMITS.seriesOccurrences} occurrences.`,
      ['rrule'],
    );
  if (seriesCache.size >= SERIES_CACHE_SIZE) seriesCache.delete(seriesCache.keys().next().value!);
  seriesCache.set(key, starts);
  return starts;
}

/** Expands at most one occurrence past the series limit; the library's own caps stop a rule that never matches. */
function expandSeries(rrule: string, startsAt: Date, timeZone: string): number[] {
  const cap = MAINTENANCE_LIMITS.seriesOccurrences + 1;
  try {
    const rule = new RRuleTemporal({
      rruleString: `RRULE:${normalizeRrule(rrule)}`,
      dtstart: { timeZoneId: timeZone, toString: () => zonedString(startsAt, timeZone) },
      tzid: timeZone,
      maxIterations: 5_000,
      maxCandidateEvaluations: 100_000,
      cache: false,
    });
    return rule.all((_, i) => i < cap).map((d) => d.epochMilliseconds);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new MaintenanceInputError('INVALID_RRULE', `The RRULE does not expand: ${(err as Error).message}`, [
      'rrule',
    ]);
  }
}

/**
 * Refuses a window that could not be scheduled: unknown zone, end not after start, a duration outside 1 min – 7 days,
 * an RRULE that does not parse, never ends, has too many occurrences or repeats more often than hourly.
 */
export function validateWindow(w: ScheduledWindow): void {
  if (canonicalTimeZone(w.timeZone) === null)
    throw new MaintenanceInputError('UNKNOWN_TIME_ZONE', 'Unknown time zone; use an IANA name.', [
      'timeZone',
    ]);
  const minutes = (w.endsAt.getTime() - w.startsAt.getTime()) / MINUTE;
  if (!(minutes > 0))
    throw new MaintenanceInputError('ENDS_BEFORE_START', 'The window ends before it starts.', ['endsAt']);
  const { min, max } = MAINTENANCE_LIMITS.durationMinutes;
  if (minutes < min || minutes > max)
    throw new MaintenanceInputError('DURATION_OUT_OF_RANGE', 'A window lasts from 1 minute to 7 days.', [
      'endsAt',
    ]);
  if (!w.rrule) return;
  const starts = seriesStarts(w);
  if (starts.length === 0)
    throw new MaintenanceInputError('INVALID_RRULE', 'The RRULE yields no occurrence.', ['rrule']);
  for (let i = 1; i < starts.length; i++) {
    if (starts[i]! - starts[i - 1]! < MAINTENANCE_LIMITS.minGapMinutes * MINUTE)
      throw new MaintenanceInputError('RRULE_TOO_FREQUENT', 'A maintenance window repeats at most hourly.', [
        'rrule',
      ]);
  }
}

/** Refuses a range longer than rangeDays before any expansion. */
function assertRange(from: Date, to: Date): void {
  if (to.getTime() - from.getTime() > MAINTENANCE_LIMITS.rangeDays * DAY)
    throw new MaintenanceInputError(
      'RANGE_TOO_LARGE',
      `A range spans at most ${MAINTENANCE_LIMITS.rangeDays} days.`,
      ['to'],
    );
}

/**
 * Every occurrence as it really happened or will: cancelling keeps the ones that began before it (uptime still
 * excludes them) and cuts the one running then short; later ones never happen.
 */
function* realOccurrences(w: ScheduledWindow): Generator<Occurrence> {
  const duration = w.endsAt.getTime() - w.startsAt.getTime();
  const cut = w.cancelledAt?.getTime() ?? Number.POSITIVE_INFINITY;
  for (const start of seriesStarts(w)) {
    if (start >= cut) return;
    yield { start: new Date(start), end: new Date(Math.min(start + duration, cut)) };
  }
}

/** Occurrences overlapping [from, to), in UTC, at most rangeOccurrences of them. */
export function occurrencesBetween(w: ScheduledWindow, from: Date, to: Date): Occurrence[] {
  assertRange(from, to);
  const out: Occurrence[] = [];
  for (const o of realOccurrences(w)) {
    if (o.start >= to || out.length >= MAINTENANCE_LIMITS.rangeOccurrences) break;
    if (o.end > from) out.push(o);
  }
  return out;
}

/** The next `n` occurrences that have not ended by `now`. */
export function nextOccurrences(w: ScheduledWindow, now: Date, n: number): Occurrence[] {
  const out: Occurrence[] = [];
  for (const o of realOccurrences(w)) {
    if (out.length >= n) break;
    if (o.end > now) out.push(o);
  }
  return out;
}

/** The span of the whole series: first start to last end (a cancelled window keeps its span for history). */
export function seriesSpan(w: ScheduledWindow): Occurrence {
  const starts = seriesStarts(w);
  const duration = w.endsAt.getTime() - w.startsAt.getTime();
  const last = starts[starts.length - 1] ?? w.startsAt.getTime();
  return { start: new Date(starts[0] ?? w.startsAt.getTime()), end: new Date(last + duration) };
}

/** How many occurrences the whole series has (1 for a one-off window). */
export const seriesCount = (w: ScheduledWindow): number => seriesStarts(w).length;

/** The windows with an occurrence containing t (start inclusive, end exclusive). */
export function activeAt<W extends ScheduledWindow>(windows: readonly W[], t: Date): W[] {
  return windows.filter(
    (w) => occurrencesBetween(w, new Date(t.getTime()), new Date(t.getTime() + 1)).length > 0,
  );
}

/** Milliseconds of [from, to) inside any of the windows, overlapping occurrences counted once. */
export function excludedMs(windows: readonly ScheduledWindow[], from: Date, to: Date): number {
  assertRange(from, to);
  const spans = windows
    .flatMap((w) => occurrencesBetween(w, from, to))
    .map(
      (o) => [Math.max(o.start.getTime(), from.getTime()), Math.min(o.end.getTime(), to.getTime())] as const,
    )
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [curStart, curEnd] = [Number.NaN, Number.NaN];
  for (const [s, e] of spans) {
    if (Number.isNaN(curStart) || s > curEnd) {
      if (!Number.isNaN(curStart)) total += curEnd - curStart;
      [curStart, curEnd] = [s, e];
    } else curEnd = Math.max(curEnd, e);
  }
  if (!Number.isNaN(curStart)) total += curEnd - curStart;
  return total;
}
