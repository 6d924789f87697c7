import { describe, expect, it } from 'vitest';
import {
  analysisRunPhase,
  compareCanary,
  evaluateAnalysis,
  type Measurement,
  measure,
} from '../../src/services/rollouts/analysis';
import { metric, s, T0 } from './fixtures';

// max_delta 0.01 by default: a value above 0.01 fails; `marginal` makes (marginal, max] inconclusive.
const PASS = 0;
const FAIL = 0.5;
const MARGINAL = 0.008;

/** Measurements a minute apart: a number is a value, 'e' a measurement error. */
const series = (...values: (number | 'e')[]): Measurement[] =>
  values.map((v, i) =>
    v === 'e' ? { at: T0 + i * 60 * s, error: 'query timed out' } : { at: T0 + i * 60 * s, value: v },
  );
const repeat = <T>(n: number, v: T) => Array.from({ length: n }, () => v);

describe('requirement 5: analysis defaults and limits (Argo semantics)', () => {
  it('requirement 5: defaults are failureLimit 0, inconclusiveLimit 0, consecutiveErrorLimit 4, no success streak', () => {
    expect(metric()).toMatchObject({
      failureLimit: 0,
      inconclusiveLimit: 0,
      consecutiveErrorLimit: 4,
      consecutiveSuccessLimit: 0,
      dryRun: false,
    });
  });

  it('requirement 5: no measurement yet is running, due now', () => {
    expect(evaluateAnalysis(metric(), [])).toMatchObject({
      phase: 'running',
      measured: 0,
      nextMeasurementAt: null,
    });
  });

  it('requirement 5: failureLimit 0 — one failure fails the metric at once', () => {
    const r = evaluateAnalysis(metric(), series(PASS, FAIL));
    expect(r).toMatchObject({ phase: 'failed', failures: 1, measured: 2, nextMeasurementAt: null });
    expect(r.reason).toContain('failureLimit 0');
  });

  it('requirement 5: failureLimit 1 — one failure keeps running, the second fails', () => {
    const m = metric({ failureLimit: 1 });
    expect(evaluateAnalysis(m, series(FAIL, PASS))).toMatchObject({ phase: 'running', failures: 1 });
    expect(evaluateAnalysis(m, series(FAIL, PASS, FAIL))).toMatchObject({ phase: 'failed', failures: 2 });
  });

  it('requirement 5: failureLimit -1 disables failing; the count still ends the metric', () => {
    const r = evaluateAnalysis(metric({ failureLimit: -1 }), series(...repeat(5, FAIL)));
    expect(r).toMatchObject({ phase: 'successful', failures: 5 });
  });

  it('requirement 5: measurement errors are counted apart from failures', () => {
    const r = evaluateAnalysis(metric(), series('e', PASS, 'e', PASS, PASS));
    expect(r).toMatchObject({ phase: 'successful', errors: 2, failures: 0, successes: 3 });
  });

  it('requirement 5: 4 consecutive errors are within the default limit; the 5th (> 4) ends in error', () => {
    const m = metric({ count: 10 });
    expect(evaluateAnalysis(m, series(...repeat(4, 'e' as const)))).toMatchObject({
      phase: 'running',
      consecutiveErrors: 4,
      failures: 0,
    });
    const r = evaluateAnalysis(m, series(...repeat(5, 'e' as const)));
    expect(r).toMatchObject({ phase: 'error', consecutiveErrors: 5, errors: 5, failures: 0 });
    expect(r.reason).toContain('consecutiveErrorLimit 4');
  });

  it('requirement 5: a success resets the error streak (4 errors, a success, 4 errors keep running)', () => {
    const r = evaluateAnalysis(metric({ count: 10 }), series('e', 'e', 'e', 'e', PASS, 'e', 'e', 'e', 'e'));
    expect(r).toMatchObject({ phase: 'running', errors: 8, consecutiveErrors: 4 });
  });

  it('requirement 5: consecutiveErrorLimit 3 — 3 errors then a success resets; 4 in a row is an error', () => {
    const m = metric({ count: 10, consecutiveErrorLimit: 3 });
    expect(evaluateAnalysis(m, series('e', 'e', 'e', PASS))).toMatchObject({
      phase: 'running',
      consecutiveErrors: 0,
    });
    expect(evaluateAnalysis(m, series(PASS, 'e', 'e', 'e', 'e'))).toMatchObject({ phase: 'error' });
  });

  it('requirement 5: a decided metric ignores later measurements', () => {
    const r = evaluateAnalysis(metric({ count: 10 }), series('e', 'e', 'e', 'e', 'e', PASS, PASS));
    expect(r).toMatchObject({ phase: 'error', measured: 5 });
  });

  it('requirement 5: inconclusiveLimit 0 — one marginal measurement is inconclusive', () => {
    const m = metric({ comparison: { op: 'max_delta', max: 0.01, marginal: 0.005 } });
    expect(evaluateAnalysis(m, series(PASS, MARGINAL))).toMatchObject({
      phase: 'inconclusive',
      inconclusives: 1,
    });
  });

  it('requirement 5: inconclusiveLimit 1 — one marginal keeps running, two are inconclusive', () => {
    const m = metric({ comparison: { op: 'max_delta', max: 0.01, marginal: 0.005 }, inconclusiveLimit: 1 });
    expect(evaluateAnalysis(m, series(MARGINAL, PASS))).toMatchObject({ phase: 'running', inconclusives: 1 });
    expect(evaluateAnalysis(m, series(MARGINAL, PASS, MARGINAL))).toMatchObject({ phase: 'inconclusive' });
  });

  it('requirement 5: a failure beyond its limit wins over inconclusive on the same measurement count', () => {
    const m = metric({ comparison: { op: 'max_delta', max: 0.01, marginal: 0.005 } });
    expect(evaluateAnalysis(m, series(FAIL))).toMatchObject({ phase: 'failed', inconclusives: 0 });
  });

  it('requirement 5: at count the metric is successful, and measurements past the count are ignored', () => {
    const r = evaluateAnalysis(metric({ count: 3 }), series(PASS, PASS, PASS, FAIL));
    expect(r).toMatchObject({ phase: 'successful', measured: 3, failures: 0 });
  });

  it('requirement 5: a metric whose every measurement errored is inconclusive at count, never a pass', () => {
    const r = evaluateAnalysis(metric({ count: 3 }), series('e', 'e', 'e'));
    expect(r).toMatchObject({ phase: 'inconclusive', errors: 3 });
  });

  it('requirement 5: consecutiveSuccessLimit — the streak succeeds early; unmet at count is inconclusive', () => {
    const m = metric({ count: 4, failureLimit: 3, consecutiveSuccessLimit: 2 });
    expect(evaluateAnalysis(m, series(FAIL, PASS, PASS))).toMatchObject({ phase: 'successful', measured: 3 });
    expect(evaluateAnalysis(m, series(PASS, FAIL, PASS, FAIL))).toMatchObject({
      phase: 'inconclusive',
      consecutiveSuccesses: 0,
    });
    expect(evaluateAnalysis(m, series(PASS))).toMatchObject({ phase: 'running', consecutiveSuccesses: 1 });
  });

  it('requirement 5: a run cut short ends successful unless already breached', () => {
    expect(evaluateAnalysis(metric(), series(PASS, PASS), { terminated: true })).toMatchObject({
      phase: 'successful',
      nextMeasurementAt: null,
    });
    expect(evaluateAnalysis(metric(), [], { terminated: true })).toMatchObject({ phase: 'successful' });
    expect(evaluateAnalysis(metric(), series(FAIL), { terminated: true })).toMatchObject({ phase: 'failed' });
  });

  it('requirement 5: while running, the next measurement is due one interval after the last', () => {
    const r = evaluateAnalysis(metric({ intervalSeconds: 30 }), series(PASS, PASS));
    expect(r).toMatchObject({ phase: 'running', nextMeasurementAt: T0 + 60 * s + 30 * s });
  });
});

