export * from './client/index';
export { type CompiledFlag, compileFlag } from './compile';
export { contextProblem, type EvaluationContext } from './context';
export {
  type ErrorCode,
  type EvaluateOptions,
  type EvaluationDetails,
  evaluate,
  type FlagValue,
  type Reason,
} from './evaluate';
export { FLAG_CONFIG_LIMITS, FLAG_CONTEXT_LIMITS } from './limits';
export { murmur3, rolloutBucket, STRATEGY_SEED, VARIANT_SEED, variantBucket } from './murmur';
export { seededRandom } from './random';
export * from './schema';
export { compareSemver, parseSemver, type SemVer } from './semver';
export { type JsonValue, parseDateTime, parseNumber } from './values';
