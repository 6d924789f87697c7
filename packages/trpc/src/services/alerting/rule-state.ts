/**
 * The alert-instance state machine of one rule (spec A2): a pure function of (settings, persisted instances, one
 * evaluation outcome, now). Times are epoch ms from the engine's clock; "inactive" means no row.
 *   inactive|resolved -> pending   condition holds for a new label set: activeAt = now (resolved starts afresh)
 *   pending  -> firing             now - activeAt >= for (for = 0 fires on the first evaluation); firedAt = now
 *   pending  -> inactive           condition cleared or series missing: dropped, never notified, never resolved
 *   firing   -> recovering         cleared with keep_firing_for (keepFiringSince = now), or series missing
 *   recovering -> firing           condition holds again (no new `for` wait)
 *   firing|recovering -> resolved  cleared once keep_firing_for elapsed; missing for N evaluations (MissingSeries)
 *   firing   -> pending            `for` raised above now - activeAt (firedAt cleared; spec A2.5)
 *   any active -> nodata|error     no-data / error policy NoData / Error; back to firing or resolved on data
 *   resolved -> inactive           after resolvedRetention (resent as resolved until then)
 * No data / error follow the rule's policy; KeepLast freezes everything (our rule, R6: an error never resolves).
 */
import { alertLabels, fingerprint } from './fingerprint';
import type { Labels } from './matchers';

export type InstanceState = 'pending' | 'firing' | 'recovering' | 'nodata' | 'error' | 'resolved';
export type NoDataPolicy = 'Alerting' | 'NoData' | 'Normal' | 'KeepLast';
export type ErrorPolicy = 'Alerting' | 'Error' | 'Normal' | 'KeepLast';
export type StateReason =
  | 'ConditionMet'
  | 'ForElapsed'
  | 'ForIncreased'
  | 'ConditionCleared'
  | 'KeepFiringElapsed'
  | 'MissingSeries'
  | 'NoData'
  | 'Error'
  | 'RetentionElapsed';

export interface RuleSettings {
  alertname: string;
  /** Rule labels; they override series labels (spec A2.2). */
  labels: Labels;
  forMs: number;
  keepFiringForMs: number;
  noData: NoDataPolicy;
  onError: ErrorPolicy;
  /** A firing series absent while others remain resolves after this many evaluations (R7; Grafana's 2). */
  missingSeriesEvals?: number;
  /** Resolved instances are kept (and resent) this long, then evicted (Prometheus' resolvedRetention). */
  resolvedRetentionMs?: number;
  /** More alerting series than this fails the evaluation (spec A2.10); 0 or absent means no limit. */
  limit?: number;
}

export interface AlertInstance {
  fingerprint: string;
  labels: Record<string, string>;
  state: InstanceState;
  reason: StateReason;
  activeAt: number;
  firedAt: number | null;
  resolvedAt: number | null;
  keepFiringSince: number | null;
  value: number | null;
  /** Consecutive successful evaluations that lacked this series. */
  missedEvals: number;
}

/** One series of a successful query. `cleared` defaults to !alerting; neither (hysteresis band) holds the state. */
export interface SeriesResult {
  labels: Labels;
  value: number;
  alerting: boolean;
  cleared?: boolean;
}

export type Outcome =
  | { kind: 'data'; results: readonly SeriesResult[] }
  | { kind: 'nodata' }
  | { kind: 'error'; message: string };

export interface Transition {
  fingerprint: string;
  labels: Record<string, string>;
  from: InstanceState | 'inactive';
  to: InstanceState | 'inactive';
  reason: StateReason;
  at: number;
  value: number | null;
}

export interface Evaluation {
  instances: AlertInstance[];
  transitions: Transition[];
  health: 'ok' | 'nodata' | 'error';
  error: string | null;
}

export const DEFAULT_MISSING_SERIES_EVALS = 2;
export const DEFAULT_RESOLVED_RETENTION_MS = 15 * 60_000;

type Condition = 'alerting' | 'cleared' | 'hold' | 'missing';

const isActive = (state: InstanceState) => state !== 'resolved';

