'use client';

import {
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  Table,
  TableBody,
  TableHead,
  TableHeader,
  TableRow,
} from '@sextant/ui';
import { useInfiniteQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useTransition } from 'react';
import { useTRPC } from '~/trpc/react';
import { AuditRow } from './audit-row';
import { FilterForm } from './filter-form';
import { type AuditFilters, readFilters, toListInput, toSearch } from './filters';

export function AuditView() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [navigating, startTransition] = useTransition();
  const search = searchParams.toString();
  const filters = useMemo(() => readFilters((key) => new URLSearchParams(search).get(key)), [search]);
  const entries = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(toListInput(filters), {
      getNextPageParam: (last) => last.nextCursor,
    }),
  );
  const items = entries.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Object.keys(filters).length > 0;

  // Filters live in the URL so a filtered view can be shared or bookmarked.
  function apply(next: AuditFilters) {
    startTransition(() => router.push(`${pathname}${toSearch(next)}`, { scroll: false }));
  }

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
        <p className="text-sm text-muted-foreground">
          Every change made through the console or the API, newest first. Entries cannot be edited or deleted.
        </p>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Filters</CardTitle>
          <CardDescription>Exact matches; times are in your time zone.</CardDescription>
        </CardHeader>
        <CardContent>
          <FilterForm key={search} filters={filters} onApply={apply} onClear={() => apply({})} />
        </CardContent>
      </Card>

      <Card aria-busy={entries.isPending || navigating} className={navigating ? 'opacity-60' : undefined}>
        <CardContent className="pt-5">
          {entries.error && !entries.data ? (
            <p role="alert" className="text-sm text-destructive">
              {entries.error.message}
            </p>
          ) : !entries.data ? (
            <p className="text-sm text-muted-foreground">Loading…</p>
          ) : items.length === 0 ? (
            <p className="text-sm text-muted-foreground">
              {filtered ? 'No audit entries match these filters.' : 'No audit entries yet.'}
            </p>
          ) : (
            <Table data-testid="audit">
              <TableHeader>
                <TableRow>
                  <TableHead>Time</TableHead>
                  <TableHead>Actor</TableHead>
                  <TableHead>Action</TableHead>
                  <TableHead>Target</TableHead>
                  <TableHead>IP · request</TableHead>
                  <TableHead>Change</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {items.map((entry) => (
                  <AuditRow key={entry.id} entry={entry} />
                ))}
              </TableBody>
            </Table>
          )}
          {entries.data ? (
            <div className="mt-4 flex items-center justify-between gap-4 text-sm text-muted-foreground">
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
          ) : null}
          {entries.error && entries.data ? (
            <p role="alert" className="mt-2 text-sm text-destructive">
              {entries.error.message}
            </p>
          ) : null}
        </CardContent>
      </Card>
    </div>
  );
}
