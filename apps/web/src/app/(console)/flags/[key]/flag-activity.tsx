'use client';

import { Select, TimeSeriesChart } from '@sextant/ui';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { RelativeTime } from '~/components/relative-time';
import { SectionCard } from '~/components/section-card';
import { useTRPC } from '~/trpc/react';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Evaluations the API answered per hour by variant over the last 24 hours (flags.evaluationCounts). */
export function EvaluationCounts({ flagKey, environments }: { flagKey: string; environments: string[] }) {
  const trpc = useTRPC();
  const [environment, setEnvironment] = useState('');
  const counts = useQuery(
    trpc.flags.evaluationCounts.queryOptions({
      flagKey,
      environment: environment || undefined,
      hours: 24,
    }),
  );
  const chart = useMemo(() => {
    const d = counts.data;
    if (!d) return null;
    return {
      x: Array.from({ length: d.hours }, (_, i) => (d.start + i * HOUR) / 1000),
      series: d.variants.map((v) => ({ label: v.variant || '(no variant)', values: v.counts })),
    };
  }, [counts.data]);
  return (
    <SectionCard
      title="Evaluations"
      description="Per hour by variant, last 24 hours: flags.evaluate and OFREP answers. Clients evaluating locally from the snapshot are not counted."
      testId="flag-evaluations"
      action={
        <Select
          aria-label="Evaluations in"
          value={environment}
          onChange={(e) => setEnvironment(e.target.value)}
          className="w-40"
        >
          <option value="">All environments</option>
          {environments.map((e) => (
            <option key={e} value={e}>
              {e}
            </option>
          ))}
        </Select>
      }
    >
      {counts.isPending ? (
        <p className="text-sm text-muted-foreground">Loading…</p>
      ) : counts.error ? (
        <p className="text-sm text-destructive">{counts.error.message}</p>
      ) : !chart || counts.data.total === 0 ? (
        <p className="text-sm text-muted-foreground">No evaluations in the last 24 hours.</p>
      ) : (
        <div className="flex flex-col gap-2">
          <TimeSeriesChart
            x={chart.x}
            series={chart.series}
            unit="number"
            height={180}
            aria-label="Evaluations per hour by variant"
          />
          <p className="text-xs text-muted-foreground" data-testid="evaluation-total">
            {counts.data.total.toLocaleString('en')} evaluations:{' '}
            {counts.data.variants
              .map((v) => `${v.variant || '(no variant)'} ${v.total.toLocaleString('en')}`)
              .join(', ')}
          </p>
        </div>
      )}
    </SectionCard>
  );
}

/** The flag's changes over the last 90 days (flags.changes), newest first. */
export function History({ flagKey }: { flagKey: string }) {
  const trpc = useTRPC();
  // Fixed at mount, to the hour, so the query key holds still; a change made here refetches it.
  const [range] = useState(() => {
    const hour = Math.floor(Date.now() / HOUR) * HOUR;
    return { from: new Date(hour - 89 * DAY), to: new Date(hour + DAY) };
  });
  const changes = useQuery(trpc.flags.changes.queryOptions({ flagKey, ...range }));
  const people = useQuery(trpc.users.directory.queryOptions());
  const actor = (id: string | null) =>
    id ? (people.data?.find((u) => u.id === id)?.name ?? 'a user') : 'an API key or the system';
  return (
    <SectionCard
      title="History"
      description="Every change, last 90 days; the audit log has the full before and after."
    >
      {changes.isPending ? (
        <p className="text-sm text-muted-foreground">Loading…</p>
      ) : changes.error ? (
        <p className="text-sm text-destructive">{changes.error.message}</p>
      ) : changes.data.changes.length === 0 ? (
        <p className="text-sm text-muted-foreground">No changes in the last 90 days.</p>
      ) : (
        <ul className="flex flex-col gap-1.5 text-sm" data-testid="flag-history">
          {changes.data.changes.map((c) => (
            <li key={c.id} className="flex flex-wrap gap-2" data-testid="flag-change">
              <span className="w-28 shrink-0 text-muted-foreground">
                <RelativeTime value={c.at} />
              </span>
              <span>{c.summary}</span>
              <span className="text-muted-foreground">by {actor(c.actorUserId)}</span>
            </li>
          ))}
          {changes.data.count > changes.data.changes.length ? (
            <li className="text-xs text-muted-foreground">
              {changes.data.count - changes.data.changes.length} older changes not shown.
            </li>
          ) : null}
        </ul>
      )}
    </SectionCard>
  );
}
