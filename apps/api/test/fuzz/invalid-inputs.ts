import fc from 'fast-check';
import { type ZodType, z } from 'zod';

/** One malformed input; `mustReject` when the procedure's own schema refuses it or it holds text Postgres cannot store. */
export interface Candidate {
  label: string;
  input: unknown;
  mustReject: boolean;
}

type Key = string | number;
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
}

/** Half of a surrogate pair; with NUL, what text and jsonb columns refuse. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (s: string) => s.includes('\0') || LONE_SURROGATE.test(s);

export function holdsUnstorableText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return unstorable(value);
  if (typeof value !== 'object' || value === null || depth > 200) return false;
  if (value instanceof Map) return holdsUnstorableText([...value.entries()], depth + 1);
  if (value instanceof Set) return holdsUnstorableText([...value], depth + 1);
  return Object.entries(value).some(([k, v]) => unstorable(k) || holdsUnstorableText(v, depth + 1));
}

function nested(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** Every position of the schema: present in the valid input, or an optional property it left out. */
function slots(
  value: unknown,
  schema: JsonSchema | undefined,
  path: Key[] = [],
  out: Array<{ path: Key[]; value: unknown; schema: JsonSchema }> = [],
) {
  const s = merged(schema);
  out.push({ path, value, schema: s });
  if (Array.isArray(value)) {
    if (value.length > 0) slots(value[0], s.items, [...path, 0], out);
  } else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const keys = new Set([...Object.keys(value), ...Object.keys(s.properties ?? {})]);
    for (const key of keys)
      slots((value as Record<string, unknown>)[key], s.properties?.[key], [...path, key], out);
  }
  return out;
}

/** A discriminated union's branches folded into one, so every branch's fields get visited. */
function merged(schema: JsonSchema | undefined): JsonSchema {
  if (!schema) return {};
  const branches = schema.anyOf ?? schema.oneOf;
  if (!branches) return schema;
  const out: JsonSchema = { ...schema, anyOf: undefined, oneOf: undefined, properties: {} };
  for (const branch of branches.map(merged)) {
    Object.assign(out.properties!, branch.properties);
    out.items ??= branch.items;
    out.type ??= branch.type;
    out.maxLength ??= branch.maxLength;
    out.maxItems ??= branch.maxItems;
    out.maximum ??= branch.maximum;
    out.minimum ??= branch.minimum;
  }
  return out;
}

const REMOVE = Symbol('remove');

function setAt(root: unknown, path: Key[], next: unknown): unknown {
  if (path.length === 0) return next;
  const copy = structuredClone(root ?? {}) as Record<Key, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Record<Key, unknown>;
  }
  const last = path.at(-1)!;
  if (next === REMOVE && Array.isArray(node)) node.splice(Number(last), 1);
  else if (next === REMOVE) delete node[last];
  else node[last] = next;
  return copy;
}

