'use client';

import { Badge } from '@sextant/ui';
import Link from 'next/link';
import { StatusBadge } from '~/components/status-badge';
import type { ServiceDetail } from './types';

const TIER_TONE = { critical: 'danger', standard: 'info', experimental: 'neutral' } as const;

export function ServiceHeader({ detail, refreshSeconds }: { detail: ServiceDetail; refreshSeconds: number }) {
  const { service: s, status } = detail;
  return (
    <div className="flex flex-col gap-3">
      <Link href="/services" className="text-sm text-muted-foreground hover:underline">
        ← Services
      </Link>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{s.name}</h1>
        <StatusBadge
          status={status.status}
          data-testid="service-status"
          className="text-sm"
          title={
            status.monitors === 0 ? 'No monitors yet' : `${status.down} of ${status.monitors} monitors down`
          }
        />
        <Badge tone={TIER_TONE[s.tier]}>{s.tier}</Badge>
        {s.isPublic ? <Badge tone="info">public</Badge> : null}
        <Link href={`/metrics/${s.slug}/PRO`} className="ml-auto text-sm text-primary hover:underline">
          Metrics
        </Link>
      </div>
      {s.description ? <p className="max-w-3xl text-sm">{s.description}</p> : null}
      <dl className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
        <div className="flex gap-1.5">
          <dt className="text-muted-foreground">Owner</dt>
          <dd>{s.owner ?? '—'}</dd>
        </div>
        <div className="flex gap-1.5">
          <dt className="text-muted-foreground">Repository</dt>
          <dd>
            {s.repositoryUrl ? (
              <a
                href={s.repositoryUrl}
                target="_blank"
                rel="noreferrer noopener"
                className="text-primary hover:underline"
              >
                {s.repositoryUrl.replace(/^https?:\/\//, '')}
              </a>
            ) : (
              '—'
            )}
          </dd>
        </div>
        {s.tags.length > 0 ? (
          <div className="flex items-center gap-1.5">
            <dt className="text-muted-foreground">Tags</dt>
            <dd className="flex flex-wrap gap-1">
              {s.tags.map((t) => (
                <Badge key={t}>{t}</Badge>
              ))}
            </dd>
          </div>
        ) : null}
      </dl>
      <p className="text-xs text-muted-foreground">Live: updates every {refreshSeconds} s.</p>
    </div>
  );
}
