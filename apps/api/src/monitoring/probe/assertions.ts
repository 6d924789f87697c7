import type { HttpCheckConfig } from './types';

export interface AssertionFailure {
  errorClass: 'status' | 'assertion';
  message: string;
}

export interface ReadBody {
  bytes: Buffer;
  truncated: boolean;
}

const DEFAULT_STATUS = [{ from: 200, to: 399 }];

function formatRanges(ranges: ReadonlyArray<{ from: number; to: number }>): string {
  return ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(', ');
}

/** Status first, then keyword, then JSON path; the first failure wins. */
export function checkAssertions(
  config: HttpCheckConfig,
  status: number,
  body: ReadBody,
): AssertionFailure | null {
  const ranges = config.expectedStatus.length > 0 ? config.expectedStatus : DEFAULT_STATUS;
  if (!ranges.some((r) => status >= r.from && status <= r.to)) {
    return { errorClass: 'status', message: `expected status ${formatRanges(ranges)}, got ${status}` };
  }
  const within = body.truncated ? ` in the first ${body.bytes.length} bytes` : '';
  // Byte search, so a multi-byte character split by the cap can't cause a false match.
  if (config.keyword !== null && !body.bytes.includes(Buffer.from(config.keyword, 'utf8'))) {
    return {
      errorClass: 'assertion',
      message: `keyword ${JSON.stringify(config.keyword)} not found${within}`,
    };
  }
  if (config.jsonPath !== null) {
    const message = checkJsonPath(config.jsonPath, body);
    if (message !== null) return { errorClass: 'assertion', message };
  }
  return null;
}

function checkJsonPath(jsonPath: { path: string; equals: string }, body: ReadBody): string | null {
  const segments = parseJsonPath(jsonPath.path);
  if (segments === null) return `invalid JSON path ${JSON.stringify(jsonPath.path)}`;
  if (body.truncated) {
    return `response body exceeds ${body.bytes.length} bytes; JSON path ${jsonPath.path} not evaluated`;
  }
  let document: unknown;
  try {
    document = JSON.parse(body.bytes.toString('utf8'));
  } catch {
    return `response body is not valid JSON (JSON path ${jsonPath.path})`;
  }
  const found = evaluate(document, segments);
  if (!found.ok) return `JSON path ${jsonPath.path} not found`;
  const actual =
    typeof found.value === 'object' && found.value !== null
      ? JSON.stringify(found.value)
      : String(found.value);
  // What was expected, never what the body held: the answer may carry data the check's reader must not see.
  if (actual !== jsonPath.equals)
    return `JSON path ${jsonPath.path} does not equal ${JSON.stringify(jsonPath.equals)}`;
  return null;
}

type Segment = string | number;

const SEGMENT = /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\])/;

/** A deliberately small JSONPath subset: $, .name, [0], ['name'], ["name"]; null when unsupported. */
export function parseJsonPath(path: string): Segment[] | null {
  const trimmed = path.trim();
  if (!trimmed.startsWith('$')) return null;
  const segments: Segment[] = [];
  let rest = trimmed.slice(1);
  while (rest.length > 0) {
    const m = SEGMENT.exec(rest);
    if (!m) return null;
    const [whole, name, index, single, double] = m;
    if (name !== undefined) segments.push(name);
    else if (index !== undefined) segments.push(Number(index));
    else segments.push((single ?? double ?? '').replace(/\\(.)/g, '$1'));
    rest = rest.slice(whole.length);
  }
  return segments;
}

function evaluate(
  document: unknown,
  segments: readonly Segment[],
): { ok: true; value: unknown } | { ok: false } {
  let current: unknown = document;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current) || segment >= current.length) return { ok: false };
      current = current[segment];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return { ok: false };
      if (!Object.hasOwn(current, segment)) return { ok: false };
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return { ok: true, value: current };
}
