'use client';

import { useSyncExternalStore } from 'react';

const noop = () => () => {};

/** False during SSR and hydration, true after: lets output depend on the browser's locale and time zone. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}

/** A timestamp in the viewer's locale and zone; UTC until hydrated so server and client HTML agree. */
export function LocalTime({ value, fallback = '—' }: { value: Date | null | undefined; fallback?: string }) {
  const hydrated = useHydrated();
  if (!value) return <span className="text-muted-foreground">{fallback}</span>;
  const text = hydrated
    ? value.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
    : `${value.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return (
    <time dateTime={value.toISOString()} title={value.toISOString()} className="whitespace-nowrap">
      {text}
    </time>
  );
}
