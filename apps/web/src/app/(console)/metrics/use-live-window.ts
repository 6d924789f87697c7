'use client';

import { useEffect, useMemo, useState, useTransition } from 'react';
import { type MetricsRange, rangeSearch, readRange, resolveRange } from '~/lib/metrics-range';
import { useUrlFilters } from '~/lib/use-url-filters';

/** Relative ranges slide forward this often; fixed (custom) ranges never move. */
export const REFRESH_MS = 15_000;

/**
 * A range's concrete window, sliding forward every 15 s while the range is relative and not paused. `now` comes
 * from the server page so the first render reuses the prefetched queries. The slide is a transition, so the
 * charts of the last window stay on screen while the next one loads.
 */
export function useSlidingWindow(range: MetricsRange, now: number, paused = false) {
  const [sliding, startTransition] = useTransition();
  const [anchor, setAnchor] = useState(now);
  const [seenNow, setSeenNow] = useState(now);
  // A navigation re-renders the server page with a fresh `now`; start the window from it.
  if (now !== seenNow) {
    setSeenNow(now);
    setAnchor(now);
  }
  const live = range.kind === 'relative' && !paused;

  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => startTransition(() => setAnchor(Date.now())), REFRESH_MS);
    return () => clearInterval(timer);
  }, [live]);

  const timeWindow = useMemo(() => resolveRange(range, anchor), [range, anchor]);
  return { window: timeWindow, live, sliding };
}

/** The range from the URL and its sliding window (see useSlidingWindow). */
export function useLiveWindow(now: number) {
  const { filters: range, apply: setRange, navigating } = useUrlFilters(readRange, rangeSearch);
  const [paused, setPaused] = useState(false);
  const { window: timeWindow, live, sliding } = useSlidingWindow(range, now, paused);
  return { range, window: timeWindow, live, paused, setPaused, setRange, navigating: navigating || sliding };
}