/** Labels, fingerprints and the checks that fail the whole evaluation (duplicate label sets, limit). */
const prepare = (settings: RuleSettings, outcome: Outcome) => {
  if (outcome.kind !== 'data') return { outcome, series: [] };
  if (outcome.results.length === 0) return { outcome: { kind: 'nodata' } as const, series: [] };
  const series = outcome.results.map((r) => {
    const labels = alertLabels(r.labels, settings.labels, settings.alertname);
    return { ...r, labels, fingerprint: fingerprint(labels) };
  });
  const seen = new Set<string>();
  for (const s of series) {
    if (seen.has(s.fingerprint)) {
      const message = `two series produce the same alert labels ${JSON.stringify(s.labels)}`;
      return { outcome: { kind: 'error', message } as const, series: [] };
    }
    seen.add(s.fingerprint);
  }
  const alerting = series.filter((s) => s.alerting).length;
  if (settings.limit && alerting > settings.limit) {
    const message = `${alerting} alerting series exceed the rule's limit of ${settings.limit}`;
    return { outcome: { kind: 'error', message } as const, series: [] };
  }
  return { outcome, series };
};

export const evaluateRule = (
  settings: RuleSettings,
  prior: readonly AlertInstance[],
  rawOutcome: Outcome,
  now: number,
): Evaluation => {
  const transitions: Transition[] = [];
  const next = new Map<string, AlertInstance>();
  const missingAfter = settings.missingSeriesEvals ?? DEFAULT_MISSING_SERIES_EVALS;
  const retention = settings.resolvedRetentionMs ?? DEFAULT_RESOLVED_RETENTION_MS;
  const kff = settings.keepFiringForMs;

  const move = (
    inst: AlertInstance,
    to: InstanceState | 'inactive',
    reason: StateReason,
    patch: Partial<AlertInstance> = {},
  ) => {
    transitions.push({ ...pick(inst), from: inst.state, to, reason, at: now });
    return to === 'inactive' ? null : { ...inst, ...patch, state: to, reason };
  };
  const pick = ({ fingerprint, labels, value }: AlertInstance) => ({ fingerprint, labels, value });
  const byFp = new Map(prior.map((inst) => [inst.fingerprint, inst]));
  /** A new instance; a resolved one with the same labels is replaced, never revived (fresh activeAt). */
  const start = (
    fp: string,
    labels: Record<string, string>,
    value: number | null,
    reason: StateReason,
    state: InstanceState = 'pending',
  ) => {
    const fresh: AlertInstance = {
      fingerprint: fp,
      labels,
      state,
      reason,
      activeAt: now,
      firedAt: null,
      resolvedAt: null,
      keepFiringSince: null,
      value,
      missedEvals: 0,
    };
    const from = byFp.get(fp)?.state ?? 'inactive';
    transitions.push({ ...pick(fresh), from, to: state, reason, at: now });
    return fresh;
  };
  const resolve = (inst: AlertInstance, reason: StateReason) =>
    move(inst, 'resolved', reason, { resolvedAt: now, keepFiringSince: null });
  const fire = (inst: AlertInstance, reason: StateReason) =>
    move(inst, 'firing', reason, { firedAt: inst.firedAt ?? now, keepFiringSince: null, missedEvals: 0 });

  /** One active instance under one condition; `why` overrides the reason when a policy decided the condition. */
  const step = (inst: AlertInstance, cond: Condition, why?: StateReason): AlertInstance | null => {
    const s = inst.state;
    if (cond === 'hold') return { ...inst, missedEvals: 0 };
    if (cond === 'alerting') {
      if (s === 'pending' || ((s === 'nodata' || s === 'error') && inst.firedAt === null)) {
        const held =
          s === 'pending' ? { ...inst, missedEvals: 0 } : move(inst, 'pending', why ?? 'ConditionMet')!;
        return now - held.activeAt >= settings.forMs ? fire(held, why ?? 'ForElapsed') : held;
      }
      if (s === 'firing' && now - inst.activeAt < settings.forMs) {
        return move(inst, 'pending', 'ForIncreased', {
          firedAt: null,
          keepFiringSince: null,
          missedEvals: 0,
        });
      }
      if (s === 'firing') return { ...inst, keepFiringSince: null, missedEvals: 0 };
      return fire(inst, why ?? 'ConditionMet');
    }
    if (s === 'pending')
      return move(inst, 'inactive', why ?? (cond === 'missing' ? 'MissingSeries' : 'ConditionCleared'));
    if (s === 'nodata' || s === 'error')
      return resolve(inst, why ?? (cond === 'missing' ? 'MissingSeries' : 'ConditionCleared'));
    const since = inst.keepFiringSince ?? now;
    const windowOver = kff <= 0 || now - since >= kff;
    if (cond === 'missing') {
      const missed = inst.missedEvals + 1;
      const patch = { missedEvals: missed, keepFiringSince: kff > 0 ? since : null };
      if (missed >= missingAfter && windowOver) return resolve(inst, why ?? 'MissingSeries');
      if (kff > 0 && s === 'firing') return move(inst, 'recovering', why ?? 'MissingSeries', patch);
      return { ...inst, ...patch };
    }
    if (windowOver) {
      return resolve(inst, why ?? (s === 'recovering' ? 'KeepFiringElapsed' : 'ConditionCleared'));
    }
    if (s === 'firing')
      return move(inst, 'recovering', why ?? 'ConditionCleared', { keepFiringSince: since });
    return { ...inst, missedEvals: 0 };
  };

  const { outcome, series } = prepare(settings, rawOutcome);
  const put = (inst: AlertInstance | null) => {
    if (inst) next.set(inst.fingerprint, inst);
  };

  if (outcome.kind === 'data') {
    for (const s of series) {
      const old = byFp.get(s.fingerprint);
      const cond: Condition = s.alerting ? 'alerting' : (s.cleared ?? true) ? 'cleared' : 'hold';
      if (old && isActive(old.state)) put(step({ ...old, value: s.value }, cond));
      else if (cond === 'alerting') put(step(start(s.fingerprint, s.labels, s.value, 'ConditionMet'), cond));
    }
    const present = new Set(series.map((s) => s.fingerprint));
    for (const inst of prior)
      if (!present.has(inst.fingerprint) && isActive(inst.state)) put(step(inst, 'missing'));
  } else {
    const policy = outcome.kind === 'nodata' ? settings.noData : settings.onError;
    const why: StateReason = outcome.kind === 'nodata' ? 'NoData' : 'Error';
    const active = prior.filter((inst) => isActive(inst.state));
    if (policy === 'KeepLast') for (const inst of active) put(inst);
    else if (policy === 'Normal') for (const inst of active) put(step(inst, 'cleared', why));
    else if (policy === 'Alerting') for (const inst of active) put(step(inst, 'alerting', why));
    else {
      const to = policy === 'NoData' ? 'nodata' : 'error';
      for (const inst of active)
        put(inst.state === to ? inst : move(inst, to, why, { keepFiringSince: null }));
    }
    if (active.length === 0 && (policy === 'Alerting' || policy === 'NoData' || policy === 'Error')) {
      // No instance to carry the condition: the rule's own label set does (Grafana's DatasourceNoData/Error).
      const labels = alertLabels({}, settings.labels, settings.alertname);
      const fp = fingerprint(labels);
      if (policy === 'Alerting') put(step(start(fp, labels, null, why), 'alerting', why));
      else put(start(fp, labels, null, why, policy === 'NoData' ? 'nodata' : 'error'));
    }
  }

  for (const inst of prior) {
    if (inst.state !== 'resolved' || next.has(inst.fingerprint)) continue;
    if (now - (inst.resolvedAt ?? now) >= retention) move(inst, 'inactive', 'RetentionElapsed');
    else next.set(inst.fingerprint, inst);
  }
  const health = outcome.kind === 'data' ? 'ok' : outcome.kind;
  return {
    instances: [...next.values()],
    transitions,
    health,
    error: outcome.kind === 'error' ? outcome.message : null,
  };
};

/** Prometheus' resendDelay: the floor of the validity window below. */
export const RESEND_DELAY_MS = 60_000;

/**
 * What the notifier gets for an instance evaluated at `now` (spec A2.7): pending is never sent; an active one is
 * valid for 4 x max(interval, resend delay), so two missed evaluations never resolve it downstream (Part C 8);
 * a resolved one ends at resolvedAt. startsAt is firedAt (activeAt for a rule-level NoData/Error instance).
 */
export const alertWindow = (
  inst: AlertInstance,
  now: number,
  intervalMs: number,
): { startsAt: number; endsAt: number } | null => {
  if (inst.state === 'pending') return null;
  const startsAt = inst.firedAt ?? inst.activeAt;
  if (inst.state === 'resolved') return { startsAt, endsAt: inst.resolvedAt ?? now };
  return { startsAt, endsAt: now + 4 * Math.max(intervalMs, RESEND_DELAY_MS) };
};
