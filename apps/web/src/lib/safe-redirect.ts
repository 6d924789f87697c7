// Stands in for the console's origin when only relative paths are acceptable.
const SELF = 'http://console.invalid';

/**
 * The path, query and fragment of `value` when, resolved against `origin`, it stays on that origin; otherwise
 * "/". Parsing with `new URL` is what the browser will do, so `/\evil.example`, `/<tab>/evil.example` and
 * `/.//evil.example`, which look like paths but lead elsewhere, are caught.
 */
export function sameOriginPath(value: unknown, origin: string = SELF): string {
  if (typeof value !== 'string' || value === '') return '/';
  try {
    const base = new URL(origin).origin;
    const url = new URL(value, base);
    if (url.origin !== base) return '/';
    const path = `${url.pathname}${url.search}${url.hash}`;
    // What the browser will make of the result must land here too (a leading "//" would not).
    return new URL(path, base).origin === base ? path : '/';
  } catch {
    return '/';
  }
}
