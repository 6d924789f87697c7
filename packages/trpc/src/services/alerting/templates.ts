/**
 * Annotation templates: the subset of Prometheus' Go-template syntax alert annotations use, parsed in one linear
 * pass. Actions are `{{ operand | fn | fn … }}` (with `{{-`/`-}}` trimming); no control structures, so no template
 * can loop or branch.
 *   operands:  $value, $threshold, $labels.<name> (a missing label is "", as Prometheus' missingkey=zero)
 *   functions: humanize, humanize1024, humanizePercentage, humanizeDuration, toUpper, toLower,
 *              printf "<format>" with one of %v %s %g %f %.Nf %e %.Ne (plus %%), applied to the piped value
 */
import { AppError } from '../../errors';

/** A template that does not parse; `path` names the annotation (['annotations', 'summary']). */
export class TemplateError extends AppError {
  constructor(message: string, path: readonly (string | number)[]) {
    super('INVALID_TEMPLATE', message, path);
  }
}

type Operand = { kind: 'value' } | { kind: 'threshold' } | { kind: 'label'; name: string };
type Fn = { name: Exclude<FnName, 'printf'> } | { name: 'printf'; format: string };
type Part = string | { operand: Operand; pipes: Fn[] };

const FUNCTIONS = [
  'humanize',
  'humanize1024',
  'humanizePercentage',
  'humanizeDuration',
  'toUpper',
  'toLower',
  'printf',
] as const;
type FnName = (typeof FUNCTIONS)[number];
/** Go template keywords: branching and looping are refused outright, whatever follows. */
const CONTROL = new Set([
  'if',
  'else',
  'end',
  'range',
  'with',
  'template',
  'define',
  'block',
  'break',
  'continue',
]);
const PRINTF_VERB = /%(?:%|v|s|g|e|f|\.\d{1,2}[fe])/g;

type Token = { t: 'pipe' } | { t: 'word'; v: string } | { t: 'string'; v: string };

/** Splits the inside of one action; `end` is where its `}}` starts. */
function tokenize(src: string, start: number, fail: (m: string) => never): { tokens: Token[]; end: number } {
  const tokens: Token[] = [];
  let i = start;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '}' && src[i + 1] === '}') return { tokens, end: i };
    if (c === '-' && src[i + 1] === '}' && src[i + 2] === '}' && /\s/.test(src[i - 1] ?? ''))
      return { tokens, end: i };
    if (/\s/.test(c)) i++;
    else if (c === '|') {
      tokens.push({ t: 'pipe' });
      i++;
    } else if (c === '"') {
      let v = '';
      for (i++; i < src.length && src[i] !== '"'; i++) {
        if (src[i] === '\\') {
          const e = src[++i];
          v += e === 'n' ? '\n' : e === 't' ? '\t' : (e ?? '');
        } else v += src[i];
      }
      if (i >= src.length) fail('unterminated string');
      tokens.push({ t: 'string', v });
      i++;
    } else {
      const m = /^[$.]?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(src.slice(i, i + 300));
      if (!m) fail(`unexpected "${c}"`);
      tokens.push({ t: 'word', v: m[0] });
      i += m[0].length;
    }
  }
  return fail('unclosed action: "{{" without "}}"');
}

function operandOf(word: string, fail: (m: string) => never): Operand {
  if (word === '$value') return { kind: 'value' };
  if (word === '$threshold') return { kind: 'threshold' };
  const label = /^\$labels\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(word);
  if (label) return { kind: 'label', name: label[1]! };
  return fail(`unknown variable ${word} (use $value, $threshold or $labels.<name>)`);
}

