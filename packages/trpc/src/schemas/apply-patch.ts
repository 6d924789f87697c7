import { TRPCError } from '@trpc/server';
import { ZodRealError, type z } from 'zod';
import { sentFields } from './patch';

// Kept apart from patch.ts, which the console bundles: this one throws the server's TRPCError.
/**
 * The stored object with a patch applied, checked whole by the create schema, so rules across fields (a
 * timeout below the interval, a period or a cron) hold after any patch. A failure is the caller's input:
 * BAD_REQUEST with the issues under `at`, as if the input schema itself had refused it.
 */
export function applyPatch<T extends z.ZodType>(
  schema: T,
  stored: object,
  patch: object,
  at: PropertyKey[],
): z.output<T> {
  const result = schema.safeParse({ ...stored, ...sentFields(patch) });
  if (result.success) return result.data;
  throw new TRPCError({
    code: 'BAD_REQUEST',
    message: 'Invalid input.',
    cause: new ZodRealError(result.error.issues.map((i) => ({ ...i, path: [...at, ...i.path] }))),
  });
}
