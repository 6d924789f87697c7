import type { RouteNode, TimeIntervalSpec } from '@sextant/db';
import { describe, expect, it } from 'vitest';
import { timeIntervalInput, timeIntervalSpecSchema } from '../../src/schemas/time-intervals';
import { compileTree } from '../../src/services/notify/routing';
import { compileTimeIntervals, intervalMatches, routeMuteAt } from '../../src/services/notify/time-intervals';

const at = (iso: string) => Date.parse(iso);

describe('intervalMatches (spec A6 time intervals)', () => {
  // [specs, instant, expected]
  const table: [string, TimeIntervalSpec[], string, boolean][] = [
    ['empty spec matches all', [{}], '2026-11-30T12:34:56Z', true],
    ['times start inclusive', [{ times: [{ start: '09:00', end: '17:00' }] }], '2026-11-30T09:00:00Z', true],
    ['times 16:59:59 inside', [{ times: [{ start: '09:00', end: '17:00' }] }], '2026-11-30T16:59:59Z', true],
    ['times end exclusive', [{ times: [{ start: '09:00', end: '17:00' }] }], '2026-11-30T17:00:00Z', false],
    ['times up to 24:00', [{ times: [{ start: '22:00', end: '24:00' }] }], '2026-11-30T23:59:59Z', true],
    ['times before start', [{ times: [{ start: '09:00', end: '17:00' }] }], '2026-11-30T08:59:59Z', false],
    ['weekday single', [{ weekdays: ['monday'] }], '2026-11-30T10:00:00Z', true],
    ['weekday range inclusive', [{ weekdays: ['monday:friday'] }], '2026-12-04T23:59:00Z', true],
    ['weekday outside range', [{ weekdays: ['monday:friday'] }], '2026-12-05T00:00:00Z', false],
    ['day of month', [{ daysOfMonth: ['1:5'] }], '2026-12-05T10:00:00Z', true],
    ['day of month outside', [{ daysOfMonth: ['1:5'] }], '2026-12-06T10:00:00Z', false],
    ['last day of a 30-day month', [{ daysOfMonth: ['-1'] }], '2026-11-30T10:00:00Z', true],
    ['last day of a leap February', [{ daysOfMonth: ['-1'] }], '2028-02-29T10:00:00Z', true],
    ['-1 not the 28th of a leap February', [{ daysOfMonth: ['-1'] }], '2028-02-28T10:00:00Z', false],
    ['last three days', [{ daysOfMonth: ['-3:-1'] }], '2026-02-26T00:00:00Z', true],
    ['negative clamped to the month start', [{ daysOfMonth: ['-31:-27'] }], '2026-02-01T00:00:00Z', true],
    ['1:-1 is the whole month', [{ daysOfMonth: ['1:-1'] }], '2026-02-28T00:00:00Z', true],
    ['day 31 never in February', [{ daysOfMonth: ['30:31'] }], '2026-02-28T00:00:00Z', false],
    ['month by name', [{ months: ['december'] }], '2026-12-01T00:00:00Z', true],
    ['month range by number', [{ months: ['1:3'] }], '2026-04-01T00:00:00Z', false],
    ['year range inclusive', [{ years: ['2025:2026'] }], '2026-12-31T23:59:59Z', true],
    ['year outside', [{ years: ['2025:2026'] }], '2027-01-01T00:00:00Z', false],
    [
      'all fields must match (AND)',
      [{ weekdays: ['monday'], times: [{ start: '09:00', end: '10:00' }] }],
      '2026-11-30T10:00:00Z',
      false,
    ],
    [
      'any spec may match (OR)',
      [{ weekdays: ['sunday'] }, { times: [{ start: '10:00', end: '11:00' }] }],
      '2026-11-30T10:00:00Z',
      true,
    ],
    [
      'location shifts the day',
      [{ weekdays: ['tuesday'], location: 'Asia/Tokyo' }],
      '2026-11-30T16:00:00Z',
      true,
    ],
    ['location default is UTC', [{ weekdays: ['tuesday'] }], '2026-11-30T16:00:00Z', false],
  ];
  it.each(table)('%s', (_name, specs, iso, expected) => {
    expect(intervalMatches(specs, at(iso))).toBe(expected);
  });

  describe('a DST day in Europe/Berlin', () => {
    const berlin = (times: { start: string; end: string }): TimeIntervalSpec[] => [
      { times: [times], location: 'Europe/Berlin' },
    ];
    it('09:00–17:00 follows the local clock across the spring change (UTC+1 → UTC+2)', () => {
      const office = berlin({ start: '09:00', end: '17:00' });
      expect(intervalMatches(office, at('2026-03-28T08:00:00Z'))).toBe(true); // 09:00 CET
      expect(intervalMatches(office, at('2026-03-29T06:59:00Z'))).toBe(false); // 08:59 CEST
      expect(intervalMatches(office, at('2026-03-29T07:00:00Z'))).toBe(true); // 09:00 CEST
      expect(intervalMatches(office, at('2026-03-29T15:00:00Z'))).toBe(false); // 17:00 CEST
    });
    it('the skipped hour 02:00–03:00 never occurs on the spring day', () => {
      const skipped = berlin({ start: '02:00', end: '03:00' });
      for (let ms = at('2026-03-28T22:00:00Z'); ms < at('2026-03-29T04:00:00Z'); ms += 60_000)
        expect(intervalMatches(skipped, ms)).toBe(false);
    });
    it('the repeated hour matches twice on the autumn day', () => {
      const repeated = berlin({ start: '02:00', end: '03:00' });
      expect(intervalMatches(repeated, at('2026-10-25T00:30:00Z'))).toBe(true); // 02:30 CEST
      expect(intervalMatches(repeated, at('2026-10-25T01:30:00Z'))).toBe(true); // 02:30 CET
      expect(intervalMatches(repeated, at('2026-10-25T02:00:00Z'))).toBe(false); // 03:00 CET
    });
  });
});

