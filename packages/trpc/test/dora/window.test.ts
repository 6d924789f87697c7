import { describe, expect, it } from 'vitest';
import { doraFigures } from '../../src/services/dora/figures';
import { doraWindow, last7Days, last30Days, last90Days } from '../../src/services/dora/window';
import { commit, deploy, incident, mar } from './fixture';

// [Mar 1 00:00, Mar 8 00:00): `from` is inside, `to` is not, so consecutive windows never count a row twice.
const now = mar(8, 0);
const week = doraWindow(7, now);
const one = { floor: 1 };

describe('windows', () => {
  it('the 7/30/90-day helpers end at now', () => {
    expect(week).toEqual({ from: mar(1, 0), to: now });
    expect(last7Days(now)).toEqual(week);
    expect(last30Days(now).from).toEqual(new Date(Date.UTC(2030, 1, 6)));
    expect(last90Days(now).from).toEqual(new Date(Date.UTC(2029, 11, 8)));
  });

  it('a deployment at exactly `from` counts, one at exactly `to` does not', () => {
    const f = doraFigures({
      deployments: [
        deploy('at-from', week.from, 'succeeded', [commit('a', new Date(week.from.getTime() - 60_000))]),
        deploy('before-to', new Date(now.getTime() - 1), 'failed'),
        deploy('at-to', now, 'succeeded', [commit('b', mar(7, 23))]), // b's first deployment is outside
        deploy('before-from', new Date(week.from.getTime() - 1), 'failed'),
      ],
      incidents: [],
      window: week,
      options: one,
    });
    expect(f.deploymentFrequency.count).toBe(1);
    expect(f.changeFailureRate).toMatchObject({ deployments: 2, failed: 1 });
    expect(f.leadTime).toMatchObject({ count: 1, medianMinutes: 1 });
  });

  it('the next window takes the deployment at its `from` = the previous `to`', () => {
    const rows = [deploy('edge', now, 'succeeded')];
    const next = doraWindow(7, mar(15, 0));
    expect(
      doraFigures({ deployments: rows, incidents: [], window: week, options: one }).deploymentFrequency.count,
    ).toBe(0);
    expect(
      doraFigures({ deployments: rows, incidents: [], window: next, options: one }).deploymentFrequency.count,
    ).toBe(1);
  });

  it('an incident opened at exactly `from` counts, one opened at `to` does not', () => {
    const f = doraFigures({
      deployments: [],
      incidents: [
        incident('at-from', week.from, mar(1, 0, 10)),
        incident('at-to', now, mar(8, 1)),
        incident('open-at-to', now, null),
        incident('open-at-from', week.from, null),
      ],
      window: week,
      options: one,
    });
    expect(f.recoveryTime).toMatchObject({ count: 1, medianMinutes: 10, unresolved: ['open-at-from'] });
  });

  it('in-flight deployments (no finish time yet) count nowhere', () => {
    const f = doraFigures({
      deployments: [deploy('q', null, 'queued'), deploy('p', null, 'in_progress', [commit('a', mar(1, 1))])],
      incidents: [],
      window: week,
      options: one,
    });
    expect([f.deploymentFrequency.count, f.changeFailureRate.deployments, f.leadTime.count]).toEqual([
      0, 0, 0,
    ]);
  });

  it('refuses an empty or reversed window', () => {
    expect(() => doraFigures({ deployments: [], incidents: [], window: { from: now, to: now } })).toThrow(
      RangeError,
    );
    expect(() =>
      doraFigures({ deployments: [], incidents: [], window: { from: now, to: week.from } }),
    ).toThrow(RangeError);
  });
});
