import type { AppErrorCode } from '@sextant/trpc';

/** An error the API's error handler answers with this status and appCode (tRPC-shaped on tRPC paths). */
export function httpError(statusCode: number, appCode: AppErrorCode, message: string): Error {
  return Object.assign(new Error(message), { statusCode, appCode });
}