/** A root with the given time intervals and one child team=db that sets nothing. */
function tree(root: Partial<RouteNode>): RouteNode {
  return {
    id: 'root',
    matchers: [],
    continue: false,
    receiverId: 'r',
    children: [
      { id: 'db', matchers: [{ label: 'team', op: '=', value: 'db' }], continue: false, children: [] },
    ],
    ...root,
  };
}

describe('routeMuteAt', () => {
  const intervals = compileTimeIntervals({
    weekend: [{ weekdays: ['saturday', 'sunday'] }],
    office: [{ times: [{ start: '09:00', end: '17:00' }] }],
    night: [{ times: [{ start: '00:00', end: '06:00' }] }],
  });
  const route = (mute: string[], active: string[]) => ({
    muteTimeIntervals: mute,
    activeTimeIntervals: active,
  });
  const monday10 = at('2026-11-30T10:00:00Z');
  const monday20 = at('2026-11-30T20:00:00Z');
  const saturday10 = at('2026-11-28T10:00:00Z');

  it('no intervals: never muted', () => {
    expect(routeMuteAt(route([], []), intervals, saturday10)).toEqual({ muted: false, mutedBy: [] });
  });
  it('mute interval matching the tick mutes, naming it', () => {
    expect(routeMuteAt(route(['night', 'weekend'], []), intervals, saturday10)).toEqual({
      muted: true,
      mutedBy: ['weekend'],
    });
    expect(routeMuteAt(route(['weekend'], []), intervals, monday10).muted).toBe(false);
  });
  it('active intervals: muted unless one holds, reported as inactive', () => {
    expect(routeMuteAt(route([], ['office', 'night']), intervals, monday10).muted).toBe(false);
    expect(routeMuteAt(route([], ['office', 'night']), intervals, monday20)).toEqual({
      muted: true,
      mutedBy: ['inactive:office,night'],
    });
  });
  it('mute wins when both apply', () => {
    expect(routeMuteAt(route(['weekend'], ['office']), intervals, saturday10)).toEqual({
      muted: true,
      mutedBy: ['weekend'],
    });
  });
  it('an unknown name never matches', () => {
    expect(routeMuteAt(route(['gone'], []), intervals, saturday10).muted).toBe(false);
    expect(routeMuteAt(route([], ['gone']), intervals, monday10).muted).toBe(true);
  });

  describe('B22 Time intervals', () => {
    it('muted Sat+Sun: alert at Saturday 10:00 is quiet all weekend, first send at the first tick after Monday 00:00', () => {
      const compiled = compileTree(tree({ muteTimeIntervals: ['weekend'] }));
      const root = compiled.routes.get('root')!;
      const gw = root.groupWaitMs;
      const gi = root.groupIntervalMs;
      const mondayMidnight = at('2026-11-30T00:00:00Z');
      let tick = saturday10 + gw;
      while (routeMuteAt(root, intervals, tick).muted) tick += gi;
      expect(tick).toBeGreaterThanOrEqual(mondayMidnight);
      expect(tick).toBeLessThan(mondayMidnight + gi);
      expect(tick - saturday10).toBeGreaterThan(37 * 3_600_000);
    });
    it('active 09:00–17:00: the tick at 16:59:59 sends, the one at 17:00:00 does not', () => {
      const r = route([], ['office']);
      expect(routeMuteAt(r, intervals, at('2026-11-30T16:59:59Z')).muted).toBe(false);
      expect(routeMuteAt(r, intervals, at('2026-11-30T17:00:00Z')).muted).toBe(true);
    });
    it('child of a muted parent is muted (our rule: intervals inherit; AM would not mute it)', () => {
      const compiled = compileTree(tree({ muteTimeIntervals: ['weekend'], activeTimeIntervals: [] }));
      const child = compiled.routes.get('db')!;
      expect(child.inherited).toContain('muteTimeIntervals');
      expect(routeMuteAt(child, intervals, saturday10)).toEqual({ muted: true, mutedBy: ['weekend'] });
    });
    it('a child that sets its own empty list overrides the parent and is not muted', () => {
      const t = tree({ muteTimeIntervals: ['weekend'] });
      t.children[0]!.muteTimeIntervals = [];
      const child = compileTree(t).routes.get('db')!;
      expect(routeMuteAt(child, intervals, saturday10).muted).toBe(false);
    });
  });
});

