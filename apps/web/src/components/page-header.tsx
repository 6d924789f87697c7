import { cn } from '@sextant/ui';
import Link from 'next/link';
import { RefreshError } from './refresh-error';

interface Heading {
  title: React.ReactNode;
  description: React.ReactNode;
  /** A button or control at the right, e.g. "New user" or the range picker. */
  action?: React.ReactNode;
  back?: { href: string; label: string };
}

/** A console page's heading: an optional way back, the title, what the page is for, and an action at the right. */
function PageHeader({ title, description, action, back }: Heading) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      <div className="flex flex-col gap-1">
        {back ? (
          <Link href={back.href} className="mb-1 text-sm text-muted-foreground hover:underline">
            ← {back.label}
          </Link>
        ) : null}
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        <p className="text-sm text-muted-foreground">{description}</p>
      </div>
      {action}
    </div>
  );
}

const WIDTH = { wide: 'max-w-7xl', medium: 'max-w-5xl', narrow: 'max-w-3xl' } as const;

/** A console page: its heading, then whether a refresh of what it reads failed, then its cards. */
export function ConsolePage({
  width = 'wide',
  refreshed = [],
  refreshTestId,
  children,
  ...heading
}: Heading & {
  width?: keyof typeof WIDTH;
  /** The page's suspense queries; the first failed refresh among them is shown under the heading. */
  refreshed?: React.ComponentProps<typeof RefreshError>['queries'];
  refreshTestId?: string;
  children: React.ReactNode;
}) {
  return (
    <div className={cn('mx-auto flex flex-col gap-6', WIDTH[width])}>
      <PageHeader {...heading} />
      <RefreshError queries={refreshed} testId={refreshTestId} />
      {children}
    </div>
  );
}
