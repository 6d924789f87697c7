import { describe, expect, it } from 'vitest';
import { DORA_LIMITS } from '../../src/limits';
import { doraFigures } from '../../src/services/dora/figures';
import type { DoraDeployment, DoraIncident } from '../../src/services/dora/types';
import { median } from '../../src/services/dora/window';
import { commit, deploy, fat, incident, MARCH, mar } from './fixture';

const one = { floor: 1 };
const figures = (deployments: DoraDeployment[], incidents: DoraIncident[] = [], options = one) =>
  doraFigures({ deployments, incidents, window: MARCH, options });

describe('requirement 14: change failure rate counts a deployment once', () => {
  it('one deployment named by three incidents is one failure', () => {
    const f = figures(
      [deploy('d1', mar(2)), deploy('d2', mar(3)), deploy('d3', mar(4)), deploy('d4', mar(5))],
      [
        incident('i1', mar(3, 13), mar(3, 14), ['d2']),
        incident('i2', mar(3, 14), mar(3, 15), ['d2']),
        incident('i3', mar(6), mar(6, 13), ['d2']),
      ],
    );
    expect(f.changeFailureRate).toMatchObject({ deployments: 4, failed: 1, ratio: 0.25 });
  });

  it('a failed deployment that an incident also names is one failure', () => {
    const f = figures(
      [deploy('d1', mar(2), 'failed'), deploy('d2', mar(3)), deploy('d3', mar(4), 'rolled_back')],
      [incident('i1', mar(2, 13), mar(2, 14), ['d1']), incident('i2', mar(4, 13), mar(4, 14), ['d3', 'd1'])],
    );
    expect(f.changeFailureRate).toMatchObject({ deployments: 3, failed: 2 });
  });

  it('a deployment row repeated by a join (one per incident) is one deployment', () => {
    const d2 = deploy('d2', mar(3));
    const f = figures(
      [deploy('d1', mar(2)), d2, d2, d2],
      [incident('i1', mar(3, 13), mar(3, 14), ['d2']), incident('i2', mar(3, 14), mar(3, 15), ['d2'])],
    );
    expect(f.changeFailureRate).toMatchObject({ deployments: 2, failed: 1, ratio: 0.5 });
    expect(f.deploymentFrequency.count).toBe(2);
  });
});

describe("requirement 14: lead time uses each commit's first PRO deployment", () => {
  const c = commit('abc', mar(2, 10));
  it('a commit in several deployments counts once, from its first succeeded PRO one', () => {
    const f = figures([
      // Listed out of order on purpose: "first" is by time, not by position.
      deploy('late', mar(2, 13), 'succeeded', [c]),
      fat('fat', mar(2, 10, 30), 'succeeded', [c]), // FAT: not a production deployment
      deploy('failed', mar(2, 11), 'failed', [c]), // failed: the commit did not reach production
      deploy('first', mar(2, 12), 'succeeded', [c]), // 12:00 − 10:00 = 120
    ]);
    expect(f.leadTime).toMatchObject({ count: 1, medianMinutes: 120 });
  });

  it('a commit first deployed before the window is not counted again when re-deployed inside it', () => {
    const old = commit('old', new Date(Date.UTC(2030, 1, 20, 9)));
    const f = figures([
      deploy('before', new Date(Date.UTC(2030, 1, 20, 12)), 'succeeded', [old]),
      deploy('redeploy', mar(5), 'succeeded', [old]),
    ]);
    expect(f.leadTime).toMatchObject({ count: 0, medianMinutes: null });
    expect(f.deploymentFrequency.count).toBe(1);
  });

  it('the same commit shipped by two services counts once per service', () => {
    const f = figures([
      deploy('a', mar(2, 11), 'succeeded', [c], { serviceId: 'api' }), // 60
      deploy('b', mar(2, 13), 'succeeded', [c], { serviceId: 'web' }), // 180
      deploy('a2', mar(2, 14), 'succeeded', [c], { serviceId: 'api' }), // api's second: not counted
    ]);
    expect(f.leadTime).toMatchObject({ count: 2, medianMinutes: 120 });
  });
});

describe('requirement 14: lead time ignores gaps <= 0', () => {
  it('negative and zero gaps are left out of the count and the median', () => {
    const f = figures([
      deploy('d1', mar(2, 12), 'succeeded', [
        commit('skewed', mar(2, 12, 5)), // −5 min (clock skew)
        commit('merge', mar(2, 12)), // 0 (merge push)
        commit('real', mar(2, 11, 50)), // 10
      ]),
    ]);
    expect(f.leadTime).toMatchObject({ count: 1, medianMinutes: 10 });
  });
});

