import { describe, expect, it } from 'vitest';
import { ROLLOUT_LIMITS } from '../../src/limits';
import { analysisMetric, analysisTemplate, rolloutSteps } from '../../src/schemas/rollouts';
import { metric } from './fixtures';

const base = {
  name: 'errors',
  query: { kind: 'error_ratio' },
  comparison: { op: 'max_delta', max: 0.01 },
  intervalSeconds: 60,
  count: 5,
};
const issuesOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  r.success ? [] : r.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

describe('requirement 3: rollout definitions are bounded before any work', () => {
  it('requirement 3: 1 to ROLLOUT_LIMITS.steps steps', () => {
    expect(rolloutSteps.safeParse([]).success).toBe(false);
    const many = Array.from({ length: ROLLOUT_LIMITS.steps }, () => ({ type: 'pause', durationSeconds: 10 }));
    expect(rolloutSteps.safeParse(many).success).toBe(true);
    expect(rolloutSteps.safeParse([...many, { type: 'pause' }]).success).toBe(false);
  });

  it('requirement 3: weights are whole numbers 0..100 that never go down', () => {
    expect(rolloutSteps.safeParse([{ type: 'setWeight', weight: 101 }]).success).toBe(false);
    expect(rolloutSteps.safeParse([{ type: 'setWeight', weight: 12.5 }]).success).toBe(false);
    expect(
      rolloutSteps.safeParse([
        { type: 'setWeight', weight: 0 },
        { type: 'setWeight', weight: 10 },
        { type: 'setWeight', weight: 10 },
        { type: 'setWeight', weight: 100 },
      ]).success,
    ).toBe(true);
    const down = rolloutSteps.safeParse([
      { type: 'setWeight', weight: 50 },
      { type: 'pause' },
      { type: 'setWeight', weight: 20 },
    ]);
    expect(issuesOf(down)).toEqual([{ path: '2.weight', message: expect.stringContaining('never go down') }]);
  });

  it('requirement 3: a pause lasts 1 s to a week, or has no duration (until promoted)', () => {
    expect(rolloutSteps.safeParse([{ type: 'pause' }]).success).toBe(true);
    expect(rolloutSteps.safeParse([{ type: 'pause', durationSeconds: 0 }]).success).toBe(false);
    expect(rolloutSteps.safeParse([{ type: 'pause', durationSeconds: 7 * 86_400 + 1 }]).success).toBe(false);
    expect(rolloutSteps.safeParse([{ type: 'rollBack' }]).success).toBe(false);
  });

  it('requirement 5: metric limits: failureLimit ≥ -1, count and interval bounded, span ≤ a day', () => {
    expect(analysisMetric.safeParse({ ...base, failureLimit: -1 }).success).toBe(true);
    expect(analysisMetric.safeParse({ ...base, failureLimit: -2 }).success).toBe(false);
    expect(analysisMetric.safeParse({ ...base, count: 0 }).success).toBe(false);
    expect(analysisMetric.safeParse({ ...base, count: ROLLOUT_LIMITS.count.max + 1 }).success).toBe(false);
    expect(analysisMetric.safeParse({ ...base, intervalSeconds: 5 }).success).toBe(false);
    expect(analysisMetric.safeParse({ ...base, count: 100, intervalSeconds: 3600 }).success).toBe(false);
    expect(analysisMetric.safeParse({ ...base, consecutiveSuccessLimit: 6 }).success).toBe(false);
    expect(analysisMetric.safeParse({ ...base, name: 'a b' }).success).toBe(false);
  });

  it('requirement 5: a metric rule is named by id; comparisons need a marginal below the maximum', () => {
    expect(analysisMetric.safeParse({ ...base, query: { kind: 'metric_rule' } }).success).toBe(false);
    const rule = { kind: 'metric_rule', ruleId: '6f1c2f0e-8f1a-4a52-9b7e-2c1d3e4f5a6b' };
    expect(analysisMetric.safeParse({ ...base, query: rule }).success).toBe(true);
    const comparison = { op: 'max_ratio', max: 1.2, marginal: 1.2 };
    expect(issuesOf(analysisMetric.safeParse({ ...base, comparison }))).toEqual([
      { path: 'comparison.marginal', message: expect.stringContaining('below') },
    ]);
    expect(analysisMetric.safeParse({ ...base, comparison: { op: 'max_ratio', max: -1 } }).success).toBe(
      false,
    );
  });

  it('requirement 5: a template has 1..ROLLOUT_LIMITS.metricsPerAnalysis metrics with unique names', () => {
    expect(analysisTemplate.safeParse({ metrics: [] }).success).toBe(false);
    expect(analysisTemplate.safeParse({ metrics: [metric(), metric({ name: 'p95' })] }).success).toBe(true);
    expect(analysisTemplate.safeParse({ metrics: [metric(), metric({ name: 'ERRORS' })] }).success).toBe(
      false,
    );
    const many = Array.from({ length: ROLLOUT_LIMITS.metricsPerAnalysis + 1 }, (_, i) =>
      metric({ name: `m${i}` }),
    );
    expect(analysisTemplate.safeParse({ metrics: many }).success).toBe(false);
  });
});
