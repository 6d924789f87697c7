// Constraints compiled once per flag into closures: values trimmed, lowered, parsed and put in sets up front.
import { asText, type EvaluationContext, readField } from './context';
import type { Constraint } from './schema';
import { compareSemver, parseSemver } from './semver';
import { parseDateTime, parseNumber } from './values';

export interface Clock {
  now: () => number;
}

export type Check = (context: EvaluationContext, clock: Clock) => boolean;

const NEVER: Check = () => false;

/**
 * One constraint as a predicate. `inverted` negates a comparison that could be made; a context value that
 * cannot be coerced to the operator's type (absent, wrong type, unparseable) makes the constraint false
 * whether or not it is inverted (spec B1). IN/NOT_IN treat an absent value as "not in the list".
 */
export function compileConstraint(c: Constraint): Check {
  const field = c.contextName;
  const inverted = c.inverted;
  const values = c.values.map((v) => v.trim()).filter((v) => v !== '');
  switch (c.operator) {
    case 'IN':
    case 'NOT_IN': {
      const set = new Set(values);
      const wantIn = c.operator === 'IN';
      return (ctx) => {
        const text = asText(readField(ctx, field));
        const isIn = text !== undefined && set.has(text);
        return (isIn === wantIn) !== inverted;
      };
    }
    case 'STR_CONTAINS':
    case 'STR_STARTS_WITH':
    case 'STR_ENDS_WITH': {
      const lower = c.caseInsensitive;
      const needles = lower ? values.map((v) => v.toLowerCase()) : values;
      const op = c.operator;
      return (ctx) => {
        let text = asText(readField(ctx, field));
        if (text === undefined) return false;
        if (lower) text = text.toLowerCase();
        let hit = false;
        for (const needle of needles) {
          hit =
            op === 'STR_CONTAINS'
              ? text.includes(needle)
              : op === 'STR_STARTS_WITH'
                ? text.startsWith(needle)
                : text.endsWith(needle);
          if (hit) break;
        }
        return hit !== inverted;
      };
    }
    case 'NUM_EQ':
    case 'NUM_GT':
    case 'NUM_GTE':
    case 'NUM_LT':
    case 'NUM_LTE': {
      const target = parseNumber(c.value ?? '');
      if (target === undefined) return NEVER;
      const op = c.operator;
      return (ctx) => {
        const n = toNumber(readField(ctx, field));
        if (n === undefined) return false;
        const hit =
          op === 'NUM_EQ'
            ? n === target
            : op === 'NUM_GT'
              ? n > target
              : op === 'NUM_GTE'
                ? n >= target
                : op === 'NUM_LT'
                  ? n < target
                  : n <= target;
        return hit !== inverted;
      };
    }
    case 'DATE_AFTER':
    case 'DATE_BEFORE': {
      const target = parseDateTime(c.value ?? '');
      if (target === undefined) return NEVER;
      const after = c.operator === 'DATE_AFTER';
      return (ctx, clock) => {
        const raw = readField(ctx, field);
        // Unleash compares `currentTime`, which is "now" unless the context says otherwise.
        const ms = raw === undefined && field === 'currentTime' ? clock.now() : toEpochMs(raw);
        if (ms === undefined) return false;
        return (after ? ms > target : ms < target) !== inverted;
      };
    }
    case 'SEMVER_EQ':
    case 'SEMVER_GT':
    case 'SEMVER_LT': {
      const target = parseSemver(c.value ?? '');
      if (target === undefined) return NEVER;
      const op = c.operator;
      return (ctx) => {
        const raw = readField(ctx, field);
        const version = typeof raw === 'string' ? parseSemver(raw) : undefined;
        if (version === undefined) return false;
        const cmp = compareSemver(version, target);
        const hit = op === 'SEMVER_EQ' ? cmp === 0 : op === 'SEMVER_GT' ? cmp > 0 : cmp < 0;
        return hit !== inverted;
      };
    }
    default:
      // An operator this build does not know (a newer server) never matches, as in Unleash's SDKs.
      return NEVER;
  }
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return parseNumber(value);
  return undefined;
}

function toEpochMs(value: unknown): number | undefined {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (typeof value === 'string') return parseDateTime(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return undefined;
}
