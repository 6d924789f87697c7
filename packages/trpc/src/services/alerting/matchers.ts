/**
 * Alertmanager-style label matching (spec A6): a set matches when every matcher does, a missing label reads as "",
 * regexes are fully anchored. Syntax and cost are checked by the metric matchers' checkMatchers, so a pattern
 * accepted in a rule's selector is accepted here and vice versa.
 */
import { RE2JS } from 're2js';
import { AppError } from '../../errors';
import type { AlertMatcher } from '../../schemas/alerting-matchers';
import { checkMatchers } from '../metrics/series';

export type Labels = Readonly<Record<string, string>>;

/** Why an alerting input is refused; stable, so the console and tests switch on it rather than on messages. */
export type AlertingReason =
  | 'INVALID_REGEX'
  | 'REGEX_TOO_COMPLEX'
  | 'MATCHES_EVERYTHING'
  | 'ENDS_BEFORE_START'
  | 'SILENCE_EXPIRED';

/** A VALIDATION_FAILED AppError (mapped like any other) that also carries the reason and the field. */
export class AlertingInputError extends AppError {
  constructor(
    readonly reason: AlertingReason,
    message: string,
    path: readonly (string | number)[],
  ) {
    super('VALIDATION_FAILED', message, path);
  }
}

/**
 * Refuses a matcher set whose regexes are invalid, unsupported or together too costly; `field` names it in the
 * input (e.g. ['matchers']), and a bad pattern is reported at its own index.
 */
export function checkMatcherSet(
  matchers: readonly AlertMatcher[],
  field: readonly (string | number)[],
): void {
  const asMetric = matchers.map((m) => ({ label: m.label, op: m.op, value: m.value }));
  asMetric.forEach((m, i) => {
    try {
      checkMatchers([m]);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      throw new AlertingInputError('INVALID_REGEX', e.message, [...field, i, 'value']);
    }
  });
  try {
    checkMatchers(asMetric);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    throw new AlertingInputError('REGEX_TOO_COMPLEX', e.message, [...field]);
  }
}

/** A matcher ready to test label values; built once per set, used for every alert. */
type ValueTest = (value: string) => boolean;

function compileOne(m: AlertMatcher): ValueTest {
  if (m.op === '=') return (v) => v === m.value;
  if (m.op === '!=') return (v) => v !== m.value;
  // DOTALL as the metric matchers (Prometheus' (?s)); `matches` is a whole-input match, i.e. fully anchored.
  const re = RE2JS.compile(m.value, RE2JS.DOTALL);
  return m.op === '=~' ? (v) => re.matches(v) : (v) => !re.matches(v);
}

export interface CompiledMatchers {
  readonly matchers: readonly AlertMatcher[];
  /** Whether every matcher holds for these labels (a missing label is ""). */
  matches(labels: Labels): boolean;
}

/** Compiles a set checked by checkMatcherSet (or stored after such a check). */
export function compileMatchers(matchers: readonly AlertMatcher[]): CompiledMatchers {
  const tests = matchers.map((m) => ({ label: m.label, test: compileOne(m) }));
  return {
    matchers,
    // Own properties only: a label named `constructor` must not read Object.prototype's.
    matches: (labels) =>
      tests.every(({ label, test }) => test(Object.hasOwn(labels, label) ? labels[label]! : '')),
  };
}

/** Whether a single matcher accepts the empty string, i.e. also matches alerts lacking its label. */
export function matchesEmpty(m: AlertMatcher): boolean {
  return compileOne(m)('');
}

// Client-safe, so the console's "Silence this alert" link builds the same matchers.
export { matchersFromLabels } from '../../schemas/alerting-matchers';
