import { TRPCError } from '@trpc/server';
import { ZodRealError, z } from 'zod';

type WithoutDefault<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;
export type PatchShape<S extends z.ZodRawShape> = { [K in keyof S]: z.ZodOptional<WithoutDefault<S[K]>> };

/**
 * An update's input: any of an object schema's fields, each checked as on create but never defaulted, so a
 * field left out keeps its stored value (zod's `.partial()` keeps defaults and would overwrite it).
 */
export function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>): z.ZodObject<PatchShape<S>> {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [
      key,
      z.optional(field instanceof z.ZodDefault ? field.unwrap() : field),
    ]),
  );
  return z.object(shape) as unknown as z.ZodObject<PatchShape<S>>;
}

/** The fields a patch actually sets (a key sent as `undefined` sets nothing). */
export function sentFields<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

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
