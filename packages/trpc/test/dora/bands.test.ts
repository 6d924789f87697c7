import { describe, expect, it } from 'vitest';
import { bandFor, DORA_BAND_YEAR, DORA_BANDS } from '../../src/services/dora/bands';
import { frequencyBucket } from '../../src/services/dora/frequency';
import { DORA_KEYS } from '../../src/services/dora/types';
import { mar } from './fixture';

const HOUR = 60;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const label = (key: Parameters<typeof bandFor>[0], value: number | null, year?: 2021 | 2024) =>
  bandFor(key, value, year)?.label ?? null;

describe('requirement 15: every band label shows its report year', () => {
  it('every row of the band table, shown or not, carries its year in its label', () => {
    expect(DORA_BANDS.length).toBeGreaterThan(0);
    for (const row of DORA_BANDS) expect(row.label).toMatch(new RegExp(`\\(${row.year}\\)$`));
  });

  it('bandFor answers the year beside the label, 2021 by default', () => {
    expect(DORA_BAND_YEAR).toBe(2021);
    expect(bandFor('leadTime', 30)).toEqual({
      label: 'Elite (2021)',
      year: 2021,
      levels: ['elite'],
      published: 'less than one hour',
    });
    expect(bandFor('leadTime', 30, 2024)).toMatchObject({ label: 'Elite (2024)', year: 2024 });
  });

  it('the 2021 table bands all four keys; 2024 only the confirmed columns', () => {
    for (const key of DORA_KEYS) {
      expect(DORA_BANDS.filter((r) => r.key === key && r.year === 2021 && r.shown)).toHaveLength(
        key === 'changeFailureRate' ? 2 : 4,
      );
    }
    const hidden2024 = DORA_BANDS.filter((r) => r.year === 2024 && !r.shown).map(
      (r) => `${r.key}:${r.levels}`,
    );
    expect(hidden2024).toEqual([
      'changeFailureRate:medium',
      'changeFailureRate:low',
      'recoveryTime:elite',
      'recoveryTime:high',
      'recoveryTime:medium',
      'recoveryTime:low',
    ]);
    // Unconfirmed recovery and typical-value CFR rows label nothing.
    expect(label('recoveryTime', 30, 2024)).toBeNull();
    expect(label('changeFailureRate', 0.05, 2024)).toBeNull();
  });
});

describe('bandFor boundaries (2021)', () => {
  it('lead time: < 1 h elite, gaps fall to the worse band', () => {
    expect(
      [59, 60, DAY, WEEK, WEEK + 1, 730 * 6 * HOUR, 730 * 6 * HOUR + 1].map((v) => label('leadTime', v)),
    ).toEqual([
      'Elite (2021)',
      'High (2021)', // 1 h – 1 day was not published: the worse band
      'High (2021)',
      'High (2021)',
      'Medium (2021)', // 1 week – 1 month likewise
      'Medium (2021)',
      'Low (2021)',
    ]);
  });

  it('recovery: < 1 h elite, < 1 day high, ≤ 1 week medium, beyond low', () => {
    expect([0, 59, 60, DAY - 1, DAY, WEEK, WEEK + 1].map((v) => label('recoveryTime', v))).toEqual([
      'Elite (2021)',
      'Elite (2021)',
      'High (2021)',
      'High (2021)',
      'Medium (2021)',
      'Medium (2021)',
      'Low (2021)',
    ]);
  });

  it('change failure rate: ≤ 15 % elite, ≤ 30 % high/medium/low, above it no published band', () => {
    expect([0, 0.15, 0.155, 0.3, 0.31, 1].map((v) => label('changeFailureRate', v))).toEqual([
      'Elite (2021)',
      'Elite (2021)',
      'High, medium or low (2021)',
      'High, medium or low (2021)',
      null,
      null,
    ]);
  });

  it('deployment frequency per week: more than daily elite, at least monthly high, at least 6-monthly medium', () => {
    const monthly = 7 / (730 / 24);
    const sixMonthly = monthly / 6;
    expect(
      [8, 7, 1, monthly, monthly * 0.99, sixMonthly, sixMonthly * 0.99, 0].map((v) =>
        label('deploymentFrequency', v),
      ),
    ).toEqual([
      'Elite (2021)',
      'High (2021)',
      'High (2021)',
      'High (2021)',
      'Medium (2021)',
      'Medium (2021)',
      'Low (2021)',
      'Low (2021)',
    ]);
  });

  it('no figure, no band', () => {
    expect(bandFor('leadTime', null)).toBeNull();
    expect(bandFor('leadTime', Number.NaN)).toBeNull();
  });
});

