'use client';

import { useEffect } from 'react';

/** A page restored from the back/forward cache was never re-checked; reload so the server decides again. */
export function BfcacheGuard() {
  useEffect(() => {
    const onShow = (e: PageTransitionEvent) => {
      if (e.persisted) window.location.reload();
    };
    window.addEventListener('pageshow', onShow);
    return () => window.removeEventListener('pageshow', onShow);
  }, []);
  return null;
}
