'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { buttonVariants, TableCell, TableRow } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { AlertStateBadge } from '~/components/alert-state-badge';
import { LabelChips } from '~/components/label-chips';
import { ConsolePage } from '~/components/page-header';
import { RelativeTime } from '~/components/relative-time';
import { SectionCard } from '~/components/section-card';
import { ServiceFlagsCard } from '~/components/service-flags-card';
import { TableCard } from '~/components/table-card';
import { ruleHref } from '~/lib/alerts';
import { LocalTime } from '~/lib/local-time';
import { silenceHrefForLabels } from '~/lib/matcher-text';
import type { MetricsRange } from '~/lib/metrics-range';
import { useTRPC } from '~/trpc/react';
import { MutedBy } from '../alert-row';
import { LIVE_MS } from '../filters';
import { AlertChartCard } from './alert-chart-card';
import { NotificationsCard } from './notifications-card';

const LINK = /^https?:\/\/\S+$/;

/** Annotations as the engine rendered them: links stay links, long text keeps its line breaks. */
function Annotations({ annotations }: { annotations: Record<string, string> }) {
  const entries = Object.entries(annotations);
  if (entries.length === 0) return <p className="text-sm text-muted-foreground">No annotations.</p>;
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2 text-sm" data-testid="annotations">
      {entries.map(([name, value]) => (
        <div key={name} className="contents">
          <dt className="font-medium">{name}</dt>
          <dd className="whitespace-pre-wrap break-words">
            {LINK.test(value) ? (
              <a className="underline" href={value} target="_blank" rel="noreferrer noopener">
                {value}
              </a>
            ) : (
              value
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function AlertDetailView({
  alertRef,
  role,
  now,
  initialRange,
}: {
  alertRef: { fingerprint: string; ruleId?: string };
  role: Role;
  now: number;
  initialRange: MetricsRange;
}) {
  const trpc = useTRPC();
  const detail = useSuspenseQuery(trpc.alerts.get.queryOptions(alertRef, { refetchInterval: LIVE_MS }));
  const { alert, labels, history, rule } = detail.data;
  const canSilence = roleAtLeast(role, 'maintainer') && alert !== null;
  // The service its rule belongs to and the one its `service` label names (a slug).
  const services = [rule?.serviceId, labels.service].filter((s): s is string => !!s);
  return (
    <ConsolePage
      back={{ href: '/alerts', label: 'Alerts' }}
      title={
        <span className="flex items-center gap-3">
          {labels.alertname ?? alertRef.fingerprint}
          {alert ? <AlertStateBadge state={alert.state} /> : null}
        </span>
      }
      description={
        alert ? (
          <>
            {alert.state} since <RelativeTime value={alert.since} /> · {alert.reason}
            {alert.value === null ? '' : ` · value ${alert.value}`}
          </>
        ) : (
          'This alert no longer exists; its history is kept.'
        )
      }
      action={
        canSilence ? (
          <Link className={buttonVariants({ variant: 'outline' })} href={silenceHrefForLabels(labels)}>
            Silence this alert
          </Link>
        ) : null
      }
      refreshed={[detail]}
    >
      <div className="grid gap-6 xl:grid-cols-2">
        <SectionCard title="Labels" description={`Fingerprint ${alertRef.fingerprint}`}>
          <div className="flex flex-col gap-3 text-sm">
            <LabelChips labels={labels} />
            <p>
              {rule ? (
                <>
                  Rule{' '}
                  <Link className="underline" href={ruleHref(rule.id)} data-testid="rule-link">
                    {rule.name}
                  </Link>{' '}
                  ({rule.kind})
                </>
              ) : (
                'External alert (posted to /api/v2/alerts)'
              )}
              {alert?.generatorUrl ? (
                <>
                  {' · '}
                  <a
                    className="underline"
                    href={alert.generatorUrl}
                    target="_blank"
                    rel="noreferrer noopener"
                  >
                    source
                  </a>
                </>
              ) : null}
            </p>
            {alert ? <MutedBy alert={alert} /> : null}
          </div>
        </SectionCard>
        <SectionCard title="Annotations">
          <Annotations annotations={alert?.annotations ?? {}} />
        </SectionCard>
      </div>
      <ServiceFlagsCard
        services={services}
        start={alert?.activeAt ?? history.at(-1)?.at ?? null}
        startLabel="this alert became active"
        canKill={roleAtLeast(role, 'maintainer')}
      />
      <AlertChartCard alertRef={alertRef} now={now} initialRange={initialRange} />
      <NotificationsCard fingerprint={alertRef.fingerprint} />
      <TableCard
        title="State history"
        description="Every state change with its reason, newest first."
        columns={[{ label: 'When' }, { label: 'Change' }, { label: 'Reason' }, { label: 'Value' }]}
        rows={history.length}
        empty="No state changes recorded."
        testId="alert-history"
      >
        {history.map((h) => (
          <TableRow key={h.id} data-testid="history-row" data-to={h.to}>
            <TableCell className="text-sm">
              <LocalTime value={h.at} />
            </TableCell>
            <TableCell className="text-sm">
              {h.from} → {h.to}
            </TableCell>
            <TableCell className="text-xs text-muted-foreground">{h.reason}</TableCell>
            <TableCell className="font-mono text-xs">{h.value ?? '—'}</TableCell>
          </TableRow>
        ))}
      </TableCard>
    </ConsolePage>
  );
}
