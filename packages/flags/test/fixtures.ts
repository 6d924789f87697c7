import type { FlagConfigInput } from '../src/schema';

/** A boolean flag, enabled, no strategies: tests override only what they look at. */
export function flag(overrides: Partial<FlagConfigInput> = {}): FlagConfigInput {
  return { key: 'checkout.new', type: 'boolean', enabled: true, ...overrides };
}

/** A deterministic stand-in for Math.random that returns the given values in turn. */
export function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}
