/** A query read with `useSuspenseQuery`: it always has data, so an error is a later fetch that failed. */
interface Refreshed {
  error: { message: string } | null;
}

/**
 * The one place a view says a refresh failed: the last answer stays on screen and this line says why. First-load
 * failures never get here; they reach the route's error boundary (app/error.tsx).
 */
export function RefreshError({
  queries,
  testId = 'refresh-error',
}: {
  queries: Refreshed[];
  testId?: string;
}) {
  const failed = queries.find((q) => q.error)?.error;
  if (!failed) return null;
  return (
    <p role="alert" className="text-sm text-destructive" data-testid={testId}>
      Showing the last known state: {failed.message}
    </p>
  );
}
