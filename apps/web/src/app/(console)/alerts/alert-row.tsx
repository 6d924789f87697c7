'use client';

import { buttonVariants, TableCell, TableRow } from '@sextant/ui';
import Link from 'next/link';
import { AlertStateBadge } from '~/components/alert-state-badge';
import { LabelChips } from '~/components/label-chips';
import { RelativeTime } from '~/components/relative-time';
import { alertHref, inhibitionRuleHref, silenceHref } from '~/lib/alerts';
import { silenceHrefForLabels } from '~/lib/matcher-text';
import type { RouterOutputs } from '~/lib/router-types';

export type AlertRowData = RouterOutputs['alerts']['list']['items'][number];

/** What mutes the alert, each with a link: the silences, and the inhibition rules with their firing source. */
export function MutedBy({ alert }: { alert: Pick<AlertRowData, 'silencedBy' | 'inhibitedBy'> }) {
  if (alert.silencedBy.length === 0 && alert.inhibitedBy.length === 0)
    return <span className="text-muted-foreground">—</span>;
  return (
    <ul className="flex flex-col gap-0.5 text-xs" data-testid="muted-by">
      {alert.silencedBy.map((id) => (
        <li key={`s-${id}`}>
          Silenced by{' '}
          <Link className="underline" href={silenceHref(id)}>
            silence {id.slice(0, 8)}
          </Link>
        </li>
      ))}
      {alert.inhibitedBy.map((x) => (
        <li key={`i-${x.inhibitionRuleId}-${x.source.fingerprint}`}>
          Inhibited by{' '}
          <Link className="underline" href={alertHref(x.source)}>
            {x.source.alertname ?? x.source.fingerprint}
          </Link>{' '}
          (
          <Link className="underline" href={inhibitionRuleHref(x.inhibitionRuleId)}>
            rule
          </Link>
          )
        </li>
      ))}
    </ul>
  );
}

/** The alert's name linking to its detail, and its labels as chips (less `omit`). */
export function AlertNameCell({
  alert,
  omit,
  children,
}: {
  alert: Pick<AlertRowData, 'fingerprint' | 'labels' | 'rule'>;
  omit: string[];
  children?: React.ReactNode;
}) {
  return (
    <TableCell className="flex flex-col gap-1">
      <Link
        className="font-medium hover:underline"
        href={alertHref({ fingerprint: alert.fingerprint, ruleId: alert.rule?.id })}
      >
        {alert.labels.alertname ?? alert.fingerprint}
      </Link>
      <LabelChips labels={alert.labels} omit={omit} />
      {children}
    </TableCell>
  );
}

export function AlertRow({ alert, canSilence }: { alert: AlertRowData; canSilence: boolean }) {
  return (
    <TableRow
      data-testid="alert-row"
      data-fingerprint={alert.fingerprint}
      data-alertname={alert.labels.alertname}
      data-state={alert.state}
    >
      <TableCell>
        <AlertStateBadge state={alert.state} />
      </TableCell>
      <AlertNameCell alert={alert} omit={['alertname']}>
        <span className="text-xs text-muted-foreground">
          {alert.rule ? `${alert.rule.kind} rule` : 'external'}
        </span>
      </AlertNameCell>
      <TableCell className="text-sm">
        <RelativeTime value={alert.since} />
      </TableCell>
      <TableCell className="font-mono text-xs">{alert.value ?? '—'}</TableCell>
      <TableCell className="text-sm">
        <MutedBy alert={alert} />
      </TableCell>
      <TableCell className="text-xs text-muted-foreground">{alert.reason}</TableCell>
      {canSilence ? (
        <TableCell className="text-right">
          <Link
            className={buttonVariants({ variant: 'outline', size: 'sm' })}
            href={silenceHrefForLabels(alert.labels)}
          >
            Silence
          </Link>
        </TableCell>
      ) : null}
    </TableRow>
  );
}