describe('requirement 5: a run of several metrics; dryRun never decides', () => {
  it('requirement 5: a failing dryRun metric is reported failed but the run is successful', () => {
    const dry = evaluateAnalysis(metric({ name: 'p99', dryRun: true }), series(FAIL));
    const real = evaluateAnalysis(metric(), series(...repeat(5, PASS)));
    expect(dry).toMatchObject({ phase: 'failed', dryRun: true });
    expect(analysisRunPhase([dry, real])).toBe('successful');
    expect(analysisRunPhase([dry])).toBe('successful');
  });

  it('requirement 5: failed or error ends the run at once; otherwise it runs until every metric is done', () => {
    const running = evaluateAnalysis(metric(), series(PASS));
    const done = evaluateAnalysis(metric(), series(...repeat(5, PASS)));
    const failed = evaluateAnalysis(metric(), series(FAIL));
    const errored = evaluateAnalysis(metric({ consecutiveErrorLimit: 0 }), series('e'));
    const unsure = evaluateAnalysis(metric({ count: 1 }), series('e'));
    expect(analysisRunPhase([running, failed])).toBe('failed');
    expect(analysisRunPhase([running, errored])).toBe('error');
    expect(analysisRunPhase([errored, failed])).toBe('failed');
    expect(analysisRunPhase([running, unsure])).toBe('running');
    expect(analysisRunPhase([done, unsure])).toBe('inconclusive');
    expect(analysisRunPhase([done, done])).toBe('successful');
  });
});

