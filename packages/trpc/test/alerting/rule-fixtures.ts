import type { Outcome, RuleSettings, SeriesResult } from '../../src/services/alerting/rule-state';

/** Shared fixtures of the rule-state tests: a fake clock at minute resolution and a threshold-50 rule. */
export const m = 60_000;
export const T0 = Date.UTC(2026, 0, 1);
export const base: RuleSettings = {
  alertname: 'HighLatency',
  labels: { severity: 'page' },
  forMs: 0,
  keepFiringForMs: 0,
  noData: 'NoData',
  onError: 'KeepLast',
};
export const series = (value: number, labels = { instance: 'a' }, threshold = 50): SeriesResult => ({
  labels,
  value,
  alerting: value > threshold,
});
export const data = (...results: SeriesResult[]): Outcome => ({ kind: 'data', results });
export const noData: Outcome = { kind: 'nodata' };
export const error: Outcome = { kind: 'error', message: 'query timeout' };
