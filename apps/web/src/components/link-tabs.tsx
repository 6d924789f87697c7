import { cn } from '@sextant/ui';
import Link from 'next/link';

export interface LinkTab {
  href: string;
  label: string;
  current: boolean;
}

/** Tabs that are links, so the chosen one lives in the URL; the current tab is marked for screen readers too. */
export function LinkTabs({ label, tabs }: { label: string; tabs: readonly LinkTab[] }) {
  return (
    <nav aria-label={label} className="flex gap-1">
      {tabs.map((t) => (
        <Link
          key={t.href}
          href={t.href}
          aria-current={t.current ? 'page' : undefined}
          className={cn(
            'rounded-md px-3 py-1.5 text-sm text-muted-foreground hover:bg-muted',
            t.current && 'bg-muted font-medium text-foreground',
          )}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
