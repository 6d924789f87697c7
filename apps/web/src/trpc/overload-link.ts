import type { AppRouter } from '@sextant/trpc';
import type { TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';

/** What every view, toast and form says when the API sheds load, instead of a server or parser message. */
export const OVERLOADED_MESSAGE = 'Sextant is overloaded, try again in a moment.';

/** The API's load-shedding answer (503, appCode OVERLOADED), as the console's proxy passes it on. */
export function isOverloaded(error: unknown): boolean {
  return (error as { data?: { appCode?: string } | null } | null)?.data?.appCode === 'OVERLOADED';
}

/**
 * The one place the console words an overload: every call's error passes here before any query, mutation or
 * form reads its message.
 */
export const overloadLink: TRPCLink<AppRouter> =
  () =>
  ({ op, next }) =>
    observable((observer) =>
      next(op).subscribe({
        next: (value) => observer.next(value),
        error: (err) => {
          if (isOverloaded(err)) err.message = OVERLOADED_MESSAGE;
          observer.error(err);
        },
        complete: () => observer.complete(),
      }),
    );
