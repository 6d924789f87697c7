import { expect } from 'vitest';
import {
  type AnalysisMetric,
  analysisMetric,
  analysisTemplate,
  rolloutSteps,
} from '../../src/schemas/rollouts';
import { newRollout, transition } from '../../src/services/rollouts/machine';
import type {
  RolloutEffect,
  RolloutEvent,
  RolloutSnapshot,
  RolloutState,
  TransitionResult,
} from '../../src/services/rollouts/types';

export const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
export const s = 1000;

export const v0 = { id: 'rel-0', version: '1.0.0' };
export const v1 = { id: 'rel-1', version: '1.1.0' };
export const v2 = { id: 'rel-2', version: '1.2.0' };
export const v3 = { id: 'rel-3', version: '1.3.0' };

/** A metric through the schema, so Argo's defaults (failureLimit 0, consecutiveErrorLimit 4 …) apply. */
export const metric = (overrides: Record<string, unknown> = {}): AnalysisMetric =>
  analysisMetric.parse({
    name: 'errors',
    query: { kind: 'error_ratio' },
    comparison: { op: 'max_delta', max: 0.01 },
    intervalSeconds: 60,
    count: 5,
    ...overrides,
  });

export const TEMPLATE = analysisTemplate.parse({ metrics: [metric()] });

/** setWeight 20 → pause 60 s → analysis → setWeight 50 → pause until promoted → setWeight 80. */
export const STEPS = rolloutSteps.parse([
  { type: 'setWeight', weight: 20 },
  { type: 'pause', durationSeconds: 60 },
  { type: 'analysis', template: TEMPLATE },
  { type: 'setWeight', weight: 50 },
  { type: 'pause' },
  { type: 'setWeight', weight: 80 },
]);

/** Objects frozen all the way down, so any write to an input snapshot throws. */
export const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
};

export const ok = (r: TransitionResult) => {
  if (!r.ok) throw new Error(`expected a legal transition, got ${r.code}: ${r.message}`);
  return r;
};

/** Applies events in order (each at its own time), failing on the first refusal. */
export const run = (start: RolloutSnapshot, events: [RolloutEvent, number?][]) => {
  let snap = start;
  const effects: RolloutEffect[][] = [];
  for (const [event, at] of events) {
    const r = ok(transition(deepFreeze(snap), event, at ?? snap.updatedAt));
    snap = r.next;
    effects.push(r.effects);
  }
  return { snap, effects };
};

export const pending = () => newRollout(STEPS, v2, v1, T0);

/** One snapshot in each state, reached through legal events (canary v2 over stable v1). */
export const snapshots = (): Record<RolloutState, RolloutSnapshot> => {
  const progressing = run(pending(), [[{ type: 'start' }]]).snap;
  const paused = run(progressing, [[{ type: 'stepDone', stepIndex: 0 }, T0 + s]]).snap;
  const analyzing = run(paused, [[{ type: 'pauseExpired', stepIndex: 1 }, T0 + 61 * s]]).snap;
  return {
    pending: pending(),
    progressing,
    paused,
    analyzing,
    promoted: run(progressing, [[{ type: 'promoteFull' }, T0 + 2 * s]]).snap,
    aborted: run(analyzing, [[{ type: 'abort' }, T0 + 62 * s]]).snap,
    rolled_back: run(analyzing, [[{ type: 'rollback', to: v1, skipSteps: true }, T0 + 62 * s]]).snap,
    failed: run(progressing, [[{ type: 'fail', reason: 'deploy tool refused' }, T0 + 2 * s]]).snap,
  };
};

/** The representative event of each type for a snapshot (fences taken from it, a time past any pause). */
export const eventFor = (type: RolloutEvent['type'], snap: RolloutSnapshot): RolloutEvent => {
  switch (type) {
    case 'stepDone':
    case 'pauseExpired':
      return { type, stepIndex: snap.stepIndex };
    case 'analysisResult':
      return { type, attempt: snap.attempt, stepIndex: snap.stepIndex, phase: 'successful' };
    case 'rollback':
      return { type, to: v0, skipSteps: true };
    case 'supersede':
      return { type, release: v3 };
    case 'fail':
      return { type, reason: 'progress deadline passed' };
    case 'abort':
      return { type, reason: 'manual' };
    default:
      return { type } as RolloutEvent;
  }
};

export const effectTypes = (effects: RolloutEffect[]) => effects.map((e) => e.type);

export const expectRefused = (snap: RolloutSnapshot, event: RolloutEvent, now: number, code: string) => {
  const before = structuredClone(snap);
  const r = transition(deepFreeze(snap), event, now);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.code).toBe(code);
  expect(snap).toEqual(before);
  return r;
};