/** Parses a template once, in time linear in its length; throws TemplateError naming `path`. */
export function parseTemplate(src: string, path: readonly (string | number)[]): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    let text = src.slice(i, open === -1 ? src.length : open);
    if (open === -1) {
      if (text) parts.push(text);
      break;
    }
    const fail = (m: string): never => {
      throw new TemplateError(`Template error at character ${open + 1}: ${m}.`, path);
    };
    let start = open + 2;
    if (src[start] === '-' && /\s/.test(src[start + 1] ?? '')) {
      text = text.trimEnd();
      start++;
    }
    if (text) parts.push(text);
    if (src.startsWith('/*', start) || src.startsWith(' /*', start)) fail('comments are not supported');
    const { tokens, end } = tokenize(src, start, fail);
    const trimAfter = src[end] === '-';
    i = end + (trimAfter ? 3 : 2);
    if (trimAfter) while (i < src.length && /\s/.test(src[i]!)) i++;
    parts.push(pipeline(tokens, fail));
  }
  return parts;
}

function pipeline(tokens: Token[], fail: (m: string) => never): Part {
  const [first, ...rest] = tokens;
  if (!first) return fail('empty action');
  if (first.t === 'word' && CONTROL.has(first.v))
    fail(`"${first.v}" is not allowed: templates have no control structures or loops`);
  if (first.t !== 'word') return fail('an action starts with $value, $threshold or $labels.<name>');
  const operand = operandOf(first.v, fail);
  const pipes: Fn[] = [];
  for (let k = 0; k < rest.length; ) {
    if (rest[k]!.t !== 'pipe') fail('expected "|" between functions');
    const fn = rest[k + 1];
    if (fn?.t !== 'word') return fail('expected a function after "|"');
    if (CONTROL.has(fn.v)) fail(`"${fn.v}" is not allowed: templates have no control structures or loops`);
    if (!(FUNCTIONS as readonly string[]).includes(fn.v))
      fail(`unknown function ${fn.v} (known: ${FUNCTIONS.join(', ')})`);
    if (fn.v === 'printf') {
      const format = rest[k + 2];
      if (format?.t !== 'string') return fail('printf takes one quoted format');
      const verbs = [...format.v.matchAll(PRINTF_VERB)].filter((m) => m[0] !== '%%');
      const stray = format.v.replace(PRINTF_VERB, '').includes('%');
      if (verbs.length !== 1 || stray)
        fail('printf\'s format needs exactly one of %v %s %g %f %.Nf %e %.Ne ("%%" for a percent sign)');
      pipes.push({ name: 'printf', format: format.v });
      k += 3;
    } else {
      pipes.push({ name: fn.v as Exclude<FnName, 'printf'> });
      k += 2;
    }
  }
  return { operand, pipes };
}

/** Refuses a template that does not parse, with a TemplateError naming `path`. */
export function checkTemplate(src: string, path: readonly (string | number)[]): void {
  parseTemplate(src, path);
}

export interface TemplateData {
  labels: Readonly<Record<string, string>>;
  /** The evaluated value; null when there is none (no data). */
  value: number | null;
  threshold?: number | null;
}

// --- Go's number formatting, so an annotation reads as Prometheus would render it ---

/** `v.toExponential(prec - 1)`, but an exact tie rounds to even as Go's strconv does (JS rounds it up). */
function exponential(v: number, prec: number): string {
  const full = Math.abs(v).toExponential(100);
  const e = full.indexOf('e');
  const digits = full[0]! + full.slice(2, e);
  const tie = digits[prec] === '5' && /^0*$/.test(digits.slice(prec + 1));
  if (!tie || Number(digits[prec - 1]) % 2 !== 0) return v.toExponential(prec - 1);
  const kept = digits.slice(0, prec);
  return `${v < 0 ? '-' : ''}${kept[0]}${prec > 1 ? `.${kept.slice(1)}` : ''}${full.slice(e)}`;
}

/** Go's %.<prec>g (prec omitted: shortest, as %v): trailing zeros dropped, exponent outside [-4, precision). */
export function goG(v: number, prec?: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mant, e] = (prec === undefined ? v.toExponential() : exponential(v, prec)).split('e');
  const exp = Number(e);
  const digits = mant!.replace('-', '').replace('.', '').replace(/0+$/, '') || '0';
  let eprec = prec ?? 6;
  if (prec !== undefined && eprec > digits.length && digits.length >= exp + 1) eprec = digits.length;
  if (exp < -4 || exp >= eprec) {
    const m = mant!.includes('.') ? mant!.replace(/0+$/, '').replace(/\.$/, '') : mant!;
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return Number(`${mant}e${exp}`).toFixed(Math.max(0, digits.length - exp - 1));
}

