import { describe, expect, it } from 'vitest';
import {
  activeAt,
  excludedMs,
  MaintenanceInputError,
  type MaintenanceReason,
  nextOccurrences,
  occurrencesBetween,
  type ScheduledWindow,
  validateWindow,
} from '../../src/services/maintenance-schedule';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const win = (startsAt: string, minutes: number, rrule: string | null, timeZone = 'UTC'): ScheduledWindow => ({
  startsAt: at(startsAt),
  endsAt: new Date(at(startsAt).getTime() + minutes * 60_000),
  rrule,
  timeZone,
});
const starts = (w: ScheduledWindow, from: string, to: string) =>
  occurrencesBetween(w, at(from), at(to)).map((o) => o.start.toISOString());
/** The wall-clock time of an instant in Berlin, e.g. "02:30". */
const berlin = (d: Date) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(
    d,
  );

function reasonOf(fn: () => unknown): MaintenanceReason {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MaintenanceInputError);
    return (err as MaintenanceInputError).reason;
  }
  throw new Error('expected a refusal');
}

describe('DST in Europe/Berlin: a daily 02:30 window', () => {
  it('in March skips the day 02:30 does not exist (RFC 5545: ignored, not counted) and stays 02:30 local', () => {
    // 02:30 CET on 27 March is 01:30 UTC; on 29 March clocks jump from 02:00 to 03:00.
    const w = win('2026-03-27T01:30:00Z', 60, 'FREQ=DAILY;COUNT=5', 'Europe/Berlin');
    validateWindow(w);
    const got = occurrencesBetween(w, at('2026-03-26T00:00:00Z'), at('2026-04-03T00:00:00Z'));
    expect(got.map((o) => o.start.toISOString())).toEqual([
      '2026-03-27T01:30:00.000Z',
      '2026-03-28T01:30:00.000Z',
      // no 29 March: the library omits the non-existent local time, and COUNT still yields five occurrences
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
      '2026-04-01T00:30:00.000Z',
    ]);
    expect(got.map((o) => berlin(o.start))).toEqual(['02:30', '02:30', '02:30', '02:30', '02:30']);
    expect(got.every((o) => o.end.getTime() - o.start.getTime() === HOUR)).toBe(true);
  });

  it('in October takes the first 02:30 of the repeated hour, then 02:30 CET', () => {
    const w = win('2026-10-23T00:30:00Z', 60, 'FREQ=DAILY;COUNT=4', 'Europe/Berlin');
    validateWindow(w);
    const got = occurrencesBetween(w, at('2026-10-20T00:00:00Z'), at('2026-10-30T00:00:00Z'));
    expect(got.map((o) => o.start.toISOString())).toEqual([
      '2026-10-23T00:30:00.000Z',
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
    expect(got.map((o) => berlin(o.start))).toEqual(['02:30', '02:30', '02:30', '02:30']);
  });

  it('a first start in the repeated hour keeps its own instant (the second 02:30, CET)', () => {
    const w = win('2026-10-25T01:30:00Z', 30, 'FREQ=DAILY;COUNT=2', 'Europe/Berlin');
    expect(starts(w, '2026-10-25T00:00:00Z', '2026-10-27T00:00:00Z')).toEqual([
      '2026-10-25T01:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });
});

describe('a monthly "last Sunday" window', () => {
  it('falls on the last Sunday of every month of 2026 at 03:00 Berlin time', () => {
    const w = win(
      '2026-01-25T02:00:00Z',
      120,
      'FREQ=MONTHLY;BYDAY=-1SU;UNTIL=20261231T235959Z',
      'Europe/Berlin',
    );
    validateWindow(w);
    const got = occurrencesBetween(w, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'));
    expect(got.map((o) => o.start.toISOString().slice(0, 10))).toEqual([
      '2026-01-25',
      '2026-02-22',
      '2026-03-29',
      '2026-04-26',
      '2026-05-31',
      '2026-06-28',
      '2026-07-26',
      '2026-08-30',
      '2026-09-27',
      '2026-10-25',
      '2026-11-29',
      '2026-12-27',
    ]);
    expect(got.every((o) => o.start.getUTCDay() === 0 && berlin(o.start) === '03:00')).toBe(true);
    // Summer time: 03:00 CEST is 01:00 UTC; winter: 02:00 UTC.
    expect(got[5]!.start.toISOString()).toBe('2026-06-28T01:00:00.000Z');
    expect(got[11]!.start.toISOString()).toBe('2026-12-27T02:00:00.000Z');
  });
});

describe('refusals', () => {
  const base = '2026-06-01T10:00:00Z';
  it.each([
    ['FREQ=DAILY', 'RRULE_NEVER_ENDS'],
    ['FREQ=WEEKLY;BYDAY=MO', 'RRULE_NEVER_ENDS'],
    ['FREQ=SECONDLY;COUNT=10', 'RRULE_TOO_FREQUENT'],
    ['FREQ=MINUTELY;COUNT=10', 'RRULE_TOO_FREQUENT'],
    ['FREQ=HOURLY;BYMINUTE=0,30;COUNT=10', 'RRULE_TOO_FREQUENT'],
    ['FREQ=DAILY;BYSECOND=1,2,3;COUNT=10', 'RRULE_TOO_FREQUENT'],
    ['FREQ=DAILY;COUNT=100000', 'RRULE_TOO_MANY_OCCURRENCES'],
    ['FREQ=HOURLY;UNTIL=20280101T000000Z', 'RRULE_TOO_MANY_OCCURRENCES'],
    ['FREQ=DAILY;COUNT=3;FOO=1', 'INVALID_RRULE'],
    ['FREQ=DAILY;COUNT=3;COUNT=4', 'INVALID_RRULE'],
    ['FREQ=DAILY;BYDAY=XX;COUNT=3', 'INVALID_RRULE'],
    ['DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY;COUNT=3', 'INVALID_RRULE'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3', 'INVALID_RRULE'],
  ] as const)('%s → %s', (rrule, reason) => {
    expect(reasonOf(() => validateWindow(win(base, 30, rrule)))).toBe(reason);
  });

  it('a window ending before it starts, or at its start', () => {
    expect(reasonOf(() => validateWindow(win(base, -30, null)))).toBe('ENDS_BEFORE_START');
    expect(reasonOf(() => validateWindow(win(base, 0, null)))).toBe('ENDS_BEFORE_START');
  });

  it('a duration outside 1 minute – 7 days', () => {
    expect(reasonOf(() => validateWindow(win(base, 0.5, null)))).toBe('DURATION_OUT_OF_RANGE');
    expect(reasonOf(() => validateWindow(win(base, 7 * 1440 + 1, null)))).toBe('DURATION_OUT_OF_RANGE');
    validateWindow(win(base, 7 * 1440, null));
  });

  it('unknown time zones and bare offsets', () => {
    for (const zone of ['Mars/Olympus_Mons', '+01:00', 'Europe/../Berlin', ''])
      expect(reasonOf(() => validateWindow(win(base, 30, null, zone)))).toBe('UNKNOWN_TIME_ZONE');
    validateWindow(win(base, 30, null, 'America/Argentina/Buenos_Aires'));
  });

  it('a range longer than 400 days, before any expansion', () => {
    const w = win(base, 30, 'FREQ=DAILY;COUNT=3');
    expect(
      reasonOf(() => occurrencesBetween(w, at('2026-01-01T00:00:00Z'), at('2027-02-06T00:00:00Z'))),
    ).toBe('RANGE_TOO_LARGE');
    expect(reasonOf(() => excludedMs([w], at('2026-01-01T00:00:00Z'), at('2027-02-06T00:00:00Z')))).toBe(
      'RANGE_TOO_LARGE',
    );
  });

  it('accepts hourly, exactly an hour apart', () => {
    validateWindow(win(base, 60, 'FREQ=HOURLY;COUNT=24'));
    validateWindow(win(base, 30, 'rrule:freq=daily;byhour=1,2;byminute=0;count=4'));
  });
});

describe('expansion', () => {
  it('returns at most 1,000 occurrences per range', () => {
    const w = win('2026-01-01T00:00:00Z', 30, 'FREQ=HOURLY;COUNT=2000');
    expect(occurrencesBetween(w, at('2026-01-01T00:00:00Z'), at('2026-06-01T00:00:00Z'))).toHaveLength(1000);
  });

  it('includes an occurrence that started before the range and is still running', () => {
    const w = win('2026-06-01T10:00:00Z', 120, null);
    expect(starts(w, '2026-06-01T11:00:00Z', '2026-06-01T11:30:00Z')).toEqual(['2026-06-01T10:00:00.000Z']);
    expect(starts(w, '2026-06-01T12:00:00Z', '2026-06-01T13:00:00Z')).toEqual([]);
  });

  it('nextOccurrences skips ended ones; a cancelled window has none', () => {
    const w = win('2026-06-01T10:00:00Z', 60, 'FREQ=DAILY;COUNT=5');
    expect(nextOccurrences(w, at('2026-06-02T10:30:00Z'), 2).map((o) => o.start.toISOString())).toEqual([
      '2026-06-02T10:00:00.000Z',
      '2026-06-03T10:00:00.000Z',
    ]);
    const cancelled = { ...w, cancelledAt: at('2026-05-01T00:00:00Z') };
    expect(nextOccurrences(cancelled, at('2026-06-02T10:30:00Z'), 2)).toEqual([]);
    expect(starts(cancelled, '2026-06-01T00:00:00Z', '2026-06-10T00:00:00Z')).toEqual([]);
  });
});

describe('a cancelled window', () => {
  it('keeps the occurrences begun before the cancellation, cuts the running one short, drops the rest', () => {
    const w = {
      ...win('2026-06-01T10:00:00Z', 60, 'FREQ=DAILY;COUNT=5'),
      cancelledAt: at('2026-06-02T10:20:00Z'),
    };
    const got = occurrencesBetween(w, at('2026-06-01T00:00:00Z'), at('2026-06-10T00:00:00Z'));
    expect(got.map((o) => [o.start.toISOString(), o.end.toISOString()])).toEqual([
      ['2026-06-01T10:00:00.000Z', '2026-06-01T11:00:00.000Z'],
      ['2026-06-02T10:00:00.000Z', '2026-06-02T10:20:00.000Z'],
    ]);
    expect(activeAt([w], at('2026-06-02T10:10:00Z'))).toEqual([w]);
    expect(activeAt([w], at('2026-06-02T10:30:00Z'))).toEqual([]);
    expect(excludedMs([w], at('2026-06-01T00:00:00Z'), at('2026-06-10T00:00:00Z'))).toBe(80 * 60_000);
    expect(nextOccurrences(w, at('2026-06-02T10:30:00Z'), 3)).toEqual([]);
  });
});

describe('activeAt', () => {
  it('holds from an occurrence start (inclusive) to its end (exclusive)', () => {
    const daily = win('2026-06-01T10:00:00Z', 60, 'FREQ=DAILY;COUNT=3');
    const once = win('2026-06-02T10:30:00Z', 60, null);
    expect(activeAt([daily, once], at('2026-06-02T10:00:00Z'))).toEqual([daily]);
    expect(activeAt([daily, once], at('2026-06-02T10:45:00Z'))).toEqual([daily, once]);
    expect(activeAt([daily, once], at('2026-06-02T11:00:00Z'))).toEqual([once]);
    expect(activeAt([daily, once], at('2026-06-04T10:15:00Z'))).toEqual([]);
  });
});

describe('excludedMs', () => {
  it('merges overlapping occurrences and clips to the range (hand-computed: 3 h 30 min)', () => {
    // A: 1 June 10:00–12:00. B: daily 11:00–12:00 on 1–3 June. Range: 1 June 00:00 – 3 June 11:30.
    // 1 June: A ∪ B = 10:00–12:00 (2 h); 2 June: 1 h; 3 June: 11:00–11:30 (0.5 h). Total 3.5 h.
    const a = win('2026-06-01T10:00:00Z', 120, null);
    const b = win('2026-06-01T11:00:00Z', 60, 'FREQ=DAILY;COUNT=3');
    expect(excludedMs([a, b], at('2026-06-01T00:00:00Z'), at('2026-06-03T11:30:00Z'))).toBe(3.5 * HOUR);
    expect(excludedMs([], at('2026-06-01T00:00:00Z'), at('2026-06-03T11:30:00Z'))).toBe(0);
  });

  it('counts the March DST week in Berlin by real hours (4 occurrences of 1 h, 29 March skipped)', () => {
    const w = win('2026-03-27T01:30:00Z', 60, 'FREQ=DAILY;COUNT=5', 'Europe/Berlin');
    expect(excludedMs([w], at('2026-03-27T00:00:00Z'), at('2026-04-01T00:00:00Z'))).toBe(4 * HOUR);
  });
});
