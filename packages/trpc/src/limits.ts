/**
 * Limits shared by the API and its clients. No server imports here: the console's bundle includes this file.
 */

/** Most calls one tRPC batch request may carry; clients' `httpBatchLink` uses it as `maxItems`. */
export const TRPC_MAX_BATCH = 20;
