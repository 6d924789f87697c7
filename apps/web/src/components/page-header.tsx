import Link from 'next/link';

/**
 * A console page's heading: an optional way back, the title, what the page is for, and an optional action or
 * control at the right.
 */
export function PageHeader({
  title,
  description,
  action,
  back,
}: {
  title: React.ReactNode;
  description: React.ReactNode;
  action?: React.ReactNode;
  back?: { href: string; label: string };
}) {
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
