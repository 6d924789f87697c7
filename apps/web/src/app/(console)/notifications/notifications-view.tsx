'use client';

import type { Role } from '@sextant/db/roles';
import { cn } from '@sextant/ui';
import Link from 'next/link';
import { ConsolePage } from '~/components/page-header';
import { NOTIFY_LIVE_MS } from '~/lib/notifications';
import { useUrlFilters } from '~/lib/use-url-filters';
import { DecisionsCard } from './decisions-card';
import { DeliveriesCard } from './deliveries-card';
import { NOTIFY_TABS, readFilters, toSearch } from './tabs';

export function NotificationsView({ role }: { role: Role }) {
  const { filters, apply, navigating } = useUrlFilters(readFilters, toSearch);
  return (
    <ConsolePage
      title="Notifications"
      description={`Every tick decision (why a group was or was not sent), every delivery with the remote's answers, and the dead letters. Refreshes every ${NOTIFY_LIVE_MS / 1_000} s.`}
    >
      <nav aria-label="Notifications" className="flex gap-1">
        {NOTIFY_TABS.map((t) => (
          <Link
            key={t.tab}
            href={toSearch({ tab: t.tab })}
            aria-current={filters.tab === t.tab ? 'page' : undefined}
            className={cn(
              'rounded-md px-3 py-1.5 text-sm text-muted-foreground hover:bg-muted',
              filters.tab === t.tab && 'bg-muted font-medium text-foreground',
            )}
          >
            {t.label}
          </Link>
        ))}
      </nav>
      {filters.tab === 'decisions' ? (
        <DecisionsCard filters={filters} onApply={apply} busy={navigating} />
      ) : (
        <DeliveriesCard filters={filters} role={role} busy={navigating} />
      )}
    </ConsolePage>
  );
}