function humanize(v: number, base: 1000 | 1024): string {
  if (v === 0 || !Number.isFinite(v)) return goG(v, 4);
  const big =
    base === 1000
      ? ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']
      : ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi'];
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of big) {
      if (Math.abs(v) < base) break;
      prefix = p;
      v /= base;
    }
  } else if (base === 1000) {
    for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return `${goG(v, 4)}${prefix}`;
}

function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return goG(v, 4);
  if (v === 0) return '0s';
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    const total = Math.trunc(Math.abs(v));
    const [d, h, m, s] = [
      Math.trunc(total / 86_400),
      Math.trunc(total / 3_600) % 24,
      Math.trunc(total / 60) % 60,
      total % 60,
    ];
    if (d) return `${sign}${d}d ${h}h ${m}m ${s}s`;
    if (h) return `${sign}${h}h ${m}m ${s}s`;
    if (m) return `${sign}${m}m ${s}s`;
    return `${sign}${goG(Math.abs(v), 4)}s`;
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${goG(v, 4)}${prefix}s`;
}

function printf(format: string, x: number | string): string {
  return format.replace(PRINTF_VERB, (verb) => {
    if (verb === '%%') return '%';
    if (typeof x === 'string') return verb === '%s' || verb === '%v' ? x : `%!${verb.at(-1)}(string=${x})`;
    if (verb === '%v' || verb === '%g') return goG(x);
    if (verb === '%s') return `%!s(float64=${goG(x)})`;
    if (!Number.isFinite(x)) return goG(x);
    const digits = verb.length > 2 ? Number(verb.slice(2, -1)) : 6;
    if (verb.endsWith('f')) return x.toFixed(digits);
    const [m, e] = x.toExponential(digits).split('e');
    return `${m}e${e!.startsWith('-') ? '-' : '+'}${e!.replace(/^[+-]/, '').padStart(2, '0')}`;
  });
}

type Val = number | string;
const asNumber = (x: Val) => (typeof x === 'number' ? x : x.trim() === '' ? Number.NaN : Number(x));

function apply(fn: Fn, x: Val): Val {
  switch (fn.name) {
    case 'toUpper':
      return String(typeof x === 'number' ? goG(x) : x).toUpperCase();
    case 'toLower':
      return String(typeof x === 'number' ? goG(x) : x).toLowerCase();
    case 'printf':
      return printf(fn.format, x);
    case 'humanize':
      return humanize(asNumber(x), 1000);
    case 'humanize1024':
      return humanize(asNumber(x), 1024);
    case 'humanizePercentage':
      return `${goG(asNumber(x) * 100, 4)}%`;
    case 'humanizeDuration':
      return humanizeDuration(asNumber(x));
  }
}

function renderParts(parts: Part[], data: TemplateData): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const { operand } = part;
    let x: Val | null | undefined =
      operand.kind === 'label'
        ? Object.hasOwn(data.labels, operand.name)
          ? data.labels[operand.name]!
          : ''
        : operand.kind === 'value'
          ? data.value
          : data.threshold;
    // No value (no data, or no threshold for this kind): the action renders as nothing.
    if (x === null || x === undefined) continue;
    for (const fn of part.pipes) x = apply(fn, x);
    out += typeof x === 'number' ? goG(x) : x;
  }
  return out;
}

/** Renders one template; one that does not parse (stored before a check existed) renders as its own text. */
export function renderTemplate(src: string, data: TemplateData): string {
  try {
    return renderParts(parseTemplate(src, []), data);
  } catch (e) {
    if (e instanceof TemplateError) return src;
    throw e;
  }
}

/** Every annotation of a rule rendered for one alert: what the engine stores on the instance. */
export function renderAnnotations(
  annotations: Readonly<Record<string, string>>,
  data: TemplateData,
): Record<string, string> {
  return Object.fromEntries(Object.entries(annotations).map(([k, v]) => [k, renderTemplate(v, data)]));
}
