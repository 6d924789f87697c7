'use client';

import { cn } from '@sextant/ui';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

/** Only sections that work are listed; each later feature adds its own entry. */
const SECTIONS = [{ href: '/', label: 'Overview' }] as const;

export function Nav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-1">
      {SECTIONS.map((s) => {
        const active = s.href === '/' ? pathname === '/' : pathname.startsWith(s.href);
        return (
          <Link
            key={s.href}
            href={s.href}
            aria-current={active ? 'page' : undefined}
            className={cn(
              'rounded-md px-3 py-2 text-sm font-medium text-muted-foreground hover:bg-muted hover:text-foreground',
              active && 'bg-muted text-foreground',
            )}
          >
            {s.label}
          </Link>
        );
      })}
    </nav>
  );
}
