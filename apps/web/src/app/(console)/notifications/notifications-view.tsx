'use client';

import type { Role } from '@sextant/db/roles';
import { LinkTabs } from '~/components/link-tabs';
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
      <LinkTabs
        label="Notifications"
        tabs={NOTIFY_TABS.map((t) => ({
          href: toSearch({ tab: t.tab }),
          label: t.label,
          current: filters.tab === t.tab,
        }))}
      />
      {filters.tab === 'decisions' ? (
        <DecisionsCard filters={filters} onApply={apply} busy={navigating} />
      ) : (
        <DeliveriesCard filters={filters} role={role} busy={navigating} />
      )}
    </ConsolePage>
  );
}
