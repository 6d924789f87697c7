import { expect } from 'vitest';
import type { AlertMatcher } from '../../src/schemas/alerting-matchers';
import { AlertingInputError } from '../../src/services/alerting/matchers';

/** A matcher in one line, as a table row reads best. */
export const m = (label: string, op: AlertMatcher['op'], value: string): AlertMatcher => ({
  label,
  op,
  value,
});

/** The AlertingInputError `fn` throws; fails the test when it throws nothing or something else. */
export function refusal(fn: () => unknown): AlertingInputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AlertingInputError);
    return e as AlertingInputError;
  }
  throw new Error('expected a refusal');
}
