import { describe, expect, it } from 'vitest';
import { uptimeOf } from '../src/services/uptime';

const t = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));
const w = { from: t(0), to: t(100) };

describe('time-based uptime', () => {
  it('weights states by time, counts degraded as up, excludes paused, reports no-data', () => {
    const f = uptimeOf(
      {
        createdAt: t(-10),
        initial: 'up',
        events: [
          { at: t(20), to: 'down' },
          { at: t(30), to: 'degraded' },
          { at: t(50), to: 'paused' },
          { at: t(70), to: 'unknown' },
          { at: t(80), to: 'up' },
        ],
      },
      w,
    );
    expect(f.upSeconds).toBe((20 + 20 + 20) * 60);
    expect(f.downSeconds).toBe(10 * 60);
    expect(f.excludedSeconds).toBe(20 * 60);
    expect(f.noDataSeconds).toBe(10 * 60);
    expect(f.uptime).toBeCloseTo(60 / 70, 10);
  });

  it('time before the monitor existed is no data, not downtime', () => {
    const f = uptimeOf({ createdAt: t(50), initial: null, events: [{ at: t(50), to: 'up' }] }, w);
    expect(f.noDataSeconds).toBe(50 * 60);
    expect(f.uptime).toBe(1);
  });

  it('nothing observed means no figure at all', () => {
    expect(uptimeOf({ createdAt: t(0), initial: null, events: [] }, w).uptime).toBeNull();
  });
});