describe('requirement 14: restore starts at the linked deployment if known, else at the opening', () => {
  const d = deploy('d1', mar(2, 10));
  it('from the linked PRO deployment: 11:00 − 10:00 = 60', () => {
    const f = figures([d], [incident('i1', mar(2, 10, 15), mar(2, 11), ['d1'])]);
    expect(f.recoveryTime).toMatchObject({ count: 1, medianMinutes: 60 });
  });

  it('with no link, from the opening: 11:00 − 10:15 = 45', () => {
    const f = figures([d], [incident('i1', mar(2, 10, 15), mar(2, 11))]);
    expect(f.recoveryTime).toMatchObject({ count: 1, medianMinutes: 45 });
  });

  it('a link to an unknown or FAT deployment is no link: from the opening', () => {
    const f = figures(
      [d, fat('f1', mar(2, 9))],
      [incident('i1', mar(2, 10, 15), mar(2, 11), ['f1', 'elsewhere'])],
    );
    expect(f.recoveryTime).toMatchObject({ count: 1, medianMinutes: 45 });
  });

  it('a linked deployment before the window still starts the clock (fourkeys: the earlier of the two)', () => {
    const before = deploy('d0', new Date(Date.UTC(2030, 1, 28, 23)));
    // Opened Mar 1 00:30, inside; restored 01:00; from Feb 28 23:00 → 120 min.
    const f = figures([before], [incident('i1', mar(1, 0, 30), mar(1, 1), ['d0'])]);
    expect(f.recoveryTime).toMatchObject({ count: 1, medianMinutes: 120 });
  });

  it('a linked deployment that finished after the opening does not shorten it: from the opening', () => {
    const fix = deploy('fix', mar(2, 10, 40));
    const f = figures([fix], [incident('i1', mar(2, 10, 15), mar(2, 11), ['fix'])]);
    expect(f.recoveryTime).toMatchObject({ count: 1, medianMinutes: 45 });
  });
});

describe('incident rows repeated by a join', () => {
  it('one incident id is one restore sample, its links merged', () => {
    const d = deploy('d1', mar(2, 10));
    const f = figures(
      [d, deploy('d2', mar(2, 9))],
      [
        incident('i1', mar(2, 10, 15), mar(2, 11), ['d1']),
        incident('i1', mar(2, 10, 15), mar(2, 11), ['d2']), // the same incident, its second link: from 09:00
        incident('i2', mar(3), null),
        incident('i2', mar(3), null, ['d1']),
      ],
    );
    expect(f.recoveryTime).toMatchObject({ count: 1, medianMinutes: 120, unresolved: ['i2'] });
    expect(f.changeFailureRate).toMatchObject({ deployments: 2, failed: 2 });
  });
});

describe('requirement 14: unresolved incidents are listed, not in the median', () => {
  it('lists open incidents of the window and measures only resolved ones', () => {
    const f = figures(
      [],
      [
        incident('i1', mar(2, 10), mar(2, 10, 30)),
        incident('i2', mar(3), null),
        incident('i3', mar(4), null, ['nope']),
        incident('old', new Date(Date.UTC(2030, 1, 1)), null), // opened before the window: not listed
      ],
    );
    expect(f.recoveryTime).toMatchObject({ count: 1, medianMinutes: 30, unresolved: ['i2', 'i3'] });
  });
});

describe('medians: an even count takes the mean of the two middle values', () => {
  it('median()', () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([30, 10, 20])).toBe(20);
    expect(median([20, 10])).toBe(15);
    expect(median([1000, 10, 40, 20])).toBe(30);
  });

  it('lead time of two commits, 10 and 20 min, is 15 with count 2', () => {
    const f = figures([
      deploy('d1', mar(2, 12), 'succeeded', [commit('a', mar(2, 11, 50)), commit('b', mar(2, 11, 40))]),
    ]);
    expect(f.leadTime).toMatchObject({ count: 2, medianMinutes: 15 });
  });
});

describe('floor: below it a key reads "insufficient data"', () => {
  const two = [
    deploy('d1', mar(2), 'succeeded', [commit('a', mar(2, 11))]),
    deploy('d2', mar(3), 'failed', [commit('b', mar(3, 11))]),
    deploy('d3', mar(4), 'succeeded', [commit('b', mar(3, 11))]),
  ];
  const incidents = [incident('i1', mar(5), mar(5, 13)), incident('i2', mar(6), mar(6, 14))];

  it(`defaults to DORA_LIMITS.sampleFloor (${DORA_LIMITS.sampleFloor}): null figures and bands, counts kept`, () => {
    const f = doraFigures({ deployments: two, incidents, window: MARCH });
    expect(f.deploymentFrequency).toEqual({ count: 2, perWeek: null, bucket: null, band: null });
    expect(f.leadTime).toEqual({ count: 2, medianMinutes: null, band: null });
    expect(f.recoveryTime).toEqual({ count: 2, medianMinutes: null, unresolved: [], band: null });
    // Three deployments meet the floor, so CFR is shown.
    expect(f.changeFailureRate).toMatchObject({ deployments: 3, failed: 1, ratio: 1 / 3 });
    expect(f.insufficient).toEqual({
      deploymentFrequency: true,
      leadTime: true,
      changeFailureRate: false,
      recoveryTime: true,
    });
  });

  it('one more sample per key reaches the floor', () => {
    const f = doraFigures({
      deployments: [...two, deploy('d4', mar(7), 'succeeded', [commit('c', mar(7, 11))])],
      incidents: [...incidents, incident('i3', mar(8), mar(8, 15))],
      window: MARCH,
    });
    expect(f.insufficient).toEqual({
      deploymentFrequency: false,
      leadTime: false,
      changeFailureRate: false,
      recoveryTime: false,
    });
    expect(f.leadTime).toMatchObject({ count: 3, medianMinutes: 60 });
    expect(f.recoveryTime).toMatchObject({ count: 3, medianMinutes: 120 });
  });

  it('the floor is an option', () => {
    const f = doraFigures({ deployments: two, incidents, window: MARCH, options: { floor: 5 } });
    expect(f.changeFailureRate).toMatchObject({ deployments: 3, failed: 1, ratio: null, band: null });
    expect(f.insufficient.changeFailureRate).toBe(true);
  });
});
