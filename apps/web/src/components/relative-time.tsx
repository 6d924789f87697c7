'use client';

import { useNow } from '~/lib/now';

function phrase(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1_000);
  if (s < 5) return 'just now';
  const text =
    s < 60
      ? `${s} s`
      : s < 3_600
        ? `${Math.floor(s / 60)} min`
        : s < 86_400
          ? `${Math.floor(s / 3_600)} h`
          : `${Math.floor(s / 86_400)} d`;
  return ms < 0 ? `in ${text}` : `${text} ago`;
}

/** "12 s ago" / "in 3 min", ticking; UTC until hydrated so server and client HTML agree. */
export function RelativeTime({
  value,
  fallback = '—',
}: {
  value: Date | null | undefined;
  fallback?: string;
}) {
  const now = useNow();
  if (!value) return <span className="text-muted-foreground">{fallback}</span>;
  const text =
    now === null
      ? `${value.toISOString().slice(0, 16).replace('T', ' ')} UTC`
      : phrase(now - value.getTime());
  return (
    <time
      dateTime={value.toISOString()}
      title={now === null ? value.toISOString() : value.toLocaleString()}
      className="whitespace-nowrap"
    >
      {text}
    </time>
  );
}