/** Malformed replacements for one position, chosen by what is there now (or what the schema says belongs). */
function replacements(value: unknown, schema: JsonSchema, big: number): Array<[string, unknown]> {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const out: Array<[string, unknown]> = [
    ['NUL', typeof value === 'string' ? `${value}\u0000` : '\u0000'],
    ['lone surrogate', typeof value === 'string' ? `${value}\ud800` : '\udfff'],
    ['null', null],
    ['number', 12345],
    ['boolean', true],
    ['object', { nested: 'x' }],
    ['array', ['x']],
    ['empty string', ''],
    ['deep nesting', nested(100, 'x')],
  ];
  if (typeof value === 'string' || type === 'string') {
    const s = typeof value === 'string' ? value : 'x';
    out.push(
      ['huge string', 'x'.repeat(big)],
      ['line break', `${s}\r\nX-Injected: 1`],
      ['bidi and BOM', `\u202e\ufeff${s}😀`],
      ['sql', `${s}'; select pg_sleep(1); --`],
      ['not in enum', 'not-a-valid-choice'],
      ['far future date', '+275760-09-13T00:00:00.000Z'],
      ['year 99999', '99999-12-31'],
      ['invalid uuid', '00000000-0000-0000-0000-00000000000g'],
      ['uuid-shaped dashes', '-'.repeat(36)],
    );
    if (schema.maxLength !== undefined) out.push(['maxLength + 1', 'x'.repeat(schema.maxLength + 1)]);
  }
  if (typeof value === 'number' || type === 'number' || type === 'integer') {
    out.push(
      ['-1', -1],
      ['fraction', 0.5],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['2^31', 2 ** 31],
      ['2^53 - 1', Number.MAX_SAFE_INTEGER],
      ['-1e308', -1e308],
      ['numeric string', '1'],
    );
    if (schema.maximum !== undefined) out.push(['maximum + 1', schema.maximum + 1]);
    if (schema.minimum !== undefined) out.push(['minimum - 1', schema.minimum - 1]);
  }
  if (value instanceof Date || (type === undefined && !schema.properties)) {
    out.push(
      ['earliest JS date', new Date(-8.64e15)],
      ['latest JS date', new Date(8.64e15)],
      ['epoch 1e16', 1e16],
      ['date words', 'not a date'],
      ['year 0', '0000-01-01T00:00:00Z'],
    );
  }
  if (typeof value === 'boolean' || type === 'boolean') out.push(['"true"', 'true'], ['1', 1]);
  if (Array.isArray(value) || type === 'array') {
    const first = Array.isArray(value) && value.length ? value[0] : 'x';
    out.push(
      ['empty array', []],
      [
        'array too long',
        Array.from({ length: (schema.maxItems ?? 1_000) + 1 }, () => structuredClone(first)),
      ],
      ['array-like object', { 0: first, length: 1 }],
    );
  }
  if ((value !== null && typeof value === 'object' && !Array.isArray(value)) || schema.properties) {
    out.push(['extra key with NUL', { ...(value as object), 'extra\u0000': 'x' }]);
  }
  return out;
}

export interface GenerateOptions {
  /** Longest string to send; GET inputs travel in the URL and must stay under Node's header limit. */
  bigString: number;
  seed: number;
  /** fast-check samples of arbitrary values for the whole input (one more per position). */
  samples: number;
}

/** Malformed inputs for one procedure: targeted mutations of a valid input at every position, plus fast-check garbage. */
export function invalidInputs(
  schema: ZodType | undefined,
  valid: unknown,
  options: GenerateOptions,
): Candidate[] {
  const json = schema
    ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema)
    : undefined;
  const base = valid ?? (json?.properties ? {} : undefined);
  const raw: Array<[string, unknown]> = [
    ['no input', undefined],
    ['null input', null],
    ['string input', 'x'],
    ['NUL input', '\u0000'],
    ['array input', [base]],
    ['deep input', nested(1_000, 'x')],
    ['bigint input', 12345678901234567890n],
    ['map input', new Map([['a', base]])],
    ['set input', new Set([base])],
    ['date input', new Date(8.64e15)],
    ['NUL key input', { ...(base as object), 'key\u0000': 'v' }],
  ];
  const anything = fc.anything({
    stringUnit: 'binary',
    withDate: true,
    withMap: true,
    withSet: true,
    withBigInt: true,
    withNullPrototype: true,
    withSparseArray: true,
    maxDepth: 3,
    maxKeys: 4,
  });
  let seed = options.seed;
  const sample = <T>(arb: fc.Arbitrary<T>, n: number) => fc.sample(arb, { seed: seed++, numRuns: n });
  for (const [i, v] of sample(anything, options.samples).entries()) raw.push([`fast-check input #${i}`, v]);
  for (const slot of slots(base, json)) {
    const where = slot.path.join('.') || '(root)';
    if (slot.path.length > 0) raw.push([`${where}: missing`, setAt(base, slot.path, REMOVE)]);
    for (const [label, v] of replacements(slot.value, slot.schema, options.bigString)) {
      raw.push([`${where}: ${label}`, setAt(base, slot.path, v)]);
    }
    if (typeof slot.value === 'string') {
      const [text] = sample(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), 1);
      raw.push([`${where}: fast-check text`, setAt(base, slot.path, text)]);
    }
    const [value] = sample(anything, 1);
    raw.push([`${where}: fast-check value`, setAt(base, slot.path, value)]);
  }
  return raw.map(([label, input]) => ({
    label,
    input,
    mustReject: holdsUnstorableText(input) || (schema ? !schema.safeParse(input).success : false),
  }));
}
