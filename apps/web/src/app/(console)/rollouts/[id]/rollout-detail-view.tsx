'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { Badge, cn } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ConsolePage } from '~/components/page-header';
import { SectionCard } from '~/components/section-card';
import { LocalTime } from '~/lib/local-time';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';
import { ROLLOUT_LIVE_MS } from '../rollout-input';
import {
  describeStep,
  ROLLOUT_STATE_LABEL,
  ROLLOUT_STATE_TONE,
  ROLLOUT_STATE_WORDS,
  stateName,
  stepText,
} from '../rollout-words';
import { AnalysisRuns } from './analysis-runs';
import { RolloutActions } from './rollout-actions';

export type RolloutDetail = RouterOutputs['rollouts']['get'];

/** Issue 16 point 5: one rollout, live — the workers and the deploy tool move it while the page is open. */
export function RolloutDetailView({ id, role }: { id: string; role: Role }) {
  const trpc = useTRPC();
  const query = useSuspenseQuery(
    trpc.rollouts.get.queryOptions({ id }, { refetchInterval: ROLLOUT_LIVE_MS }),
  );
  const r = query.data;
  const state = stateName(r.state);
  return (
    <ConsolePage
      title={`${r.service} in ${r.environment}`}
      description={`Canary rollout of ${r.targetRelease.version}${r.stableRelease ? ` over ${r.stableRelease.version}` : ''}.`}
      back={{ href: '/rollouts', label: 'Rollouts' }}
      refreshed={[query]}
      width="medium"
    >
      <SectionCard testId="rollout-header">
        <div className="flex flex-col gap-4">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={ROLLOUT_STATE_TONE[state]} data-testid="rollout-state">
              {ROLLOUT_STATE_LABEL[state]}
            </Badge>
            <span className="text-sm tabular-nums" data-testid="rollout-step">
              {stepText(r.stepIndex, r.steps.length)}
            </span>
            <span className="text-sm text-muted-foreground">attempt {r.attempt}</span>
          </div>
          <p className="text-sm" data-testid="rollout-words">
            {ROLLOUT_STATE_WORDS[state]}
            {r.reason ? <span className="text-muted-foreground"> Reason: {r.reason}.</span> : null}
          </p>
          <WeightBar weight={r.weight} target={r.targetRelease.version} stable={r.stableRelease?.version} />
          <DesiredVsReported rollout={r} />
          {roleAtLeast(role, 'maintainer') ? <RolloutActions rollout={r} /> : null}
        </div>
      </SectionCard>
      <SectionCard title="Steps" testId="rollout-steps">
        <ol className="flex flex-col gap-1 text-sm">
          {r.steps.map((step, i) => {
            const current = i === r.stepIndex && !['promoted', 'rolled_back'].includes(state);
            return (
              <li
                // biome-ignore lint/suspicious/noArrayIndexKey: steps are fixed for the rollout's life
                key={i}
                data-testid="rollout-step-item"
                data-current={current ? 'true' : undefined}
                aria-current={current ? 'step' : undefined}
                className={cn(
                  'rounded-md px-2 py-1',
                  current && 'bg-primary/15 font-medium text-primary',
                  i < r.stepIndex && 'text-muted-foreground',
                )}
              >
                {i + 1}. {describeStep(step)}
                {current && r.pauseUntil ? (
                  <span className="text-muted-foreground">
                    {' '}
                    (until <LocalTime value={r.pauseUntil} />)
                  </span>
                ) : null}
              </li>
            );
          })}
        </ol>
      </SectionCard>
      <AnalysisRuns runs={r.runs} />
      <SectionCard
        title="History"
        description="State changes and reports, newest first."
        testId="rollout-history"
      >
        {r.history.length === 0 ? (
          <p className="text-sm text-muted-foreground">Nothing recorded yet.</p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm">
            {r.history.map((h) => (
              <li key={h.id} data-testid="rollout-history-item" className="flex flex-wrap gap-2">
                <span className="font-mono">{h.action}</span>
                <span className="text-muted-foreground">
                  by {h.actor ?? 'system'} · <LocalTime value={h.at} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </SectionCard>
      <p className="text-sm text-muted-foreground">
        <Link href={`/services/${r.service}`} className="underline">
          Service page
        </Link>{' '}
        ·{' '}
        <Link href="/releases" className="underline">
          Release board
        </Link>
      </p>
    </ConsolePage>
  );
}

/** The canary's share of traffic; the stable release serves the rest. */
function WeightBar({ weight, target, stable }: { weight: number; target: string; stable?: string }) {
  return (
    <div className="flex flex-col gap-1">
      <div className="flex justify-between text-sm">
        <span>
          Canary {target}: <span data-testid="rollout-weight">{weight} %</span>
        </span>
        <span className="text-muted-foreground">
          Stable {stable ?? 'none'}: {100 - weight} %
        </span>
      </div>
      <div
        className="h-3 w-full overflow-hidden rounded-full bg-muted"
        // The numbers above say it in words; the bar is for the eye.
        aria-hidden="true"
      >
        <div className="h-full bg-primary transition-all" style={{ width: `${weight}%` }} />
      </div>
    </div>
  );
}

/** What Sextant published for the deploy tool, next to what the tool last said it applied. */
function DesiredVsReported({ rollout: r }: { rollout: RolloutDetail }) {
  const behind =
    r.reported && (r.reported.version !== r.desired.version || r.reported.weight !== r.desired.weight);
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
      <div>
        <dt className="text-muted-foreground">Desired (published)</dt>
        <dd data-testid="rollout-desired">
          {r.desired.version} at {r.desired.weight} %, stable {r.desired.stableVersion ?? 'none'} ·{' '}
          <LocalTime value={r.desiredAt} />
        </dd>
      </div>
      <div>
        <dt className="text-muted-foreground">Last reported by the deploy tool</dt>
        <dd data-testid="rollout-reported" className={behind ? 'text-warning' : undefined}>
          {r.reported ? (
            <>
              {r.reported.version} at {r.reported.weight} % · <LocalTime value={r.reported.at} />
              {behind ? ' (not yet applied)' : ''}
            </>
          ) : (
            'nothing yet'
          )}
        </dd>
      </div>
    </dl>
  );
}
