'use client';

import { usePathname } from 'next/navigation';
import { LinkTabs } from '~/components/link-tabs';

/** Dashboard | Items | Settings of one project (a viewer reads the settings); the current one from the address. */
export function ProjectTabs({ id }: { id: string }) {
  const pathname = usePathname();
  const base = `/projects/${id}`;
  const tabs = [
    { href: base, label: 'Dashboard' },
    { href: `${base}/items`, label: 'Items' },
    { href: `${base}/settings`, label: 'Settings' },
  ];
  return (
    <LinkTabs
      label="Project"
      tabs={tabs.map((t) => ({
        ...t,
        current: t.href === base ? pathname === base : pathname.startsWith(t.href),
      }))}
    />
  );
}
