/** How the console names a rollout's state and steps (issue 16 point 5). */

export type RolloutStateName =
  | 'pending'
  | 'progressing'
  | 'paused'
  | 'analyzing'
  | 'promoted'
  | 'aborted'
  | 'rolled_back'
  | 'failed';

export const ROLLOUT_STATE_LABEL: Record<RolloutStateName, string> = {
  pending: 'Pending',
  progressing: 'Progressing',
  paused: 'Paused',
  analyzing: 'Analyzing',
  promoted: 'Promoted',
  aborted: 'Aborted',
  rolled_back: 'Rolled back',
  failed: 'Failed',
};

/** One sentence per state: what is happening and what a maintainer may do next. */
export const ROLLOUT_STATE_WORDS: Record<RolloutStateName, string> = {
  pending: 'Created; the first step has not started.',
  progressing: 'Waiting for the deploy tool to report the step’s weight applied.',
  paused: 'Paused: it goes on when the pause ends or a maintainer promotes it.',
  analyzing: 'Measuring canary against stable; a failure aborts and rolls back.',
  promoted: 'Done: the target release serves all traffic.',
  aborted: 'Aborted: all traffic is back on the stable release. Retry or roll back.',
  rolled_back: 'Rolled back to an earlier release.',
  failed: 'The deploy tool could not apply it, or it stalled. Retry or roll back.',
};

export const ROLLOUT_STATE_TONE = {
  pending: 'neutral',
  progressing: 'info',
  paused: 'warning',
  analyzing: 'info',
  promoted: 'success',
  aborted: 'danger',
  rolled_back: 'neutral',
  failed: 'danger',
} as const satisfies Record<RolloutStateName, 'neutral' | 'info' | 'warning' | 'success' | 'danger'>;

export const stateName = (s: string): RolloutStateName =>
  s in ROLLOUT_STATE_LABEL ? (s as RolloutStateName) : 'pending';

/** "Step 2 of 3", or "Done" past the last step. */
export function stepText(stepIndex: number, count: number) {
  return stepIndex >= count ? `Done (${count} steps)` : `Step ${stepIndex + 1} of ${count}`;
}

type Step =
  | { type: 'setWeight'; weight: number }
  | { type: 'pause'; durationSeconds?: number }
  | { type: 'analysis'; template: { name?: string; metrics: { name: string }[] } };

export function describeStep(step: Step) {
  switch (step.type) {
    case 'setWeight':
      return `Set weight ${step.weight} %`;
    case 'pause':
      return step.durationSeconds ? `Pause ${step.durationSeconds} s` : 'Pause until promoted';
    case 'analysis':
      return `Analysis ${step.template.name ?? ''} (${step.template.metrics.map((m) => m.name).join(', ')})`;
  }
}
