/** Maintenance wording and time-zone arithmetic, pure, so the list, the detail page and the form agree. */

type Tone = 'neutral' | 'success' | 'warning' | 'danger' | 'info';

export const STATE_LABEL = { upcoming: 'Upcoming', active: 'Active', past: 'Past' } as const;
export type MaintenanceState = keyof typeof STATE_LABEL;
export const STATE_TONE: Record<MaintenanceState, Tone> = {
  upcoming: 'info',
  active: 'warning',
  past: 'neutral',
};

/** RRULE presets the form offers; each ends (COUNT), as the server requires. */
export const RRULE_PRESETS = [
  { id: 'daily', label: 'Daily, 30 times', rrule: 'FREQ=DAILY;COUNT=30' },
  { id: 'weekly', label: 'Weekly, 52 times', rrule: 'FREQ=WEEKLY;COUNT=52' },
  {
    id: 'monthly-last-sunday',
    label: 'Monthly, last Sunday, 12 times',
    rrule: 'FREQ=MONTHLY;BYDAY=-1SU;COUNT=12',
  },
  {
    id: 'monthly-first-monday',
    label: 'Monthly, first Monday, 12 times',
    rrule: 'FREQ=MONTHLY;BYDAY=1MO;COUNT=12',
  },
] as const;

/** Zones the form suggests; any IANA name the server knows is accepted. */
export const COMMON_TIME_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
] as const;

const DAYS: Record<string, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
const UNITS: Record<string, [string, string]> = {
  HOURLY: ['hour', 'hours'],
  DAILY: ['day', 'days'],
  WEEKLY: ['week', 'weeks'],
  MONTHLY: ['month', 'months'],
  YEARLY: ['year', 'years'],
};
const ORDINAL: Record<string, string> = {
  '1': 'first',
  '2': 'second',
  '3': 'third',
  '4': 'fourth',
  '-1': 'last',
};

/** "3SU" → "third Sunday", "MO" → "Monday"; null when it is not a weekday part. */
function dayWords(part: string): string | null {
  const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(part);
  if (!m) return null;
  const n = m[1]?.replace('+', '');
  if (!n) return DAYS[m[2]!]!;
  return `${ORDINAL[n] ?? `${n}.`} ${DAYS[m[2]!]}`;
}

/**
 * An RRULE in words for the list ("Every week on Sunday, 52 times"); the raw rule when it has parts this does
 * not word, so nothing is ever described wrongly. Null (a one-off window) is "Once".
 */
export function describeRrule(rrule: string | null): string {
  if (!rrule) return 'Once';
  const parts = new Map(rrule.split(';').map((p) => p.split('=') as [string, string]));
  const unit = UNITS[parts.get('FREQ') ?? ''];
  const known = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'WKST']);
  if (!unit || [...parts.keys()].some((k) => !known.has(k))) return rrule;
  const interval = Number(parts.get('INTERVAL') ?? '1');
  let text = interval > 1 ? `Every ${interval} ${unit[1]}` : `Every ${unit[0]}`;
  const byDay = parts.get('BYDAY');
  if (byDay) {
    const days = byDay.split(',').map(dayWords);
    if (days.some((d) => d === null)) return rrule;
    // "on the last Sunday", but "on Monday, Wednesday".
    text += ` on ${/\d/.test(byDay) ? 'the ' : ''}${days.join(', ')}`;
  }
  const byMonthDay = parts.get('BYMONTHDAY');
  if (byMonthDay) text += byMonthDay === '-1' ? ' on its last day' : ` on day ${byMonthDay}`;
  const count = parts.get('COUNT');
  if (count) text += count === '1' ? ', once' : `, ${count} times`;
  const until = parts.get('UNTIL');
  if (until) {
    const d = /^(\d{4})(\d{2})(\d{2})/.exec(until);
    text += d ? `, until ${d[1]}-${d[2]}-${d[3]}` : `, until ${until}`;
  }
  return text;
}

/** The zone's offset from UTC at `at`, in ms (positive east of Greenwich). */
function offsetMs(at: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(new Date(at))
      .map((p) => [p.type, Number(p.value)]),
  );
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
  return local - Math.floor(at / 60_000) * 60_000;
}

/** Is this a zone the browser knows? (The server checks again and has the final word.) */
export function knownZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone.trim() !== '';
  } catch {
    return false;
  }
}

/**
 * A wall-clock time ("2030-01-06T02:00", as `<input type="datetime-local">` gives it) in `timeZone`, as an instant;
 * undefined when empty or the zone is unknown. Two passes settle the offset around DST changes.
 */
export function zonedToInstant(wall: string, timeZone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(wall);
  if (!m || !knownZone(timeZone)) return undefined;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  let at = asUtc - offsetMs(asUtc, timeZone);
  at = asUtc - offsetMs(at, timeZone);
  return new Date(at);
}

/** An instant as a wall-clock time in `timeZone`, the way `<input type="datetime-local">` wants it. */
export function instantToZoned(d: Date, timeZone: string): string {
  const local = new Date(d.getTime() + offsetMs(d.getTime(), timeZone));
  return local.toISOString().slice(0, 16);
}
