import superjson from 'superjson';

const MAX_DEPTH = 32;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * True when superjson would add no annotations: only plain objects, arrays, strings, booleans, null and
 * finite numbers other than -0, no object reached twice. A tight loop instead of superjson's per-value walker.
 */
export function isPlainJson(value: unknown, seen = new Set<object>(), depth = 0): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object' || depth > MAX_DEPTH || seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      // Fast lane for the long number arrays metrics answers are made of.
      if (typeof v === 'number' ? !Number.isFinite(v) || Object.is(v, -0) : !isPlainJson(v, seen, depth + 1))
        return false;
    }
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) {
    if (UNSAFE_KEYS.has(key)) return false; // superjson refuses these; let it throw its own error
    if (!isPlainJson((value as Record<string, unknown>)[key], seen, depth + 1)) return false;
  }
  return true;
}

/** Answers go out exactly as superjson would write them; plain-JSON ones skip its walk (1,440 numbers cost ~1 ms). */
export const transformer = {
  input: superjson,
  output: {
    serialize: (value: unknown) => (isPlainJson(value) ? { json: value } : superjson.serialize(value)),
    deserialize: superjson.deserialize,
  },
};
