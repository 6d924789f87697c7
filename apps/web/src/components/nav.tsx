'use client';

import type { Role } from '@sextant/db/roles';
import { cn } from '@sextant/ui';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const RANK: Record<Role, number> = { viewer: 0, maintainer: 1, admin: 2 };

/** Only sections that work, and only those the role can use; each later feature adds its own entry. */
const SECTIONS: { href: string; label: string; minRole: Role }[] = [
  { href: '/', label: 'Overview', minRole: 'viewer' },
  { href: '/services', label: 'Services', minRole: 'viewer' },
  { href: '/metrics', label: 'Metrics', minRole: 'viewer' },
  { href: '/alerts', label: 'Alerts', minRole: 'viewer' },
  { href: '/incidents', label: 'Incidents', minRole: 'viewer' },
  { href: '/maintenances', label: 'Maintenance', minRole: 'viewer' },
  { href: '/releases', label: 'Releases', minRole: 'viewer' },
  { href: '/rollouts', label: 'Rollouts', minRole: 'viewer' },
  { href: '/flags', label: 'Flags', minRole: 'viewer' },
  { href: '/dora', label: 'DORA', minRole: 'viewer' },
  { href: '/projects', label: 'Projects', minRole: 'viewer' },
  { href: '/status-pages', label: 'Status pages', minRole: 'viewer' },
  { href: '/alerts/rules', label: 'Alert rules', minRole: 'viewer' },
  { href: '/silences', label: 'Silences', minRole: 'viewer' },
  { href: '/inhibition', label: 'Inhibition', minRole: 'viewer' },
  { href: '/receivers', label: 'Receivers', minRole: 'viewer' },
  { href: '/routes', label: 'Routes', minRole: 'viewer' },
  { href: '/time-intervals', label: 'Time intervals', minRole: 'viewer' },
  { href: '/notifications', label: 'Notifications', minRole: 'viewer' },
  { href: '/api-keys', label: 'API keys', minRole: 'maintainer' },
  { href: '/users', label: 'Users', minRole: 'admin' },
  { href: '/cardinality', label: 'Cardinality', minRole: 'admin' },
  { href: '/audit', label: 'Audit log', minRole: 'admin' },
  { href: '/settings', label: 'Settings', minRole: 'admin' },
  { href: '/account', label: 'Account', minRole: 'viewer' },
];

export function Nav({ role }: { role: Role }) {
  const pathname = usePathname();
  // The most specific section: /alerts/rules is "Alert rules", not also "Alerts".
  const current = SECTIONS.filter((s) => (s.href === '/' ? pathname === '/' : pathname.startsWith(s.href)))
    .map((s) => s.href)
    .sort((a, b) => b.length - a.length)[0];
  return (
    <nav aria-label="Main" className="flex flex-col gap-1">
      {SECTIONS.filter((s) => RANK[role] >= RANK[s.minRole]).map((s) => {
        const active = s.href === current;
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
