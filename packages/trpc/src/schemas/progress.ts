/** Inputs of the project progress reads (issue 17); shared by the server and the console. */
import { z } from 'zod';

export const projectProgressInput = z.object({ projectId: z.uuid() });
export type ProjectProgressInput = z.infer<typeof projectProgressInput>;

/** Longest share token accepted: base64url of 32 bytes is 43 characters. */
export const SHARE_TOKEN_MAX_LENGTH = 64;

/**
 * A share link's token. Anything oversized or not base64url becomes '' (never hashed, never looked up), which
 * resolves to SHARE_LINK_INVALID like an unknown token: one coded answer, so a probe learns nothing.
 */
export const sharedProgressInput = z.object({
  token: z
    .string()
    .max(SHARE_TOKEN_MAX_LENGTH)
    .regex(/^[A-Za-z0-9_-]*$/)
    .catch(''),
});
export type SharedProgressInput = z.infer<typeof sharedProgressInput>;
