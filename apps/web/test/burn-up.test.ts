import { describe, expect, it } from 'vitest';
import { type BurnUpInput, burnUpSeries, secondsOfDay } from '~/lib/burn-up';
import { formatDay, formatUptime, predictionText } from '~/lib/projects';

const point = (day: string, scope: number, done: number) => ({
  day,
  scope,
  done,
  scopeCount: 0,
  doneCount: 0,
});

function input(over: Partial<BurnUpInput> = {}): BurnUpInput {
  return {
    today: '2026-03-10',
    project: {
      name: 'P',
      startDate: '2026-03-01',
      targetDate: '2026-03-14',
      owner: null,
      settings: { defaultEstimate: 1, riskGapPercent: 20, stallDays: 14 },
    },
    prediction: {
      remaining: 8,
      weekly: [2, 3, 4],
      perWeek: 3,
      date: '2026-03-12',
      earliest: '2026-03-11',
      latest: '2026-03-16',
    },
    burnUp: {
      points: [point('2026-03-03', 10, 1), point('2026-03-07', 18, 4), point('2026-03-10', 18, 10)],
      targetDate: '2026-03-14',
      predictedDate: '2026-03-12',
    },
    ...over,
  };
}

describe('burn-up series (issue 17 point 3, requirement 16)', () => {
  it('one x per day from the start to the range end; a snapshot holds until the next, so added scope is a step', () => {
    const s = burnUpSeries(input());
    expect(s.x).toHaveLength(16); // 1 .. 16 March
    expect(s.x[0]).toBe(secondsOfDay('2026-03-01'));
    expect(s.x[15]).toBe(secondsOfDay('2026-03-16'));
    // Nothing before the first snapshot (3 March) or after today (10 March).
    expect(s.scope).toEqual([null, null, 10, 10, 10, 10, 18, 18, 18, 18, null, null, null, null, null, null]);
    expect(s.done).toEqual([null, null, 1, 1, 1, 1, 4, 4, 4, 10, null, null, null, null, null, null]);
    expect(s.scopeAdded).toBe(8);
    expect(s.firstDay).toBe('2026-03-03');
  });

  it('a prediction years away keeps only the days that carry something', () => {
    const s = burnUpSeries(
      input({
        prediction: {
          remaining: 8,
          weekly: [0, 0, 1],
          perWeek: 0.3,
          date: '2036-01-01',
          earliest: '2030-01-01',
          latest: null,
        },
      }),
    );
    expect(s.x.map((t) => new Date(t * 1000).toISOString().slice(0, 10))).toEqual([
      '2026-03-01',
      '2026-03-03',
      '2026-03-07',
      '2026-03-10',
      '2026-03-14',
      '2030-01-01',
      '2036-01-01',
    ]);
    expect(s.scope).toEqual([null, 10, 18, 18, null, null, null]);
  });

  it('words: days, uptime and the predicted range', () => {
    expect(formatDay('2026-03-01')).toBe('1 Mar 2026');
    expect(formatDay(null)).toBe('—');
    expect(formatUptime(0.99987)).toBe('99.98 %');
    expect(formatUptime(null)).toBe('no data');
    expect(predictionText({ date: null, earliest: null, latest: null }).date).toBe('No prediction');
    expect(predictionText({ date: '2026-03-12', earliest: '2026-03-11', latest: null }).range).toBe(
      'range 11 Mar 2026 – open-ended (a week with nothing done)',
    );
  });
});
