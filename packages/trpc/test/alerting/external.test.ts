import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RESOLVE_TIMEOUT_MS,
  EXTERNAL_ALERT_LIMITS,
  type ExternalAlert,
  ExternalAlertsRefused,
  isResolved,
  mergeAlerts,
  putAlert,
  receiveAlerts,
  receiveInto,
} from '../../src/services/alerting/external';
import { fingerprint } from '../../src/services/alerting/fingerprint';

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const s = (seconds: number) => T0 + seconds * 1000;
const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;

/** Receives one alert at `at` (seconds), as the HTTP edge does. */
const receive = (at: number, alert: Record<string, unknown>) =>
  receiveAlerts([alert], s(at), DEFAULT_RESOLVE_TIMEOUT_MS)[0]!;

/** The refusal a body gets; fails when it is accepted. */
function problems(body: unknown): string[] {
  try {
    receiveAlerts(body, T0, DEFAULT_RESOLVE_TIMEOUT_MS);
  } catch (e) {
    expect(e).toBeInstanceOf(ExternalAlertsRefused);
    return (e as ExternalAlertsRefused).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected a refusal');
}

describe('A3.1 defaulting on receive (AM api/v2 postAlertsHandler)', () => {
  it('startsAt defaults to now and a missing endsAt to now + resolve_timeout, flagged as timeout-derived', () => {
    const a = receive(10, { labels: { alertname: 'A' } });
    expect(a).toMatchObject({ startsAt: s(10), endsAt: s(10) + 5 * MIN, endsAtFromTimeout: true });
    expect(a.updatedAt).toBe(s(10));
  });

  it('startsAt defaults to endsAt when only endsAt is given (an alert posted already resolved)', () => {
    const a = receive(10, { labels: { alertname: 'A' }, endsAt: iso(s(5)) });
    expect(a).toMatchObject({ startsAt: s(5), endsAt: s(5), endsAtFromTimeout: false });
    expect(isResolved(a, s(10))).toBe(true);
  });

  it("Go's zero time (what Go senders write for unset) is unset, as in AM", () => {
    const a = receive(10, {
      labels: { a: '1' },
      startsAt: '0001-01-01T00:00:00.000Z',
      endsAt: '0001-01-01T00:00:00Z',
    });
    expect(a).toMatchObject({ startsAt: s(10), endsAtFromTimeout: true });
  });

  it('the resolve timeout is a parameter (ALERTS_RESOLVE_TIMEOUT_SECONDS)', () => {
    const [a] = receiveAlerts([{ labels: { a: '1' } }], T0, 10_000);
    expect(a!.endsAt).toBe(T0 + 10_000);
  });

  it('resolved at t iff endsAt <= t (B10: posted at 1s, timeout 10s, resolved from 11s)', () => {
    const [a] = receiveAlerts([{ labels: { a: '1' } }], s(1), 10_000);
    expect(isResolved(a!, s(10.999))).toBe(false);
    expect(isResolved(a!, s(11))).toBe(true);
  });

  it('empty-valued labels are dropped before fingerprinting (A1.2)', () => {
    const a = receive(0, { labels: { alertname: 'A', team: '' }, annotations: { summary: 'x', empty: '' } });
    expect(a.labels).toEqual({ alertname: 'A' });
    // Annotations keep empty values, as in AM (removeEmptyLabels runs on labels only).
    expect(a.annotations).toEqual({ summary: 'x', empty: '' });
    expect(a.fingerprint).toBe(fingerprint({ alertname: 'A' }));
  });

  it('nanosecond RFC 3339 timestamps and offsets are read', () => {
    const a = receive(100, { labels: { a: '1' }, startsAt: '2026-11-30T13:00:01.123456789+01:00' });
    expect(a.startsAt).toBe(s(1.123));
  });
});

describe('A3.2 validation: the whole request is refused, each problem named by its path', () => {
  it.each([
    ['no labels', [{ labels: {} }], '0.labels: At least one label'],
    ['only empty labels', [{ labels: { a: '' } }], '0.labels: At least one label'],
    ['labels missing', [{ annotations: {} }], '0.labels:'],
    ['an invalid label name', [{ labels: { 'not-valid': 'x' } }], '0.labels.not-valid: Label names use'],
    ['a label name starting with a digit', [{ labels: { '1a': 'x' } }], '0.labels.1a: Label names use'],
    [
      'an invalid annotation name',
      [{ labels: { a: '1' }, annotations: { 'a b': 'x' } }],
      'Annotation names use',
    ],
    [
      'endsAt before startsAt',
      [{ labels: { a: '1' }, startsAt: iso(s(10)), endsAt: iso(s(5)) }],
      '0.endsAt: endsAt must not be before startsAt.',
    ],
    ['a startsAt that is not a date', [{ labels: { a: '1' }, startsAt: 'yesterday' }], '0.startsAt:'],
    ['a NUL in a label value', [{ labels: { a: 'x\u0000' } }], 'NUL'],
    ['not an array', { labels: { a: '1' } }, ': Invalid input'],
    ['a label value too long', [{ labels: { a: 'x'.repeat(1025) } }], '0.labels.a:'],
  ])('%s', (_name, body, expected) => {
    expect(problems(body).join('\n')).toContain(expected);
  });

  it('a good alert next to a bad one does not save the batch; the bad one is named by index', () => {
    expect(problems([{ labels: { a: '1' } }, { labels: {} }])).toEqual([
      '1.labels: At least one label with a non-empty value is required.',
    ]);
  });

  it('bounds labels and annotations per alert and alerts per request', () => {
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`l${i}`, 'v']));
    expect(problems([{ labels: many }])[0]).toContain('At most 64 labels per alert');
    expect(problems([{ labels: { a: '1' }, annotations: many }])[0]).toContain('At most 64 annotations');
    const batch = Array.from({ length: EXTERNAL_ALERT_LIMITS.alertsPerRequest + 1 }, () => ({
      labels: { a: '1' },
    }));
    expect(problems(batch)[0]).toContain('At most 1000 alerts per request');
  });
});

