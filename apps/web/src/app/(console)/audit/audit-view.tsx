'use client';

import { Button } from '@sextant/ui';
import { useSuspenseInfiniteQuery } from '@tanstack/react-query';
import { ConsolePage } from '~/components/page-header';
import { SectionCard } from '~/components/section-card';
import { TableCard } from '~/components/table-card';
import { useUrlFilters } from '~/lib/use-url-filters';
import { useTRPC } from '~/trpc/react';
import { AuditRow } from './audit-row';
import { FilterForm } from './filter-form';
import { readFilters, toListInput, toSearch } from './filters';

export function AuditView() {
  const trpc = useTRPC();
  const { filters, search, apply, navigating } = useUrlFilters(readFilters, toSearch);
  const entries = useSuspenseInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(toListInput(filters), {
      getNextPageParam: (last) => last.nextCursor,
    }),
  );
  const items = entries.data.pages.flatMap((p) => p.items);
  const filtered = Object.keys(filters).length > 0;

  return (
    <ConsolePage
      title="Audit log"
      description="Every change made through the console or the API, newest first. Entries cannot be edited or deleted."
      refreshed={[entries]}
    >
      <SectionCard title="Filters" description="Exact matches; times are in your time zone.">
        <FilterForm key={search} filters={filters} onApply={apply} onClear={() => apply({})} />
      </SectionCard>

      <TableCard
        columns={[
          { label: 'Time' },
          { label: 'Actor' },
          { label: 'Action' },
          { label: 'Target' },
          { label: 'IP · request' },
          { label: 'Change' },
        ]}
        rows={items.length}
        empty={filtered ? 'No audit entries match these filters.' : 'No audit entries yet.'}
        busy={navigating}
        testId="audit"
        footer={
          <div className="flex items-center justify-between gap-4 text-sm text-muted-foreground">
            <span data-testid="audit-count">
              {items.length} {items.length === 1 ? 'entry' : 'entries'}
              {entries.hasNextPage ? ' shown' : ''}
            </span>
            {entries.hasNextPage ? (
              <Button
                variant="outline"
                disabled={entries.isFetchingNextPage}
                onClick={() => entries.fetchNextPage()}
              >
                {entries.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </Button>
            ) : null}
          </div>
        }
      >
        {items.map((entry) => (
          <AuditRow key={entry.id} entry={entry} />
        ))}
      </TableCard>
    </ConsolePage>
  );
}
