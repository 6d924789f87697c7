'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { Button, Input } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { LinkTabs } from '~/components/link-tabs';
import { ConsolePage } from '~/components/page-header';
import { TableCard } from '~/components/table-card';
import { useUrlFilters } from '~/lib/use-url-filters';
import { useTRPC } from '~/trpc/react';
import { readFilters, type SilenceStateFilter, toListInput, toSearch } from './filters';
import { SilenceRow } from './silence-row';

const TABS: { state: SilenceStateFilter; label: string }[] = [
  { state: 'active', label: 'Active' },
  { state: 'pending', label: 'Pending' },
  { state: 'expired', label: 'Expired' },
  { state: 'all', label: 'All' },
];

export function SilencesView({ role }: { role: Role }) {
  const trpc = useTRPC();
  const { filters, search, apply, navigating } = useUrlFilters(readFilters, toSearch);
  const silences = useSuspenseQuery(trpc.silences.list.queryOptions(toListInput(filters)));
  const canEdit = roleAtLeast(role, 'maintainer');

  return (
    <ConsolePage
      title="Silences"
      description="Mute alerts matching label matchers for a while. Editing the matchers or start of an active silence expires it and creates a new one, so its history is kept."
      action={
        canEdit ? (
          <Button asChild>
            <Link href="/silences/new">New silence</Link>
          </Button>
        ) : null
      }
      refreshed={[silences]}
    >
      <TableCard
        columns={[
          { label: 'Matchers' },
          { label: 'State' },
          { label: 'Starts' },
          { label: 'Ends' },
          { label: 'By · comment' },
        ]}
        rowActions={canEdit}
        rows={silences.data.length}
        empty={
          filters.matcher
            ? 'No silences match this filter.'
            : `No ${filters.state === 'all' ? '' : `${filters.state} `}silences.`
        }
        busy={navigating}
        testId="silences"
        toolbar={
          <div className="flex flex-wrap items-center justify-between gap-3">
            <LinkTabs
              label="Silence state"
              tabs={TABS.map((t) => ({
                href: toSearch({ ...filters, state: t.state }),
                label: t.label,
                current: filters.state === t.state,
              }))}
            />
            <form
              key={search}
              className="flex gap-2"
              onSubmit={(e) => {
                e.preventDefault();
                const text = String(new FormData(e.currentTarget).get('matcher') ?? '').trim();
                apply({ ...filters, matcher: text || undefined });
              }}
            >
              <Input
                name="matcher"
                aria-label="Filter by matcher"
                placeholder="service=checkout"
                defaultValue={filters.matcher ?? ''}
                className="w-56 font-mono"
              />
              <Button type="submit" variant="outline">
                Filter
              </Button>
            </form>
          </div>
        }
      >
        {silences.data.map((s) => (
          <SilenceRow key={s.id} silence={s} canEdit={canEdit} />
        ))}
      </TableCard>
    </ConsolePage>
  );
}
