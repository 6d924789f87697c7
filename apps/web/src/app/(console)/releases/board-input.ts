/** The board's first page: the server prefetches exactly this input, so the client's first query hits it. */
export const FIRST_PAGE = { limit: 25 } as const;

/** A refusal as the console shows it: the API's code, then its message. */
export function codedMessage(error: { message: string; data?: { appCode?: string } | null } | null) {
  if (!error) return null;
  const code = error.data?.appCode;
  return { message: code ? `${code}: ${error.message}` : error.message };
}
