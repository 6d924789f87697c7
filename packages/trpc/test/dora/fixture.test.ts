import { describe, expect, it } from 'vitest';
import { doraFigures } from '../../src/services/dora/figures';
import { doraWindow } from '../../src/services/dora/window';
import { commit, fat, incident, MARCH, mar, REQ15_DEPLOYMENTS, REQ15_INCIDENTS } from './fixture';

const base = { deployments: REQ15_DEPLOYMENTS, incidents: REQ15_INCIDENTS, window: MARCH };

describe('DORA figures of the seeded fixture', () => {
  it('requirement 15: 12 PRO deploys, 3 failing, give exact DF, median LT, CFR 25 % and median restore', () => {
    expect(doraWindow(30, mar(31, 0))).toEqual(MARCH);
    expect(doraFigures(base)).toEqual({
      deploymentFrequency: {
        // Succeeded: 12 − d4 (failed) − d7 (rolled back) = 10; d10 succeeded, so it counts here.
        count: 10,
        // 10 deploys / (30 days / 7) weeks = 70 / 30 = 7 / 3 per week.
        perWeek: 7 / 3,
        // Deploy days per Monday week: Mar 1–3: 3, Mar 4–10: 5 (5, 6, 8, 9, 10), Mar 11–17: 2, then 0, 0.
        // Median 2 < 3, so not daily; weeks with a deploy 1,1,1,0,0 → median 1 → weekly.
        bucket: 'weekly',
        // 2021: more than monthly, not more than daily → high.
        band: {
          label: 'High (2021)',
          year: 2021,
          levels: ['high'],
          published: 'between once per week and once per month',
        },
      },
      leadTime: {
        // First succeeded PRO deploy − commit, minutes: c1 60 (d2 carries it again: not counted), c2 120, c3 30,
        // c4 1680 (d4 failed; d5 Mar 5 12:00 − Mar 4 08:00 = 28 h), c5 60, c6 1440, c6b 180,
        // c7 1500 (d7 rolled back; d8 Mar 8 12:00 − Mar 7 11:00 = 25 h), c9 180, c10 15, c11 90, c12 60.
        // Ignored: m3 (gap 0), c8 (gap −10). 12 samples, sorted:
        // 15 30 60 60 60 [90 120] 180 180 1440 1500 1680 → (90 + 120) / 2 = 105.
        count: 12,
        medianMinutes: 105,
        band: {
          label: 'High (2021)',
          year: 2021,
          levels: ['high'],
          published: 'between one day and one week',
        },
      },
      changeFailureRate: {
        // d4 failed (and i3 names it: still one), d7 rolled back, d10 named by i1 and i2 (one): 3 / 12 = 0.25.
        deployments: 12,
        failed: 3,
        ratio: 0.25,
        band: {
          label: 'High, medium or low (2021)',
          year: 2021,
          levels: ['high', 'medium', 'low'],
          published: '16–30%',
        },
      },
      recoveryTime: {
        // i1 13:00 − d10 12:00 = 60, i2 14:00 − d10 12:00 = 120, i3 12:40 − d4 12:00 = 40,
        // i4 09:30 − opened 08:00 = 90; i5 unresolved. Sorted 40 [60 90] 120 → (60 + 90) / 2 = 75.
        count: 4,
        medianMinutes: 75,
        unresolved: ['i5'],
        band: { label: 'High (2021)', year: 2021, levels: ['high'], published: 'less than one day' },
      },
      insufficient: {
        deploymentFrequency: false,
        leadTime: false,
        changeFailureRate: false,
        recoveryTime: false,
      },
    });
  });

  it('requirement 13: adding FAT deployments (and incident links to them) changes no figure', () => {
    const withFat = {
      ...base,
      deployments: [
        // Earlier than every PRO deployment of the same commits: must not become their first deployment.
        fat('f1', mar(1, 11, 30), 'succeeded', [commit('c1', mar(1, 11))]),
        fat('f1b', mar(2, 11), 'succeeded', [commit('c2', mar(2, 10))]),
        ...REQ15_DEPLOYMENTS,
        fat('f2', mar(3), 'failed', [commit('c3', mar(3, 11, 30))]),
        fat('f3', mar(13), 'rolled_back', [commit('cx', mar(13, 9))]),
        fat('f4', mar(14), 'succeeded', [commit('cy', mar(14, 10))]),
        fat('f5', mar(14, 13), 'succeeded'),
        fat('f6', mar(16), 'succeeded'),
      ],
      incidents: [
        // i4 naming f4 (Mar 14 12:00) would start its restore a day early if FAT counted; i3 naming f2 likewise.
        ...REQ15_INCIDENTS.map((i) =>
          i.id === 'i4'
            ? { ...i, linkedDeploymentIds: ['f4'] }
            : i.id === 'i3'
              ? { ...i, linkedDeploymentIds: ['d4', 'f2'] }
              : i,
        ),
      ],
    };
    expect(doraFigures(withFat)).toEqual(doraFigures(base));
  });

  it('requirement 13: a FAT deployment with no production counterpart counts nowhere', () => {
    const onlyFat = {
      deployments: [fat('f1', mar(2), 'failed', [commit('a', mar(1))]), fat('f2', mar(3), 'succeeded')],
      incidents: [incident('i1', mar(4), mar(4, 13), ['f1'])],
      window: MARCH,
      options: { floor: 1 },
    };
    const figures = doraFigures(onlyFat);
    expect(figures.deploymentFrequency.count).toBe(0);
    expect(figures.leadTime.count).toBe(0);
    expect(figures.changeFailureRate).toMatchObject({ deployments: 0, failed: 0, ratio: null });
    // The incident itself still counts, measured from its opening (12:00 → 13:00), not from f1.
    expect(figures.recoveryTime).toMatchObject({ count: 1, medianMinutes: 60 });
  });
});
