import { type Role, roleAtLeast } from '@sextant/db';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError, ZodRealError, z } from 'zod';
import type { Context } from './context';
import { AppError, appCodeOf, toTRPCError } from './errors';
import { findInputProblem } from './input-guard';
import { transformer } from './transformer';

/** Every procedure declares who may call it; the RBAC matrix test reads this and checks the behaviour. */
export type Access =
  | { kind: 'public' }
  | {
      kind: 'role';
      minRole: Role;
      /** Only a signed-in person, never an API key (e.g. minting keys, changing one's password, any admin work). */
      sessionOnly: boolean;
      /** Still allowed while the user must change a temporary password. */
      duringPasswordChange: boolean;
    };

export interface Meta {
  access?: Access;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer,
    // Never ship stack traces to clients, whatever NODE_ENV says.
    isDev: false,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      // A service's refusal about one field reads like a zod issue on that field.
      const issues =
        cause instanceof ZodError
          ? cause.issues
          : cause instanceof AppError && cause.path
            ? [{ path: cause.path, message: cause.message }]
            : null;
      const zodError = issues
        ? {
            ...(cause instanceof ZodError
              ? z.flattenError(cause)
              : { formErrors: [], fieldErrors: { [String(issues[0]!.path[0])]: [issues[0]!.message] } }),
            // Full paths too, so a form can put a nested message (check.config.url) next to its field.
            issues: issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
          }
        : null;
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      return {
        ...shape,
        message: internal
          ? 'Internal server error.'
          : cause instanceof ZodError
            ? 'Invalid input.'
            : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          appCode: appCodeOf(error),
          // A finer code some refusals carry (alerting's MATCHES_EVERYTHING, INVALID_REGEX, …).
          ...(cause instanceof AppError && 'reason' in cause ? { reason: String(cause.reason) } : {}),
          // Structured detail some refusals carry (an import's rejected rows), for a client to show per row.
          ...(cause instanceof AppError && 'details' in cause ? { details: cause.details } : {}),
          zodError,
        },
      };
    },
  });

/** Maps database and service errors to stable codes before they reach the formatter. */
function mapErrors<R extends { ok: true } | { ok: false; error: TRPCError }>(result: R): R {
  if (!result.ok) {
    const mapped: TRPCError = toTRPCError(result.error);
    if (mapped !== result.error) return { ...result, error: mapped };
  }
  return result;
}
const errorMapping = t.middleware(async ({ next }) => mapErrors(await next()));

/**
 * Every input, before any procedure's schema: text Postgres cannot store (NUL, lone surrogates) anywhere, keys
 * included, and absurd nesting are the caller's mistake, answered 400 with the path rather than a 500 from the write.
 */
async function guardInput(getRawInput: () => Promise<unknown>): Promise<void> {
  const problem = findInputProblem(await getRawInput());
  if (problem) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: problem.message,
      cause: new ZodRealError([
        { code: 'custom', path: problem.path, message: problem.message, input: undefined },
      ]),
    });
  }
}

// One middleware per procedure kind, not one per concern: every tRPC layer costs each call a context spread.
const publicEdge = t.middleware(async ({ getRawInput, next }) => {
  await guardInput(getRawInput);
  return mapErrors(await next());
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** Anyone may call it, signed in or not. */
export const publicProcedure = t.procedure.meta({ access: { kind: 'public' } }).use(publicEdge);

export interface RoleOptions {
  sessionOnly?: boolean;
  duringPasswordChange?: boolean;
}

/**
 * Requires an identity with at least `minRole`: UNAUTHORIZED without one, FORBIDDEN below it. Admin procedures
 * are always session-only: an API key never does admin work (security requirement 24).
 */
export function roleProcedure(minRole: Role, options: RoleOptions = {}) {
  const access: Access = {
    kind: 'role',
    minRole,
    sessionOnly: minRole === 'admin' || (options.sessionOnly ?? false),
    duringPasswordChange: options.duringPasswordChange ?? false,
  };
  return t.procedure
    .meta({ access })
    .use(errorMapping)
    .use(async ({ ctx, next, getRawInput }) => {
      const identity = ctx.identity;
      if (!identity) {
        throw new TRPCError({
          code: 'UNAUTHORIZED',
          message: ctx.authError ?? 'Sign in or send an API key.',
        });
      }
      if (access.sessionOnly && identity.type !== 'user') {
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: 'Only a signed-in user can do this, not an API key.',
        });
      }
      if (identity.type === 'user' && identity.mustChangePassword && !access.duringPasswordChange) {
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: 'Change your temporary password first.',
          cause: new AppError('PASSWORD_CHANGE_REQUIRED', 'Change your temporary password first.'),
        });
      }
      if (!roleAtLeast(identity.role, minRole)) {
        throw new TRPCError({ code: 'FORBIDDEN', message: `This needs the ${minRole} role or higher.` });
      }
      await guardInput(getRawInput);
      return next({ ctx: { ...ctx, identity } });
    });
}

/** Any signed-in user or API key. */
export const authedProcedure = roleProcedure('viewer');

/** Maintainers and admins: changes to services, monitors and keys. */
export const maintainerProcedure = roleProcedure('maintainer');

/** Admins only, from a session (never a key). */
export const adminProcedure = roleProcedure('admin');
