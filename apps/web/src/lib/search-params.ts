/** Reads a search param from server `searchParams` (string | string[]) or client `URLSearchParams` (string | null). */
export type ParamGet = (key: string) => string | string[] | null | undefined;

/** The first value of `key`, trimmed; empty reads as absent. */
export function firstParam(get: ParamGet, key: string): string | undefined {
  const raw = get(key);
  return (Array.isArray(raw) ? raw[0] : raw)?.trim() || undefined;
}
