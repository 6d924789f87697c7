'use client';

import { Button } from '@sextant/ui';
import { useQueryErrorResetBoundary } from '@tanstack/react-query';
import { isOverloaded, OVERLOADED_MESSAGE } from '~/trpc/overload-link';

/** A page that failed to load (its data or its render), with a way to try again. */
export function ErrorPanel({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  // Suspense queries that failed stay failed on remount unless their error boundary is reset too.
  const queries = useQueryErrorResetBoundary();
  return (
    <div role="alert" className="mx-auto flex max-w-md flex-col items-center gap-4 py-24 text-center">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="text-sm text-muted-foreground">
        {isOverloaded(error)
          ? OVERLOADED_MESSAGE
          : 'The page failed to render. Try again; if it keeps failing, quote this reference to your administrator.'}
      </p>
      {error.digest ? <code className="rounded bg-muted px-2 py-1 text-xs">{error.digest}</code> : null}
      <Button
        onClick={() => {
          queries.reset();
          reset();
        }}
      >
        Try again
      </Button>
    </div>
  );
}
