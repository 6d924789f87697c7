'use client';

import { Button } from '@sextant/ui';
import { QueryErrorResetBoundary } from '@tanstack/react-query';
import { Suspense } from 'react';
import { ErrorBoundary } from 'react-error-boundary';

/**
 * Where a part of a page reads with suspense queries after the page has loaded (e.g. a dialog's list): "Loading…"
 * until its data arrives, its own error with "Try again" if the first fetch fails, so the page around it stays.
 */
export function Loaded({ children }: { children: React.ReactNode }) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <ErrorBoundary
          onReset={reset}
          fallbackRender={({ error, resetErrorBoundary }) => (
            <div role="alert" className="flex items-center justify-between gap-4 text-sm text-destructive">
              {error instanceof Error ? error.message : 'Could not load this.'}
              <Button size="sm" variant="outline" onClick={resetErrorBoundary}>
                Try again
              </Button>
            </div>
          )}
        >
          <Suspense fallback={<p className="text-sm text-muted-foreground">Loading…</p>}>{children}</Suspense>
        </ErrorBoundary>
      )}
    </QueryErrorResetBoundary>
  );
}
