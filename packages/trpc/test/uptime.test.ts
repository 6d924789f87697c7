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

  it('time inside maintenance is excluded, a DOWN period there not counted; overlapping windows count once', () => {
    const one = (from: number, to: number) => ({
      startsAt: t(from),
      endsAt: t(to),
      rrule: null,
      timeZone: 'Europe/Berlin',
    });
    const history = {
      createdAt: t(-10),
      initial: 'up' as const,
      events: [
        { at: t(20), to: 'down' as const },
        { at: t(40), to: 'up' as const },
      ],
    };
    // DOWN 20–40, window 30–50: up 0–20 and 50–100, down 20–30 only.
    const f = uptimeOf({ ...history, maintenance: [one(30, 50)] }, w);
    expect([f.upSeconds, f.downSeconds, f.excludedSeconds]).toEqual([70 * 60, 10 * 60, 20 * 60]);
    expect(f.uptime).toBeCloseTo(70 / 80, 10);
    // A second window 45–55 overlaps the first: 30–55 is excluded once (25 min).
    const g = uptimeOf({ ...history, maintenance: [one(30, 50), one(45, 55)] }, w);
    expect([g.upSeconds, g.downSeconds, g.excludedSeconds]).toEqual([65 * 60, 10 * 60, 25 * 60]);
    expect(g.uptime).toBeCloseTo(65 / 75, 10);
    // Without windows the same history is 80 up, 20 down.
    expect(uptimeOf(history, w).uptime).toBeCloseTo(80 / 100, 10);
  });
});
