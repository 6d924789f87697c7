import type { AnyValue, Int64, KeyValue } from './descriptor';

const TWO_32 = 2 ** 32;

/** A signed or unsigned 64-bit integer as a JS number (exact below 2^53, the nearest double above). */
export function int64(v: Int64 | null | undefined): number {
  if (v == null) return 0;
  if (typeof v === 'number') return v;
  return (v.unsigned ? v.high >>> 0 : v.high) * TWO_32 + (v.low >>> 0);
}

/**
 * fixed64 nanoseconds since the epoch to whole milliseconds, exactly: as one double, today's nanoseconds are only
 * good to 256 ns, which can round a whole millisecond down to the one before. 2^32 ns = 4294 ms + 967,296 ns.
 */
export function nanosToMs(v: Int64 | null | undefined): number {
  if (v == null) return 0;
  if (typeof v === 'number') return Math.floor(v / 1e6);
  const rest = (v.high >>> 0) * 967_296 + (v.low >>> 0);
  return (v.high >>> 0) * 4_294 + (rest - (rest % 1e6)) / 1e6;
}

/** Nesting kept when an array or map attribute is written out as JSON; deeper levels become null. */
const MAX_DEPTH = 8;

function raw(v: AnyValue | null | undefined, depth: number): unknown {
  if (!v || depth > MAX_DEPTH) return null;
  switch (v.value) {
    case 'stringValue':
      return v.stringValue;
    case 'boolValue':
      return v.boolValue;
    case 'intValue':
      return typeof v.intValue === 'number' ? v.intValue : String(v.intValue);
    case 'doubleValue':
      return v.doubleValue;
    case 'bytesValue':
      return Buffer.from(v.bytesValue ?? []).toString('base64');
    case 'arrayValue':
      return (v.arrayValue?.values ?? []).map((x) => raw(x, depth + 1));
    case 'kvlistValue':
      return Object.fromEntries(
        (v.kvlistValue?.values ?? []).map((kv) => [kv.key, raw(kv.value, depth + 1)]),
      );
    default:
      return null;
  }
}

/** An attribute's value as label text, as Prometheus' receiver writes it (pcommon `AsString`): arrays and maps as JSON. */
export function attributeText(v: AnyValue | null | undefined): string {
  if (!v) return '';
  switch (v.value) {
    case 'stringValue':
      return v.stringValue ?? '';
    case 'boolValue':
    case 'intValue':
    case 'doubleValue':
      return String(raw(v, 0));
    case 'bytesValue':
      return raw(v, 0) as string;
    case undefined:
      return '';
    default:
      return JSON.stringify(raw(v, 0));
  }
}

/** Attributes as a key → text map (the last of a repeated key wins). */
export function attributeMap(attributes: KeyValue[] | null | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const kv of attributes ?? []) map.set(kv.key, attributeText(kv.value));
  return map;
}
