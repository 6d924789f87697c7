/** Inputs of the project progress reads (issue 17); shared by the server and the console. */
import { z } from 'zod';

export const projectProgressInput = z.object({ projectId: z.uuid() });
export type ProjectProgressInput = z.infer<typeof projectProgressInput>;

/** Longest share token accepted: base64url of 32 bytes is 43 characters. */
export const SHARE_TOKEN_MAX_LENGTH = 64;
/** The most text read at all: about what one URL carries (Node answers 431 to longer headers). */
const SHARE_TOKEN_INPUT_MAX = 16_384;

/**
 * A share link's token. A string that is oversized or not base64url becomes '' (never hashed, never looked up) and
 * resolves to SHARE_LINK_INVALID like an unknown one: one coded answer, so a probe learns nothing. Only what is
 * not a string at all, or longer than a URL can carry, is refused as malformed input.
 */
export const sharedProgressInput = z.object({
  token: z
    .string()
    .max(SHARE_TOKEN_INPUT_MAX)
    .transform((t) => (t.length <= SHARE_TOKEN_MAX_LENGTH && /^[A-Za-z0-9_-]+$/.test(t) ? t : '')),
});
export type SharedProgressInput = z.input<typeof sharedProgressInput>;
