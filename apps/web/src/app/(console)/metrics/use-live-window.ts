'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState, useTransition } from 'react';
import { type MetricsRange, rangeSearch, readRange, resolveRange } from '~/lib/metrics-range';

/** Relative ranges slide forward this often; fixed (custom) ranges never move. */
export const REFRESH_MS = 15_000;

/**
 * The range from the URL and its concrete window. `now` comes from the server page so the first
 * render reuses the prefetched queries; after that the window slides every 15 s unless paused.
 */
export function useLiveWindow(now: number) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [navigating, startTransition] = useTransition();
  const search = searchParams.toString();
  const range = useMemo(() => readRange((key) => new URLSearchParams(search).get(key)), [search]);
  const [anchor, setAnchor] = useState(now);
  const [seenNow, setSeenNow] = useState(now);
  const [paused, setPaused] = useState(false);
  // A navigation re-renders the server page with a fresh `now`; start the window from it.
  if (now !== seenNow) {
    setSeenNow(now);
    setAnchor(now);
  }
  const live = range.kind === 'relative' && !paused;

  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setAnchor(Date.now()), REFRESH_MS);
    return () => clearInterval(timer);
  }, [live]);

  const timeWindow = useMemo(() => resolveRange(range, anchor), [range, anchor]);

  // The range lives in the URL so a view can be shared or bookmarked.
  function setRange(next: MetricsRange) {
    startTransition(() => router.push(`${pathname}${rangeSearch(next)}`, { scroll: false }));
  }

  return { range, window: timeWindow, live, paused, setPaused, setRange, navigating };
}
