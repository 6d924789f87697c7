'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useTransition } from 'react';

type Get = (key: string) => string | null;

/**
 * Filters that live in the URL, so a filtered view can be shared or bookmarked. Applying them is a router
 * transition: the page prefetches the new query on the server and the old rows stay until it arrives.
 */
export function useUrlFilters<F>(read: (get: Get) => F, toSearch: (filters: F) => string) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [navigating, startTransition] = useTransition();
  const search = searchParams.toString();
  const filters = useMemo(() => read((key) => new URLSearchParams(search).get(key)), [read, search]);

  function apply(next: F) {
    startTransition(() => router.push(`${pathname}${toSearch(next)}`, { scroll: false }));
  }

  return { filters, search, apply, navigating };
}
