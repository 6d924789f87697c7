// flags.evaluate (spec B3): the shared evaluator on this instance's cached snapshot; never throws.
import {
  type ErrorCode,
  type EvaluationContext,
  evaluate,
  type FlagType,
  type FlagValue,
  type JsonValue,
  type Reason,
} from '@sextant/flags';
import type { z } from 'zod';
import type { Context } from '../../context';
import type { flagEvaluateInput } from '../../schemas/flags';
import { evaluationBucket } from './evaluation-counter';
import { type FlagSnapshot, loadFlagSnapshot } from './snapshot';

export interface FlagEvaluation {
  flagKey: string;
  value: JsonValue;
  variant?: string;
  reason: Reason;
  errorCode?: ErrorCode;
  errorMessage?: string;
  flagMetadata: { flagVersion?: number; environment?: string };
}

/** The expected type a default value implies: boolean, string, number, anything else JSON. */
export function inferFlagType(value: unknown): FlagType {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  return 'json';
}

const errorAnswer = (
  flagKey: string,
  value: JsonValue,
  errorCode: ErrorCode,
  errorMessage: string,
  environment?: string,
): FlagEvaluation => ({
  flagKey,
  value,
  reason: 'ERROR',
  errorCode,
  errorMessage,
  flagMetadata: environment === undefined ? {} : { environment },
});

export async function evaluateFlag(
  ctx: Pick<Context, 'db' | 'runtime' | 'logger'>,
  input: z.output<typeof flagEvaluateInput>,
): Promise<FlagEvaluation> {
  const { flagKey, defaultValue } = input;
  const inferred = inferFlagType(defaultValue);
  const type = input.type ?? inferred;
  // An explicit type the default does not have is the caller's type mismatch (a json default may be anything).
  if (type !== 'json' && inferred !== type) {
    return errorAnswer(flagKey, defaultValue, 'TYPE_MISMATCH', `the default value is not a ${type}`);
  }
  let snapshot: FlagSnapshot | undefined;
  try {
    const cache = ctx.runtime.flagSnapshotCache;
    snapshot = cache ? await cache.get(input.environment) : await loadFlagSnapshot(ctx.db, input.environment);
  } catch (err) {
    ctx.logger.warn({ err, flagKey }, 'flag evaluation answered the default: snapshot unavailable');
    return errorAnswer(flagKey, defaultValue, 'PROVIDER_NOT_READY', 'the flag configuration is unavailable');
  }
  if (!snapshot) {
    return errorAnswer(flagKey, defaultValue, 'FLAG_NOT_FOUND', `no environment "${input.environment}"`);
  }
  const config = Object.hasOwn(snapshot.flags, flagKey) ? snapshot.flags[flagKey] : undefined;
  const details = evaluate(
    flagKey,
    config,
    type,
    defaultValue as FlagValue<typeof type>,
    input.context as EvaluationContext | undefined,
  );
  // Only existing flags are counted: a caller asking for made-up keys cannot grow the counter.
  if (config !== undefined)
    ctx.runtime.flagEvaluations?.record(flagKey, snapshot.environment, evaluationBucket(details));
  const flagMetadata = {
    environment: snapshot.environment,
    ...(config?.version !== undefined ? { flagVersion: config.version } : {}),
  };
  return { ...details, value: details.value as JsonValue, flagMetadata };
}
