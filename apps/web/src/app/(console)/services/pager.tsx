import { Button } from '@sextant/ui';
import Link from 'next/link';
import { type ServiceFilters, toSearch } from './filters';

/** "26–50 of 60" with Previous/Next links that keep the current filters. */
export function Pager({
  filters,
  total,
  pageSize,
}: {
  filters: ServiceFilters;
  total: number;
  pageSize: number;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (filters.page - 1) * pageSize + 1;
  const last = Math.min(total, filters.page * pageSize);
  const href = (page: number) => `/services${toSearch({ ...filters, page })}`;
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between gap-4 text-sm">
      <span className="text-muted-foreground" data-testid="services-count">
        {first}–{last} of {total}
      </span>
      <div className="flex items-center gap-2">
        <span className="text-muted-foreground">
          Page {filters.page} of {pages}
        </span>
        {filters.page > 1 ? (
          <Button asChild size="sm" variant="outline">
            <Link href={href(filters.page - 1)} rel="prev">
              Previous
            </Link>
          </Button>
        ) : null}
        {filters.page < pages ? (
          <Button asChild size="sm" variant="outline">
            <Link href={href(filters.page + 1)} rel="next">
              Next
            </Link>
          </Button>
        ) : null}
      </div>
    </nav>
  );
}
