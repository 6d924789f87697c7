export type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
export type { Context, CreateContextOptions, Logger, Runtime } from './context';
export { createContext } from './context';
export { APP_ERROR_CODES, AppError, type AppErrorCode } from './errors';
export type { AppRouter } from './root';
export { appRouter } from './root';
export type { SystemInfo } from './services/system';
export { createCallerFactory } from './trpc';