describe('time interval schema', () => {
  const ok = (spec: unknown) => timeIntervalSpecSchema.safeParse(spec).success;
  it.each([
    [{ times: [{ start: '09:00', end: '17:00' }] }, true],
    [{ times: [{ start: '00:00', end: '24:00' }] }, true],
    [{ times: [{ start: '9:00', end: '17:00' }] }, false],
    [{ times: [{ start: '17:00', end: '09:00' }] }, false],
    [{ times: [{ start: '24:00', end: '24:00' }] }, false],
    [{ times: [{ start: '10:60', end: '11:00' }] }, false],
    [{ weekdays: ['Monday:friday'] }, true],
    [{ weekdays: ['funday'] }, false],
    [{ weekdays: ['1'] }, false],
    [{ weekdays: ['friday:monday'] }, false],
    [{ daysOfMonth: ['-31:-1', '1:31', '1:-1'] }, true],
    [{ daysOfMonth: ['0'] }, false],
    [{ daysOfMonth: ['32'] }, false],
    [{ daysOfMonth: ['-1:5'] }, false],
    [{ daysOfMonth: ['5:1'] }, false],
    [{ months: ['january:march', '12'] }, true],
    [{ months: ['13'] }, false],
    [{ years: ['2026:2025'] }, false],
    [{ location: 'Europe/Berlin' }, true],
    [{ location: 'Mars/Olympus' }, false],
    [{ extra: 1 }, false],
  ])('%o -> %s', (spec, expected) => {
    expect(ok(spec)).toBe(expected);
  });
  it('bounds the number of specs', () => {
    expect(timeIntervalInput.safeParse({ name: 'x', intervals: Array(21).fill({}) }).success).toBe(false);
    expect(timeIntervalInput.safeParse({ name: 'x', intervals: Array(20).fill({}) }).success).toBe(true);
  });
});
