'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { LabelChips } from '~/components/label-chips';
import { RelativeTime } from '~/components/relative-time';
import { alertHref, inhibitionRuleHref, silenceHref } from '~/lib/alerts';
import { integrationLabel, timeIntervalHref } from '~/lib/notifications';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';
import { DecisionChips } from './decision-chips';

type Tick = RouterOutputs['notifications']['tick'];

function AlertList({ title, alerts }: { title: string; alerts: Tick['firing'] }) {
  return (
    <div className="flex flex-col gap-1" data-testid={`tick-${title.toLowerCase()}`}>
      <h3 className="text-xs font-medium uppercase text-muted-foreground">
        {title} ({alerts.length})
      </h3>
      {alerts.length === 0 ? <p className="text-xs text-muted-foreground">None.</p> : null}
      <ul className="flex flex-col gap-1">
        {alerts.map((a) => (
          <li key={a.fingerprint} className="flex flex-wrap items-center gap-2 text-xs">
            <Link className="font-mono underline" href={alertHref(a)}>
              {a.labels?.alertname ?? a.fingerprint}
            </Link>
            {a.labels ? <LabelChips labels={a.labels} omit={['alertname']} /> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Why each suppressed alert was left out: the silence, inhibition rule or time interval, each a link. */
function Suppressed({ suppressed }: { suppressed: Tick['suppressed'] }) {
  if (suppressed.length === 0) return null;
  return (
    <div className="flex flex-col gap-1" data-testid="tick-suppressed">
      <h3 className="text-xs font-medium uppercase text-muted-foreground">
        Suppressed ({suppressed.length})
      </h3>
      <ul className="flex flex-col gap-1 text-xs">
        {suppressed.map((s) => (
          <li key={s.fingerprint} className="flex flex-wrap items-center gap-2">
            <Link className="font-mono underline" href={alertHref(s)}>
              {s.labels.alertname ?? s.fingerprint}
            </Link>
            {s.silences.map((x) => (
              <span key={x.id}>
                silenced by{' '}
                <Link className="underline" href={silenceHref(x.id)}>
                  {x.comment ?? `silence ${x.id.slice(0, 8)}`}
                </Link>
              </span>
            ))}
            {s.inhibitions.map((x) => (
              <span key={`${x.ruleId}-${x.sourceFingerprint}`}>
                inhibited by{' '}
                <Link className="underline" href={inhibitionRuleHref(x.ruleId)}>
                  {x.name ?? 'a deleted rule'}
                </Link>{' '}
                (source{' '}
                <Link className="font-mono underline" href={alertHref({ fingerprint: x.sourceFingerprint })}>
                  {x.sourceFingerprint}
                </Link>
                )
              </span>
            ))}
            {s.timeIntervals.map((x) => (
              <span key={`${x.inactive}-${x.name}`}>
                {x.inactive ? 'outside active interval' : 'muted by'}{' '}
                {x.id ? (
                  <Link className="underline" href={timeIntervalHref()}>
                    {x.name}
                  </Link>
                ) : (
                  x.name
                )}
              </span>
            ))}
            {s.maintenances.map((x) => (
              <span key={x.id}>maintenance {x.title ?? `window ${x.id.slice(0, 8)}`}</span>
            ))}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The group's timers now: next tick, and per integration when a repeat falls due (Part C 2). */
function Timers({ tick }: { tick: Tick }) {
  const g = tick.group;
  if (!g)
    return (
      <p className="text-xs text-muted-foreground">The group no longer exists (all its alerts resolved).</p>
    );
  const labelOf = new Map(tick.decisions.map((d) => [d.integrationId, integrationLabel(d.kind, d.position)]));
  return (
    <p className="text-xs" data-testid="group-timers">
      Next tick <RelativeTime value={g.nextTickAt} />
      {g.nextRepeat.map((r) =>
        r.nextRepeatAt ? (
          <span key={r.integrationId}>
            {' · '}next repeat to {labelOf.get(r.integrationId) ?? 'an integration'}{' '}
            <RelativeTime value={r.nextRepeatAt} />
          </span>
        ) : null,
      )}
    </p>
  );
}

/** "Why (not) sent": one tick's decision per integration, its alert sets and what suppressed whom. */
export function TickDetail({ id }: { id: number }) {
  const trpc = useTRPC();
  const tick = useQuery(trpc.notifications.tick.queryOptions({ id }));
  if (tick.error) return <p className="text-sm text-destructive">{tick.error.message}</p>;
  if (!tick.data) return <p className="text-sm text-muted-foreground">Loading…</p>;
  const t = tick.data;
  return (
    <div className="flex flex-col gap-3" data-testid="tick-detail">
      <p className="break-all font-mono text-xs text-muted-foreground">{t.groupKey}</p>
      <DecisionChips decisions={t.decisions} />
      <Timers tick={t} />
      <div className="grid gap-3 md:grid-cols-2">
        <AlertList title="Firing" alerts={t.firing} />
        <AlertList title="Resolved" alerts={t.resolved} />
      </div>
      <Suppressed suppressed={t.suppressed} />
    </div>
  );
}
