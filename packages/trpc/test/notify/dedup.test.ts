/**
 * The dedup decision (spec A7) as a table, mirroring Alertmanager's TestDedupStageNeedsUpdate (notify_test.go), then
 * every "Our rule" of A7 with the case where AM differs.
 */
import { describe, expect, it } from 'vitest';
import {
  type Batch,
  batchFor,
  type LogEntry,
  liveEntry,
  needsUpdate,
  type TickAlert,
} from '../../src/services/notify/dedup';

const TICK = 1_000_000_000;
const RI = 4 * 3_600_000;
const entry = (firing: string[], resolved: string[] = [], tickAt = TICK - 60_000): LogEntry => ({
  firing,
  resolved,
  tickAt,
  sequence: 3,
  expiresAt: TICK + RI,
});
const batch = (firing: string[], resolved: string[] = [], lapsed: string[] = []): Batch => ({
  firing,
  resolved,
  lapsed,
});
const decide = (e: LogEntry | null, b: Batch, sendResolved = true, tickMs = TICK) =>
  needsUpdate(e, b, { sendResolved, tickMs, repeatMs: RI });

describe("needsUpdate, AM's table (TestDedupStageNeedsUpdate)", () => {
  const cases: [string, LogEntry | null, Batch, boolean, boolean, string][] = [
    ['no entry, nothing firing', null, batch([], ['1']), true, false, 'only resolved'],
    ['no entry, alerts firing', null, batch(['2', '3', '4']), true, true, 'first notification'],
    ['new firing alert', entry(['1', '2', '3']), batch(['2', '3', '4']), true, true, 'new alerts added'],
    ['firing was empty', entry([], ['1']), batch(['1']), true, true, 'first notification'],
    [
      'same firing, repeat not due',
      entry(['1', '2', '3']),
      batch(['1', '2', '3']),
      true,
      false,
      'nothing new',
    ],
    ['firing subset, none resolved', entry(['1', '2', '3']), batch(['1', '2']), true, false, 'nothing new'],
    [
      'repeat due',
      entry(['1', '2', '3'], [], TICK - RI - 1),
      batch(['1', '2', '3']),
      true,
      true,
      'repeat interval elapsed',
    ],
    [
      'resolved not yet sent, send_resolved',
      entry(['1', '2', '3']),
      batch(['1', '2'], ['3'], ['3']),
      true,
      true,
      'some alerts resolved',
    ],
    ['resolved already sent', entry(['1', '2'], ['3']), batch(['1', '2'], ['3']), true, false, 'nothing new'],
    [
      'all resolved, send_resolved',
      entry(['1', '2']),
      batch([], ['1', '2'], ['1', '2']),
      true,
      true,
      'all alerts resolved',
    ],
    ['nothing firing and nothing told', entry([], ['1']), batch([], ['1']), true, false, 'nothing new'],
  ];
  it.each(cases)('%s', (_, e, b, sendResolved, notify, reason) => {
    const d = decide(e, b, sendResolved);
    expect([d.notify, d.reason]).toEqual([notify, reason]);
    expect(d.log).toBe(notify ? 'write' : 'none');
  });
});

describe('our rules (A7)', () => {
  it('B5: a repeat is due exactly at last tick + ri, not one group_interval later', () => {
    const e = entry(['1'], [], TICK - RI);
    expect(decide(e, batch(['1'])).reason).toBe('repeat interval elapsed');
    expect(decide(e, batch(['1']), true, TICK - 1).reason).toBe('nothing new');
  });

  it('B8: all resolved with send_resolved=false clears the log silently, keeping the repeat clock (AM: success, no send)', () => {
    const d = decide(entry(['1']), batch([], ['1'], ['1']), false);
    expect(d).toEqual({
      notify: false,
      reason: 'log updated silently',
      log: 'silent',
      firing: [],
      resolved: ['1'],
    });
  });

  it('B9: a partial resolve with send_resolved=false updates the firing set silently (AM: nothing, not logged)', () => {
    const d = decide(entry(['1', '2']), batch(['1'], ['2'], ['2']), false);
    expect(d).toMatchObject({ notify: false, log: 'silent', firing: ['1'] });
    // So a re-fire of 2 is new, where AM would wait for the repeat.
    expect(decide(entry(['1']), batch(['1', '2']), false).reason).toBe('new alerts added');
  });

  it('B9: the silent update keeps alerts told firing that are only muted now', () => {
    const d = decide(entry(['1', '2', '3']), batch(['1'], [], ['3']), false);
    expect(d.firing).toEqual(['1', '2']);
  });

  it('an expired entry counts as none (AM: nflog retention)', () => {
    const e = { ...entry(['1']), expiresAt: TICK };
    expect(liveEntry(e, TICK)).toBeNull();
    expect(liveEntry(e, TICK - 1)).toBe(e);
  });
});

describe('batchFor: suppression, and the resolve owed to a muted alert (B18)', () => {
  const a = (fingerprint: string, o: Partial<TickAlert> = {}): TickAlert => ({
    fingerprint,
    resolved: false,
    suppressed: false,
    suppressResolve: false,
    ...o,
  });
  it('drops muted firing alerts, keeps unmuted resolved ones', () => {
    const b = batchFor([a('1'), a('2', { suppressed: true }), a('3', { resolved: true })], null);
    expect(b).toEqual({ firing: ['1'], resolved: ['3'], lapsed: [] });
  });
  it('B18: a muted alert notified as firing still gets its resolve (AM: never sent)', () => {
    const b = batchFor([a('1', { resolved: true, suppressed: true })], entry(['1']));
    expect(b).toEqual({ firing: [], resolved: ['1'], lapsed: ['1'] });
    expect(decide(entry(['1']), b).reason).toBe('all alerts resolved');
  });
  it('B18: not when a silence suppresses resolves too, nor when it was never notified', () => {
    expect(
      batchFor([a('1', { resolved: true, suppressed: true, suppressResolve: true })], entry(['1'])).resolved,
    ).toEqual([]);
    expect(batchFor([a('1', { resolved: true, suppressed: true })], entry(['2'])).resolved).toEqual([]);
  });
});
