/** An error the API's error handler answers with this status and appCode (tRPC-shaped on tRPC paths). */
export function httpError(statusCode: number, appCode: string, message: string): Error {
  return Object.assign(new Error(message), { statusCode, appCode });
}
