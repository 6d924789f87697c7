import { Button } from '@sextant/ui';
import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="mx-auto flex max-w-md flex-col items-center gap-4 py-24 text-center">
      <p className="font-mono text-sm text-muted-foreground">404</p>
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-sm text-muted-foreground">
        There is nothing at this address. It may have moved or never existed.
      </p>
      <Button asChild>
        <Link href="/">Back to Overview</Link>
      </Button>
    </div>
  );
}
