/** Deeper than any input of ours; past it, recursive walkers (zod's, the services') risk the stack. */
export const MAX_INPUT_DEPTH = 32;

/** Half of a UTF-16 surrogate pair: jsonb refuses it, and text would silently store U+FFFD instead. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface InputProblem {
  path: (string | number)[];
  message: string;
}

/** Why Postgres could not store this text, or null when it can. */
export function unstorableText(text: string): string | null {
  if (text.includes('\0')) return 'Text cannot contain the NUL character (U+0000).';
  if (LONE_SURROGATE.test(text)) return 'Text must be valid Unicode; it holds half of a surrogate pair.';
  return null;
}

interface Frame {
  value: object;
  depth: number;
  parent: Frame | null;
  key: string | number | null;
}

function pathOf(frame: Frame | null, last?: string | number): (string | number)[] {
  const path: (string | number)[] = last === undefined ? [] : [last];
  for (let f = frame; f?.parent; f = f.parent) path.unshift(f.key!);
  return path;
}

/**
 * The first string anywhere in a raw input, value or object key, that Postgres cannot store, or nesting deeper
 * than any input needs. Iterative, so a hostile depth cannot overflow the stack here.
 */
export function findInputProblem(input: unknown): InputProblem | null {
  if (typeof input === 'string') {
    const message = unstorableText(input);
    return message ? { path: [], message } : null;
  }
  if (typeof input !== 'object' || input === null) return null;
  const stack: Frame[] = [{ value: input, depth: 0, parent: null, key: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth >= MAX_INPUT_DEPTH) {
      return { path: pathOf(frame), message: `Input is nested more than ${MAX_INPUT_DEPTH} levels deep.` };
    }
    const { value } = frame;
    const entries: Iterable<[string | number, unknown]> =
      value instanceof Map || value instanceof Set
        ? Array.from(value as Iterable<unknown>, (v, i) => [i, v] as [number, unknown])
        : Array.isArray(value)
          ? value.entries()
          : Object.entries(value);
    for (const [key, child] of entries) {
      if (typeof key === 'string') {
        const message = unstorableText(key);
        if (message) return { path: pathOf(frame, key), message: `Field names: ${message}` };
      }
      if (typeof child === 'string') {
        const message = unstorableText(child);
        if (message) return { path: pathOf(frame, key), message };
      } else if (typeof child === 'object' && child !== null) {
        stack.push({ value: child, depth: frame.depth + 1, parent: frame, key });
      }
    }
  }
  return null;
}