describe('requirement 5: comparing canary with stable', () => {
  it('requirement 5: error ratio is canary − stable; latency is canary ÷ stable', () => {
    expect(compareCanary('max_delta', 0.05, 0.01)).toEqual({ value: 0.05 - 0.01 });
    expect(compareCanary('max_ratio', 300, 200)).toEqual({ value: 1.5 });
  });

  it('requirement 5: missing data on either side is a measurement error, not a pass', () => {
    for (const [canary, stable] of [
      [0.1, undefined],
      [0.1, null],
      [undefined, 0.1],
      [Number.NaN, 0.1],
      [0.1, Number.POSITIVE_INFINITY],
    ] as const) {
      expect('error' in compareCanary('max_delta', canary, stable)).toBe(true);
      expect('error' in compareCanary('max_ratio', canary, stable)).toBe(true);
    }
  });

  it('requirement 5: a zero stable is an error for a ratio; for a delta it is a real reading (no errors)', () => {
    expect(compareCanary('max_ratio', 120, 0)).toEqual({ error: expect.stringContaining('stable is 0') });
    expect(compareCanary('max_ratio', 0, 0)).toEqual({ error: expect.stringContaining('stable is 0') });
    expect(compareCanary('max_delta', 0.05, 0)).toEqual({ value: 0.05 });
  });

  it('requirement 5: a 5 % error canary against a clean stable fails; missing stable data errors', () => {
    const m = metric({ count: 3 });
    expect(evaluateAnalysis(m, [measure(m, 0.05, 0, T0)])).toMatchObject({ phase: 'failed' });
    const blind = [0, 1, 2].map((i) => measure(m, 0.05, null, T0 + i * 60 * s));
    expect(evaluateAnalysis(m, blind)).toMatchObject({ phase: 'inconclusive', errors: 3, failures: 0 });
    const latency = metric({ query: { kind: 'latency_p95' }, comparison: { op: 'max_ratio', max: 1.2 } });
    expect(evaluateAnalysis(latency, [measure(latency, 130, 100, T0)])).toMatchObject({ phase: 'failed' });
    expect(evaluateAnalysis(latency, [measure(latency, 110, 100, T0)])).toMatchObject({ phase: 'running' });
  });
});