describe('bandFor boundaries (2024)', () => {
  it('deployment frequency: daily is high, weekly high, below 6-monthly unpublished', () => {
    const monthly = 7 / (730 / 24);
    expect(
      [7.5, 7, 1, 0.99, monthly, monthly / 6, monthly / 7].map((v) => label('deploymentFrequency', v, 2024)),
    ).toEqual([
      'Elite (2024)',
      'High (2024)',
      'High (2024)',
      'Medium (2024)',
      'Medium (2024)',
      'Low (2024)',
      null,
    ]);
  });

  it('lead time: < 1 day elite, ≤ 1 week high, ≤ 1 month medium, ≤ 6 months low, beyond unpublished', () => {
    const month = 730 * HOUR;
    expect(
      [DAY - 1, DAY, WEEK, month, 6 * month, 6 * month + 1].map((v) => label('leadTime', v, 2024)),
    ).toEqual(['Elite (2024)', 'High (2024)', 'High (2024)', 'Medium (2024)', 'Low (2024)', null]);
  });
});

describe("frequencyBucket: fourkeys' rule on a calendar with empty days", () => {
  // Mar 4 2030 is a Monday: [Mar 4, Apr 1) is four whole weeks, all in March.
  const fourWeeks = { from: mar(4, 0), to: new Date(Date.UTC(2030, 3, 1)) };
  const days = (...ds: number[]) => ds.map((d) => mar(d, 10));

  it('daily: the median week has deploys on at least 3 days', () => {
    expect(frequencyBucket(days(4, 5, 6, 11, 12, 13, 18, 19, 20, 25, 26), fourWeeks)).toBe('daily');
  });

  it('weekly: the median week has a deploy (days are counted, not deploys)', () => {
    const burst = [...days(4, 11, 18, 25), ...Array.from({ length: 10 }, () => mar(5, 9))];
    expect(frequencyBucket(burst, fourWeeks)).toBe('weekly');
  });

  it('empty weeks pull the median down: a busy first week alone is monthly', () => {
    expect(frequencyBucket(days(4, 5, 6, 7, 8), fourWeeks)).toBe('monthly');
    // Every other week: 1, 0, 1, 0 → median 0.5 < 1.
    expect(frequencyBucket(days(4, 18), fourWeeks)).toBe('monthly');
  });

  it('yearly: the median month has none', () => {
    const quarter = { from: mar(1, 0), to: new Date(Date.UTC(2030, 4, 30)) };
    expect(frequencyBucket(days(4), quarter)).toBe('yearly');
  });

  it('partial calendar weeks at the edges count like whole ones (as in fourkeys)', () => {
    // Wed Mar 6 – Tue Mar 12: Wed–Sun is one week, Mon–Tue the next; three deploy days in the first → 3, 0.
    const wedToWed = { from: mar(6, 0), to: mar(13, 0) };
    expect(frequencyBucket(days(6, 7, 8), wedToWed)).toBe('monthly');
    expect(frequencyBucket(days(6, 7, 8, 11, 12, 12), wedToWed)).toBe('weekly');
  });

  it('ignores times outside the window', () => {
    expect(
      frequencyBucket([mar(1), mar(2), mar(3), mar(3, 13), new Date(Date.UTC(2030, 3, 1))], fourWeeks),
    ).toBe('yearly');
  });
});