/** An alert as AM's TestAlertMerge writes them: minutes relative to `now`. */
const alert = (startsAt: number, endsAt: number, updatedAt: number, timeout = false): ExternalAlert => ({
  fingerprint: 'fp',
  labels: { alertname: 'A' },
  annotations: {},
  startsAt: T0 + startsAt * MIN,
  endsAt: T0 + endsAt * MIN,
  endsAtFromTimeout: timeout,
  generatorUrl: null,
  updatedAt: T0 + updatedAt * MIN,
});

describe('A3.3 merge (AM types_test.go TestAlertMerge; A older than B, both argument orders)', () => {
  it.each([
    [
      'both timeout-derived: start from A, end from B',
      alert(-2, 2, 0, true),
      alert(-1, 3, 1, true),
      alert(-2, 3, 1, true),
    ],
    [
      'A timeout-derived, B explicit: start from A, end from B',
      alert(-1, 3, 0, true),
      alert(0, 2, 1),
      alert(-1, 2, 1),
    ],
    // AM keeps B's timeout flag with A's end; ours: the end is A's explicit one, so it is explicit.
    [
      "A explicit, B timeout-derived: A's later explicit end beats B's timeout",
      alert(-1, 3, 0),
      alert(0, 2, 1, true),
      alert(-1, 3, 1),
    ],
    ['both explicit, unresolved: start and end from A', alert(-1, 3, 0), alert(0, 2, 1), alert(-1, 3, 1)],
    [
      'both explicit, unresolved: start from A, end from B',
      alert(-3, 3, 0),
      alert(-2, 4, 1),
      alert(-3, 4, 1),
    ],
    ['A resolved, B not: start from A, end from B', alert(-3, -2, 0), alert(-2, 4, 1), alert(-3, 4, 1)],
    [
      'B resolved, A not: start from A, end from B (a resolve is not undone)',
      alert(-2, 3, 0),
      alert(-2, 0, 1),
      alert(-2, 0, 1),
    ],
    [
      'both resolved: the later endsAt wins, start from B',
      alert(-3, -1, -1),
      alert(-4, -2, 1),
      alert(-4, -1, 1),
    ],
  ])('%s', (_name, a, b, expected) => {
    expect(mergeAlerts(a, b, T0)).toEqual(expected);
    expect(mergeAlerts(b, a, T0)).toEqual(expected);
  });
});

