import { initTRPC, type TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError, z } from 'zod';
import type { Context } from './context';
import { appCodeOf, toTRPCError } from './errors';

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  // Never ship stack traces to clients, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? z.flattenError(error.cause) : null;
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    return {
      ...shape,
      message: internal ? 'Internal server error.' : zodError ? 'Invalid input.' : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        appCode: appCodeOf(error),
        zodError,
      },
    };
  },
});

/** Maps database and service errors to stable codes before they reach the formatter. */
const errorMapping = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped: TRPCError = toTRPCError(result.error);
    if (mapped !== result.error) return { ...result, error: mapped };
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** Anyone may call it, signed in or not. */
export const publicProcedure = t.procedure.use(errorMapping);
