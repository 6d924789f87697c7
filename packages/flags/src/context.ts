// Reading a hostile evaluation context: bounded before any work, then read field by field without copies.
import { FLAG_CONTEXT_LIMITS as L } from './limits';

/** OpenFeature-shaped context: `targetingKey` plus custom fields (strings, numbers, booleans, dates). */
export type EvaluationContext = Readonly<Record<string, unknown>>;

/** Why the context is refused, or undefined when it is within FLAG_CONTEXT_LIMITS. */
export function contextProblem(context: unknown): string | undefined {
  if (context === undefined || context === null) return undefined;
  if (typeof context !== 'object' || Array.isArray(context))
    return 'the evaluation context must be an object';
  let fields = 0;
  let chars = 0;
  const record = context as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    if (++fields > L.maxFields) return `the evaluation context has more than ${L.maxFields} fields`;
    if (key.length > L.maxKeyLength)
      return `a context field name is longer than ${L.maxKeyLength} characters`;
    chars += key.length;
    const value = record[key];
    if (typeof value === 'string') {
      if (value.length > L.maxValueLength) {
        return `context field "${key.slice(0, 40)}" is longer than ${L.maxValueLength} characters`;
      }
      chars += value.length;
    }
    if (chars > L.maxTotalChars) return `the evaluation context is larger than ${L.maxTotalChars} characters`;
  }
  return undefined;
}

/** The raw value of a field; `userId` falls back to OpenFeature's `targetingKey` (as Unleash's provider maps it). */
export function readField(context: EvaluationContext, field: string): unknown {
  const value = Object.hasOwn(context, field) ? context[field] : undefined;
  if (value === undefined && field === 'userId') {
    return Object.hasOwn(context, 'targetingKey') ? context.targetingKey : undefined;
  }
  return value;
}

/** A field as text: strings as they are, finite numbers and booleans printed; anything else is absent. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

/** A stickiness value: a non-empty text, else absent. */
export function stickyText(context: EvaluationContext, field: string): string | undefined {
  const text = asText(readField(context, field));
  return text === undefined || text === '' ? undefined : text;
}