describe('A3.3 the store over a timeline (AM acceptance send_test.go TestMergeAlerts, resolve_timeout 5m)', () => {
  it('keeps the earliest start, the newest annotations, the later resolve, and re-fires as a new occurrence', () => {
    let stored: ExternalAlert | null = null;
    const push = (at: number, a: Record<string, unknown>) => {
      const r = putAlert(stored, receive(at, { labels: { alertname: 'test' }, ...a }), s(at));
      stored = r.alert;
      return r;
    };
    const view = () => ({
      startsAt: stored!.startsAt,
      endsAt: stored!.endsAt,
      annotations: stored!.annotations,
    });
    const active = (start: number, end?: number) => ({
      startsAt: s(start),
      ...(end ? { endsAt: s(end) } : {}),
    });
    const times = (start: number, end?: number) => ({
      startsAt: iso(s(start)),
      ...(end ? { endsAt: iso(s(end)) } : {}),
    });

    push(1.1, times(1.1));
    // Another Prometheus sends later with an earlier start.
    push(1.2, times(1));
    expect(view()).toMatchObject(active(1));
    push(2.1, { ...times(2), annotations: { ann: 'v1' } });
    expect(view()).toMatchObject({ ...active(1), annotations: { ann: 'v1' } });
    // Annotations always come from the most recent copy.
    push(3.6, { ...times(1.5), annotations: { ann: 'v2' } });
    expect(view()).toMatchObject({ ...active(1), annotations: { ann: 'v2' } });
    // Resolved twice: the latest resolve time wins.
    push(4.6, { ...times(3, 4.5), annotations: { ann: 'v2' } });
    push(4.8, { ...times(2.9, 4.8), annotations: { ann: 'v3' } });
    push(4.8, { ...times(2.9, 4.1), annotations: { ann: 'v3' } });
    expect(view()).toEqual({ ...active(1, 4.8), annotations: { ann: 'v3' } });
    expect(isResolved(stored!, s(4.8))).toBe(true);
    // Re-activated after the resolve: no overlap, no merge: a new occurrence.
    const refire = push(5.3, {});
    expect(refire.merged).toBe(false);
    expect(view()).toMatchObject({ ...active(5.3), annotations: {} });
    expect(stored!.endsAtFromTimeout).toBe(true);
  });

  it("Prometheus' sequence: firing (valid 4 eval intervals), resent, resolved via endsAt, re-fired", () => {
    const labels = { alertname: 'Up', job: 'x' };
    const at = (t: number, startsAt: number, endsAt: number, summary: string) =>
      receive(t, { labels, annotations: { summary }, startsAt: iso(s(startsAt)), endsAt: iso(s(endsAt)) });
    let r = putAlert(null, at(0, 0, 240, 'v1'), s(0));
    expect(r.alert).toMatchObject({ startsAt: s(0), endsAt: s(240), endsAtFromTimeout: false });
    r = putAlert(r.alert, at(60, 0, 300, 'v2'), s(60));
    expect(r.alert).toMatchObject({ startsAt: s(0), endsAt: s(300), annotations: { summary: 'v2' } });
    r = putAlert(r.alert, at(90, 0, 90, 'v2'), s(90));
    expect(r.merged).toBe(true);
    expect(r.alert).toMatchObject({ startsAt: s(0), endsAt: s(90) });
    expect(isResolved(r.alert, s(90))).toBe(true);
    // Prometheus resends the resolved alert for 15 minutes: nothing changes.
    r = putAlert(r.alert, at(150, 0, 90, 'v2'), s(150));
    expect(r.alert).toMatchObject({ startsAt: s(0), endsAt: s(90) });
    r = putAlert(r.alert, at(200, 200, 440, 'v3'), s(200));
    expect(r.merged).toBe(false);
    expect(r.alert).toMatchObject({ startsAt: s(200), endsAt: s(440), annotations: { summary: 'v3' } });
  });

  it('a firing alert never refreshed resolves when its timeout-derived endsAt passes', () => {
    const r = putAlert(null, receive(0, { labels: { a: '1' } }), s(0));
    expect(isResolved(r.alert, s(299))).toBe(false);
    expect(isResolved(r.alert, s(300))).toBe(true);
  });
});

describe('A3 history: the transitions a post makes (alert_transitions of external alerts)', () => {
  const labels = { alertname: 'H' };
  const got = (at: number, a: Record<string, unknown>) => receive(at, { labels, ...a });
  const steps = (r: ReturnType<typeof receiveInto>) =>
    r.transitions.map((t) => [t.from, t.to, t.reason, t.at]);

  it('a new firing alert starts at its startsAt; a resend changes nothing', () => {
    const first = receiveInto(null, got(10, { startsAt: iso(s(5)) }), s(10));
    expect(steps(first)).toEqual([['inactive', 'firing', 'Received', s(5)]]);
    const again = receiveInto(
      { alert: first.alert, recorded: 'firing' },
      got(70, { startsAt: iso(s(5)) }),
      s(70),
    );
    expect(steps(again)).toEqual([]);
  });

  it('resolved via endsAt, then re-fired: a resolve at endsAt and a new start', () => {
    const first = receiveInto(null, got(0, { startsAt: iso(s(0)), endsAt: iso(s(240)) }), s(0));
    const resolved = receiveInto(
      { alert: first.alert, recorded: 'firing' },
      got(90, { startsAt: iso(s(0)), endsAt: iso(s(90)) }),
      s(90),
    );
    expect(steps(resolved)).toEqual([['firing', 'resolved', 'Received', s(90)]]);
    const refired = receiveInto(
      { alert: resolved.alert, recorded: 'resolved' },
      got(200, { startsAt: iso(s(200)) }),
      s(200),
    );
    expect(steps(refired)).toEqual([['resolved', 'firing', 'Received', s(200)]]);
    expect(refired.merged).toBe(false);
  });

  it('a row still recorded firing whose endsAt passed owes its EndsAtPassed resolve before the next post', () => {
    const first = receiveInto(null, got(0, {}), s(0));
    const later = receiveInto({ alert: first.alert, recorded: 'firing' }, got(400, {}), s(400));
    expect(steps(later)).toEqual([
      ['firing', 'resolved', 'EndsAtPassed', s(300)],
      ['resolved', 'firing', 'Received', s(400)],
    ]);
  });

  it('an alert first posted already resolved is recorded as such', () => {
    expect(steps(receiveInto(null, got(10, { endsAt: iso(s(5)) }), s(10)))).toEqual([
      ['inactive', 'resolved', 'Received', s(5)],
    ]);
  });
});
