import { z } from 'zod';
import type { IntRange } from '../limits';

/** A whole number within `range`, with the words the console shows next to the field. */
export function intIn(range: IntRange, messages: { min?: string; max?: string } = {}) {
  return z
    .number('Enter a number.')
    .int('Enter a whole number.')
    .min(range.min, messages.min ?? `At least ${range.min}.`)
    .max(range.max, messages.max ?? `At most ${range.max}.`);
}
