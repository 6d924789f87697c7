import type { Metadata } from 'next';
import Link from 'next/link';
import { Nav } from '~/components/nav';
import { Providers } from '~/components/providers';
import { ThemeToggle } from '~/components/theme-toggle';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Sextant', template: '%s · Sextant' },
  description: 'Operations console for backend teams',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-screen antialiased">
        <Providers>
          <div className="flex min-h-screen">
            <aside className="hidden w-56 shrink-0 flex-col gap-6 border-r p-4 md:flex">
              <Link href="/" className="px-3 text-lg font-semibold tracking-tight">
                Sextant
              </Link>
              <Nav />
            </aside>
            <div className="flex min-w-0 flex-1 flex-col">
              <header className="flex h-14 items-center justify-between border-b px-6">
                <Link href="/" className="font-semibold md:hidden">
                  Sextant
                </Link>
                <span className="hidden md:block" />
                <ThemeToggle />
              </header>
              <main className="flex-1 p-6">{children}</main>
            </div>
          </div>
        </Providers>
      </body>
    </html>
  );
}
