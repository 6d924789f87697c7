// The one evaluator: OpenFeature-shaped details (spec B2/B3), never throws, same answer on server and client.
import { type CompiledFlag, compileFlag, type Env, Outcome, pickVariant } from './compile';
import { contextProblem, type EvaluationContext } from './context';
import type { FlagConfigInput, FlagType } from './schema';
import type { JsonValue } from './values';

export type Reason =
  | 'STATIC'
  | 'DEFAULT'
  | 'TARGETING_MATCH'
  | 'SPLIT'
  | 'CACHED'
  | 'DISABLED'
  | 'UNKNOWN'
  | 'STALE'
  | 'ERROR';
export type ErrorCode =
  | 'PROVIDER_NOT_READY'
  | 'FLAG_NOT_FOUND'
  | 'PARSE_ERROR'
  | 'TYPE_MISMATCH'
  | 'TARGETING_KEY_MISSING'
  | 'INVALID_CONTEXT'
  | 'PROVIDER_FATAL'
  | 'GENERAL';

export type FlagValue<T extends FlagType> = T extends 'boolean'
  ? boolean
  : T extends 'string'
    ? string
    : T extends 'number'
      ? number
      : JsonValue;

export interface EvaluationDetails<V> {
  flagKey: string;
  value: V;
  variant?: string;
  reason: Reason;
  errorCode?: ErrorCode;
  errorMessage?: string;
  flagMetadata: Readonly<Record<string, string | number | boolean>>;
}

export interface EvaluateOptions {
  /** Uniform in [0, 1); used for `random` stickiness and for contexts without a stickiness value. */
  random?: () => number;
  /** Epoch milliseconds; DATE_* constraints on `currentTime` compare with it when the context has none. */
  now?: () => number;
}

const EMPTY_METADATA: Readonly<Record<string, never>> = Object.freeze({});
const EMPTY_CONTEXT: EvaluationContext = Object.freeze({});
const DEFAULT_ENV: Env = { random: Math.random, now: Date.now };

// Snapshot objects are immutable by contract, so each is validated and compiled once.
const compiled = new WeakMap<object, CompiledFlag | string>();

function compiledFor(flag: object): CompiledFlag | string {
  let entry = compiled.get(flag);
  if (entry === undefined) {
    const result = compileFlag(flag);
    entry = result.ok ? result.flag : result.message;
    compiled.set(flag, entry);
  }
  return entry;
}

function failure<V>(
  flagKey: string,
  value: V,
  errorCode: ErrorCode,
  errorMessage: string,
): EvaluationDetails<V> {
  return { flagKey, value, reason: 'ERROR', errorCode, errorMessage, flagMetadata: EMPTY_METADATA };
}

/**
 * Evaluates `flag` (one environment's configuration, or undefined when no such flag exists) for `context`.
 * Abnormal cases answer `defaultValue` with reason ERROR and an OpenFeature error code; nothing throws.
 */
export function evaluate<T extends FlagType>(
  flagKey: string,
  flag: FlagConfigInput | undefined,
  expectedType: T,
  defaultValue: FlagValue<T>,
  context?: EvaluationContext,
  options?: EvaluateOptions,
): EvaluationDetails<FlagValue<T>> {
  try {
    const problem = contextProblem(context);
    if (problem !== undefined) return failure(flagKey, defaultValue, 'INVALID_CONTEXT', problem);
    if (flag === undefined || flag === null) {
      return failure(flagKey, defaultValue, 'FLAG_NOT_FOUND', `flag "${flagKey}" does not exist here`);
    }
    if (typeof flag !== 'object')
      return failure(flagKey, defaultValue, 'PARSE_ERROR', 'flag configuration is not an object');
    const f = compiledFor(flag);
    if (typeof f === 'string') return failure(flagKey, defaultValue, 'PARSE_ERROR', f);
    if (f.type !== expectedType) {
      return failure(
        flagKey,
        defaultValue,
        'TYPE_MISMATCH',
        `flag "${flagKey}" is ${f.type}, not ${expectedType}`,
      );
    }
    const metadata = f.metadata;
    if (!f.enabled) return { flagKey, value: defaultValue, reason: 'DISABLED', flagMetadata: metadata };
    const env: Env =
      options === undefined
        ? DEFAULT_ENV
        : { random: options.random ?? DEFAULT_ENV.random, now: options.now ?? DEFAULT_ENV.now };
    return decide(f, flagKey, defaultValue, context ?? EMPTY_CONTEXT, env);
  } catch (error) {
    // Last line of defence (a throwing getter or random source): the caller still gets its default.
    const message = error instanceof Error ? error.message : 'evaluation failed';
    return failure(flagKey, defaultValue, 'GENERAL', message);
  }
}

function decide<V>(
  f: CompiledFlag,
  flagKey: string,
  defaultValue: V,
  context: EvaluationContext,
  env: Env,
): EvaluationDetails<V> {
  let outcome: Outcome = f.strategies.length === 0 ? Outcome.Everyone : Outcome.No;
  let splitOff = false;
  for (const strategy of f.strategies) {
    const answer = strategy(context, env);
    if (answer === Outcome.SplitOff) splitOff = true;
    else if (answer !== Outcome.No) {
      outcome = answer;
      break;
    }
  }
  const metadata = f.metadata;
  const isBoolean = f.type === 'boolean';
  if (outcome === Outcome.No) {
    const reason = splitOff ? 'SPLIT' : 'DEFAULT';
    return { flagKey, value: (isBoolean ? false : defaultValue) as V, reason, flagMetadata: metadata };
  }
  const strategyReason =
    outcome === Outcome.Targeted ? 'TARGETING_MATCH' : outcome === Outcome.SplitOn ? 'SPLIT' : 'DEFAULT';
  const picked = f.variants.length > 0 ? pickVariant(f, context, env) : undefined;
  if (isBoolean) {
    return {
      flagKey,
      value: true as V,
      variant: picked?.variant.name,
      reason: strategyReason,
      flagMetadata: metadata,
    };
  }
  if (picked === undefined || picked.variant.value === undefined) {
    // On, but no variant carries a value for this context: the code default stands.
    return { flagKey, value: defaultValue, reason: 'DEFAULT', flagMetadata: metadata };
  }
  const reason = picked.overridden ? 'TARGETING_MATCH' : f.weightedSplit ? 'SPLIT' : strategyReason;
  return {
    flagKey,
    value: picked.variant.value as V,
    variant: picked.variant.name,
    reason,
    flagMetadata: metadata,
  };
}
