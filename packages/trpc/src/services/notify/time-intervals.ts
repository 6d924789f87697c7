/**
 * Time-interval evaluation (spec A6 "Time intervals"), pure: whether a tick falls in a named interval, and whether
 * a route is muted at a tick. The wall clock in a zone comes from Intl (the runtime's IANA data), so DST is right.
 */
import type { TimeIntervalSpec } from '@sextant/db';
import { type NumRange, parseClock, parseRange, type RangeField } from '../../schemas/time-intervals';
import type { ResolvedRoute } from './routing';

/** A compiled named interval: true when the instant falls in any of its specs. */
export type IntervalTest = (atMs: number) => boolean;
export type CompiledIntervals = ReadonlyMap<string, IntervalTest>;

interface LocalTime {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  /** 0 = sunday. */
  weekday: number;
  /** Minutes since local midnight. */
  minute: number;
  daysInMonth: number;
}

const WEEKDAY_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall clock in `zone` at an instant. */
export function localTime(atMs: number, zone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(zone).formatToParts(atMs)) parts[p.type] = p.value;
  const year = Number(parts.year);
  const month = Number(parts.month);
  return {
    year,
    month,
    day: Number(parts.day),
    weekday: WEEKDAY_SHORT.indexOf(parts.weekday!),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate(),
  };
}

const inRanges = (ranges: NumRange[], v: number) => ranges.some((r) => v >= r.begin && v <= r.end);

/** Negative days count from the month's end (-1 = last day); a range is clamped to the month, Feb 30 never matches. */
function dayMatches(ranges: NumRange[], day: number, daysInMonth: number): boolean {
  return ranges.some((r) => {
    const begin = r.begin < 0 ? Math.max(1, daysInMonth + r.begin + 1) : r.begin;
    const end = Math.min(daysInMonth, r.end < 0 ? daysInMonth + r.end + 1 : r.end);
    return begin <= daysInMonth && day >= begin && day <= end;
  });
}

function ranges(field: RangeField, list: string[] | undefined): NumRange[] | null {
  if (!list) return null;
  return list.map((text) => {
    const r = parseRange(field, text);
    // Stored specs passed the schema; a malformed one here is a bug, not user input.
    if (typeof r === 'string') throw new Error(`time interval: ${r}`);
    return r;
  });
}

function compileSpec(spec: TimeIntervalSpec): IntervalTest {
  const zone = spec.location ?? 'UTC';
  const times = spec.times?.map((t) => ({ begin: parseClock(t.start)!, end: parseClock(t.end)! }));
  const weekdays = ranges('weekdays', spec.weekdays);
  const days = ranges('daysOfMonth', spec.daysOfMonth);
  const months = ranges('months', spec.months);
  const years = ranges('years', spec.years);
  return (atMs) => {
    const t = localTime(atMs, zone);
    // Times are [start, end) in whole minutes: 16:59:59 is minute 1019, inside 09:00–17:00; 17:00:00 is not.
    if (times && !times.some((r) => t.minute >= r.begin && t.minute < r.end)) return false;
    if (weekdays && !inRanges(weekdays, t.weekday)) return false;
    if (days && !dayMatches(days, t.day, t.daysInMonth)) return false;
    if (months && !inRanges(months, t.month)) return false;
    return !years || inRanges(years, t.year);
  };
}

/** A named interval's test: any of its specs matches. */
export function compileInterval(specs: readonly TimeIntervalSpec[]): IntervalTest {
  const tests = specs.map(compileSpec);
  return (atMs) => tests.some((test) => test(atMs));
}

/** Whether the instant falls in the interval made of these specs. */
export function intervalMatches(specs: readonly TimeIntervalSpec[], atMs: number): boolean {
  return compileInterval(specs)(atMs);
}

/** Compiles every named interval once per change of the time_intervals table. */
export function compileTimeIntervals(byName: Record<string, TimeIntervalSpec[]>): CompiledIntervals {
  return new Map(Object.entries(byName).map(([name, specs]) => [name, compileInterval(specs)]));
}

export interface MuteDecision {
  muted: boolean;
  /** The mute intervals that matched, or one `inactive:<names>` when no active interval held. */
  mutedBy: string[];
}

/**
 * Whether a route's notifications are muted at a tick (spec A6): muted when any of its mute intervals matches, or
 * when it lists active intervals and none matches; mute wins in the report. An unknown name never matches.
 */
export function routeMuteAt(
  route: Pick<ResolvedRoute, 'muteTimeIntervals' | 'activeTimeIntervals'>,
  compiled: CompiledIntervals,
  atMs: number,
): MuteDecision {
  const holds = (name: string) => compiled.get(name)?.(atMs) ?? false;
  const mutedBy = route.muteTimeIntervals.filter(holds);
  if (mutedBy.length > 0) return { muted: true, mutedBy };
  const active = route.activeTimeIntervals;
  if (active.length > 0 && !active.some(holds))
    return { muted: true, mutedBy: [`inactive:${active.join(',')}`] };
  return { muted: false, mutedBy: [] };
}
