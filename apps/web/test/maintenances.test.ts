import { describe, expect, it } from 'vitest';
import { describeRrule, instantToZoned, RRULE_PRESETS, zonedToInstant } from '../src/lib/maintenances';

describe('recurrence in words', () => {
  it('words the presets and common rules', () => {
    expect(RRULE_PRESETS.map((p) => describeRrule(p.rrule))).toEqual([
      'Every day, 30 times',
      'Every week, 52 times',
      'Every month on the last Sunday, 12 times',
      'Every month on the first Monday, 12 times',
    ]);
    expect(describeRrule(null)).toBe('Once');
    expect(describeRrule('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20300101T000000Z')).toBe(
      'Every 2 weeks on Monday, Wednesday, until 2030-01-01',
    );
    expect(describeRrule('FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=1')).toBe('Every month on its last day, once');
  });

  it('shows the raw rule rather than wording parts it does not know', () => {
    expect(describeRrule('FREQ=DAILY;BYHOUR=2,14;COUNT=4')).toBe('FREQ=DAILY;BYHOUR=2,14;COUNT=4');
    expect(describeRrule('FREQ=MONTHLY;BYDAY=XX;COUNT=4')).toBe('FREQ=MONTHLY;BYDAY=XX;COUNT=4');
  });
});

describe('wall-clock times in a zone', () => {
  it('round-trips through an instant, across a DST change', () => {
    expect(zonedToInstant('2030-01-06T02:00', 'Europe/Berlin')?.toISOString()).toBe(
      '2030-01-06T01:00:00.000Z',
    );
    expect(zonedToInstant('2030-07-06T02:00', 'Europe/Berlin')?.toISOString()).toBe(
      '2030-07-06T00:00:00.000Z',
    );
    expect(zonedToInstant('2030-07-06T02:00', 'America/New_York')?.toISOString()).toBe(
      '2030-07-06T06:00:00.000Z',
    );
    expect(instantToZoned(new Date('2030-07-06T00:00:00Z'), 'Europe/Berlin')).toBe('2030-07-06T02:00');
    expect(instantToZoned(new Date('2030-01-06T01:00:00Z'), 'UTC')).toBe('2030-01-06T01:00');
  });

  it('gives nothing for an empty time or an unknown zone', () => {
    expect(zonedToInstant('', 'UTC')).toBeUndefined();
    expect(zonedToInstant('2030-01-06T02:00', 'Mars/Olympus')).toBeUndefined();
  });
});
