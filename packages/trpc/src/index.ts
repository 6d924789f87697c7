export type { AppRouter } from './root';
export { appRouter } from './root';
export type { Context, CreateContextOptions, Logger, Runtime } from './context';
export { createContext } from './context';
export { AppError, APP_ERROR_CODES, type AppErrorCode } from './errors';
export { createCallerFactory } from './trpc';
export type { SystemInfo } from './services/system';
export type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
