import { Badge } from '@sextant/ui';
import Link from 'next/link';
import { BfcacheGuard } from '~/components/bfcache-guard';
import { Nav } from '~/components/nav';
import { SignOutButton } from '~/components/sign-out-button';
import { ThemeToggle } from '~/components/theme-toggle';
import { requireSignedIn } from '~/server/session';

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requireSignedIn();
  return (
    <div className="flex min-h-screen">
      <BfcacheGuard />
      <aside className="hidden w-56 shrink-0 flex-col gap-6 border-r p-4 md:flex print:hidden">
        <Link href="/" className="px-3 text-lg font-semibold tracking-tight">
          Sextant
        </Link>
        <Nav role={user.role} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center justify-between gap-3 border-b px-6 print:hidden">
          <Link href="/" className="font-semibold md:hidden">
            Sextant
          </Link>
          <span className="hidden md:block" />
          <div className="flex items-center gap-3">
            <span className="text-sm text-muted-foreground" data-testid="current-user">
              {user.email}
            </span>
            <Badge tone="info" data-testid="current-role">
              {user.role}
            </Badge>
            <ThemeToggle />
            <SignOutButton />
          </div>
        </header>
        <main className="flex-1 p-6 print:p-0">{children}</main>
      </div>
    </div>
  );
}
