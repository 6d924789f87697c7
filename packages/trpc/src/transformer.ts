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

/** superjson's path syntax (2.x): keys joined by dots, backslash and dot escaped (escaped as pushed: one test per key). */
const escapeKey = (key: string) =>
  key.includes('.') || key.includes('\\') ? key.replace(/\\/g, '\\\\').replace(/\./g, '\\.') : key;

type DateEncoding = { json: unknown; meta: { values: Record<string, ['Date']>; v: 1 } };

/**
 * superjson's encoding of a value that is plain JSON except for valid Dates (a status page view, an incident): one
 * tight walk writing ISO strings and a flat annotation per date path, which superjson reads back as its own. Null
 * when anything else needs superjson (then it does the whole job).
 */
export function encodeWithDates(value: unknown): DateEncoding | null {
  const values: Record<string, ['Date']> = {};
  const path: string[] = [];
  const seen = new Set<object>();
  const BAIL = Symbol('bail');
  const walk = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : BAIL;
    if (typeof v !== 'object' || depth > MAX_DEPTH || seen.has(v)) return BAIL;
    seen.add(v);
    if (v instanceof Date) {
      if (depth === 0 || Number.isNaN(v.getTime())) return BAIL;
      values[path.join('.')] = ['Date'];
      return v.toISOString();
    }
    if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        if (typeof item === 'number' && Number.isFinite(item) && !Object.is(item, -0)) {
          out[i] = item;
          continue;
        }
        path.push(String(i));
        const w = walk(item, depth + 1);
        path.pop();
        if (w === BAIL) return BAIL;
        out[i] = w;
      }
      return out;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return BAIL;
    const out: Record<string, unknown> = {};
    for (const key in v) {
      if (UNSAFE_KEYS.has(key)) return BAIL;
      path.push(escapeKey(key));
      const w = walk((v as Record<string, unknown>)[key], depth + 1);
      path.pop();
      if (w === BAIL) return BAIL;
      out[key] = w;
    }
    return out;
  };
  const json = walk(value, 0);
  if (json === BAIL) return null;
  return { json, meta: { values, v: 1 } };
}

/** Answers that never change once built (a cached status page view), and their encodings once made. */
const stableAnswers = new WeakSet<object>();
const encodings = new WeakMap<object, unknown>();

/** Marks `value` as never changing from now on: every caller that is handed it gets one shared encoding. */
export function markStableAnswer<T extends object>(value: T): T {
  stableAnswers.add(value);
  return value;
}

const encode = (value: unknown) =>
  isPlainJson(value) ? { json: value } : (encodeWithDates(value) ?? superjson.serialize(value));

/**
 * Answers go out as superjson would write them: plain-JSON ones skip its walk (1,440 numbers cost ~1 ms), ones with
 * only Dates besides take one fast walk (a 300 KB status page view: superjson's own walk took 130–250 ms).
 */
export const transformer = {
  input: superjson,
  output: {
    serialize: (value: unknown) => {
      if (typeof value !== 'object' || value === null || !stableAnswers.has(value)) return encode(value);
      if (!encodings.has(value)) encodings.set(value, encode(value));
      return encodings.get(value);
    },
    deserialize: superjson.deserialize,
  },
};
