export { nextSlot, phaseOffsetMs } from '@sextant/db';
export type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
export { type AuthResult, authenticate, csrfProblem, SESSION_COOKIES } from './auth/authenticate';
export { actorOf, type Context, type Identity, type Logger, type Runtime } from './context';
export { APP_ERROR_CODES, AppError, type AppErrorCode, toTRPCError } from './errors';
export { type AppRouter, appRouter } from './root';
export { nextDueAt, type PingKind, recordPing } from './services/heartbeats';
export type { SystemInfo } from './services/system';
export { type Access, createCallerFactory, type Meta } from './trpc';
