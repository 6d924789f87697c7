import type { FlagConfigInput } from '../schema';

/** One environment's flags as the API serves them (the server's `FlagSnapshot`, same JSON). */
export interface FlagSnapshot {
  environment: string;
  /** Strong; changes whenever any flag of the environment changes. */
  etag: string;
  generatedAt: string;
  flags: Record<string, FlagConfigInput>;
}

/** A parsed body that looks like a snapshot (the evaluator checks each flag itself), or undefined. */
export function asSnapshot(value: unknown): FlagSnapshot | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const s = value as Record<string, unknown>;
  if (typeof s.etag !== 'string' || typeof s.environment !== 'string') return undefined;
  if (s.flags === null || typeof s.flags !== 'object' || Array.isArray(s.flags)) return undefined;
  return s as unknown as FlagSnapshot;
}
