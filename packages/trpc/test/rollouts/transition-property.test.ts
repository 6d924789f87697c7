import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rolloutSteps } from '../../src/schemas/rollouts';
import { desiredOf, newRollout, transition } from '../../src/services/rollouts/machine';
import { legalNextStates } from '../../src/services/rollouts/table';
import type { RolloutEvent, RolloutSnapshot } from '../../src/services/rollouts/types';
import { deepFreeze, metric, s, T0, v0, v1, v2, v3 } from './fixtures';

const step: fc.Arbitrary<{ type: string; weight?: number }> = fc.oneof(
  fc.integer({ min: 0, max: 100 }).map((weight) => ({ type: 'setWeight', weight })),
  fc.option(fc.integer({ min: 1, max: 600 }), { nil: undefined }).map((durationSeconds) => ({
    type: 'pause',
    durationSeconds,
  })),
  fc.constant({ type: 'analysis', template: { metrics: [metric()] } }),
);
/** Valid step lists: weights sorted so they never go down. */
const steps = fc.array(step, { minLength: 1, maxLength: 8 }).map((list) => {
  const weights = list.flatMap((x) => (x.type === 'setWeight' ? [x.weight!] : [])).sort((a, b) => a - b);
  return rolloutSteps.parse(
    list.map((x) => (x.type === 'setWeight' ? { ...x, weight: weights.shift() } : x)),
  );
});

/** An event drawn against the current snapshot: fences right or off by one, any phase, any release. */
const eventAt = (snap: RolloutSnapshot, pick: number[]): RolloutEvent => {
  const [kind = 0, off = 0, which = 0] = pick;
  const stepIndex = snap.stepIndex + [0, 0, -1, 1][off % 4]!;
  const release = [v0, v1, v2, v3][which % 4]!;
  const phases = ['successful', 'failed', 'inconclusive', 'error'] as const;
  const events: RolloutEvent[] = [
    { type: 'start' },
    { type: 'stepDone', stepIndex },
    { type: 'pauseExpired', stepIndex },
    { type: 'promote' },
    { type: 'promoteFull' },
    { type: 'analysisResult', attempt: snap.attempt - (off % 2), stepIndex, phase: phases[which % 4]! },
    { type: 'abort' },
    { type: 'retry' },
    { type: 'rollback', to: release, skipSteps: which % 2 === 0 },
    { type: 'supersede', release },
    { type: 'fail', reason: 'deadline' },
  ];
  return events[kind % events.length]!;
};

describe('requirement 3: properties of any event sequence', () => {
  it('requirement 3/4: refusals change nothing; accepted moves follow the table and keep the invariants', () => {
    fc.assert(
      fc.property(
        steps,
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 700 })), { maxLength: 40 }),
        (list, firstDeploy, draws) => {
          let snap = newRollout(list, v2, firstDeploy ? null : v1, T0);
          let now = T0;
          const expired = new Set<string>();
          for (const [kind, off, which, seconds] of draws) {
            now += seconds * s;
            const event = eventAt(snap, [kind, off, which]);
            const before = structuredClone(snap);
            const r = transition(deepFreeze(snap), event, now);
            if (!r.ok) {
              expect(snap).toEqual(before);
              continue;
            }
            const next = r.next;
            expect(legalNextStates(snap.state, event.type)).toContain(next.state);
            expect(next.weight).toBeGreaterThanOrEqual(0);
            expect(next.weight).toBeLessThanOrEqual(100);
            if (next.state === 'promoted')
              expect([next.weight, next.stableRelease]).toEqual([100, next.targetRelease]);
            if (['aborted', 'failed', 'rolled_back'].includes(next.state)) expect(next.weight).toBe(0);
            if (next.state === 'analyzing') {
              expect(next.analysis).toEqual({
                attempt: next.attempt,
                stepIndex: next.stepIndex,
                phase: 'running',
              });
            }
            if (next.pauseUntil !== null) {
              expect(next.state).toBe('paused');
              expect(next.steps[next.stepIndex]).toMatchObject({ type: 'pause' });
            }
            // Within one attempt the step index never goes back.
            if (next.attempt === snap.attempt) expect(next.stepIndex).toBeGreaterThanOrEqual(snap.stepIndex);
            // A timed pause advances once per (attempt, step): the fence requirement 4 relies on.
            if (event.type === 'pauseExpired') {
              const key = `${snap.attempt}:${snap.stepIndex}`;
              expect(expired.has(key)).toBe(false);
              expired.add(key);
            }
            const published = r.effects.filter((e) => e.type === 'publishDesired');
            const changed = JSON.stringify(desiredOf(snap)) !== JSON.stringify(desiredOf(next));
            expect(published.length).toBe(changed ? 1 : 0);
            const notified = r.effects.filter((e) => e.type === 'notifyStateChange');
            expect(notified.length).toBe(next.state === snap.state ? 0 : 1);
            snap = next;
          }
        },
      ),
      { numRuns: 300, seed: 16 },
    );
  });
});
