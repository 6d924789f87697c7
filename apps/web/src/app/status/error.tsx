'use client';

import { Button } from '@sextant/ui';
import { useQueryErrorResetBoundary } from '@tanstack/react-query';

/** The public page's first load failed: say so in visitors' words; the console's error page speaks to operators. */
export default function StatusError({ reset }: { error: Error; reset: () => void }) {
  const queries = useQueryErrorResetBoundary();
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-10">
      <h1 className="text-2xl font-semibold tracking-tight">Service status</h1>
      <p role="alert" className="text-sm text-destructive">
        The status could not be loaded. Try again in a moment.
      </p>
      <Button
        variant="outline"
        className="self-start"
        onClick={() => {
          queries.reset();
          reset();
        }}
      >
        Try again
      </Button>
    </main>
  );
}
