// A validated flag configuration turned into the shape the hot path walks: no parsing per evaluation.
import type { Check, Clock } from './constraints';
import { compileConstraint } from './constraints';
import { type EvaluationContext, stickyText } from './context';
import { rolloutBucket, variantBucket } from './murmur';
import { type FlagConfig, type FlagType, flagConfigSchema, type Strategy, type Variant } from './schema';
import { type JsonValue, parseFrozenJson, parseNumber } from './values';

export interface Env extends Clock {
  random: () => number;
}

/** How one strategy answered: off, on by targeting, on by a percentage, on for everyone, off by a percentage. */
export const Outcome = { No: 0, Targeted: 1, SplitOn: 2, Everyone: 3, SplitOff: 4 } as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

type StrategyFn = (context: EvaluationContext, env: Env) => Outcome;

export interface CompiledVariant {
  name: string;
  weight: number;
  value: string | number | JsonValue | undefined;
  overrides: { field: string; values: ReadonlySet<string> }[];
}

export interface CompiledFlag {
  key: string;
  type: FlagType;
  enabled: boolean;
  strategies: StrategyFn[];
  variants: CompiledVariant[];
  totalWeight: number;
  /** More than one variant can be drawn by weight, so a weighted pick is a SPLIT. */
  weightedSplit: boolean;
  hasOverrides: boolean;
  variantStickiness: string;
  metadata: Readonly<Record<string, string | number | boolean>>;
}

function allOf(checks: Check[]): (context: EvaluationContext, clock: Clock) => boolean {
  return (context, clock) => {
    for (const check of checks) if (!check(context, clock)) return false;
    return true;
  };
}

function compileStrategy(s: Strategy, flagKey: string): StrategyFn {
  const targeted = s.constraints.length > 0;
  const holds = allOf(s.constraints.map(compileConstraint));
  if (s.type === 'default') {
    const on = targeted ? Outcome.Targeted : Outcome.Everyone;
    return (ctx, env) => (holds(ctx, env) ? on : Outcome.No);
  }
  if (s.type === 'userIds') {
    const ids = new Set(s.userIds);
    return (ctx, env) => {
      const id = stickyText(ctx, 'userId');
      return id !== undefined && ids.has(id) && holds(ctx, env) ? Outcome.Targeted : Outcome.No;
    };
  }
  const percentage = s.percentage;
  const stickiness = s.stickiness;
  const groupId = s.groupId ?? flagKey;
  const full = targeted ? Outcome.Targeted : Outcome.Everyone;
  return (ctx, env) => {
    if (!holds(ctx, env)) return Outcome.No;
    let bucket: number;
    if (stickiness === 'random') {
      bucket = randomBucket(env, 100);
    } else {
      const value =
        stickiness === 'default'
          ? (stickyText(ctx, 'userId') ?? stickyText(ctx, 'sessionId'))
          : stickyText(ctx, stickiness);
      // A named stickiness field that is absent makes the strategy false (requirement 10).
      if (value === undefined && stickiness !== 'default') return Outcome.No;
      bucket = value === undefined ? randomBucket(env, 100) : rolloutBucket(groupId, value);
    }
    if (percentage > 0 && bucket <= percentage) return percentage === 100 ? full : Outcome.SplitOn;
    return Outcome.SplitOff;
  };
}

function randomBucket(env: Env, size: number): number {
  const r = env.random();
  // A random source outside [0, 1) is clamped so a bad injectable cannot produce a bucket out of range.
  return Math.min(size, Math.max(1, Math.floor((r >= 0 && r < 1 ? r : 0) * size) + 1));
}

function compileVariant(v: Variant): CompiledVariant {
  const p = v.payload;
  let value: CompiledVariant['value'];
  if (p?.type === 'json') value = parseFrozenJson(p.value);
  else if (p?.type === 'number') value = parseNumber(p.value);
  else value = p?.value;
  return {
    name: v.name,
    weight: v.weight,
    value,
    overrides: v.overrides.map((o) => ({ field: o.contextName, values: new Set(o.values) })),
  };
}

/** Validates with the save-time schema (so the evaluator never sees what the server would refuse), then compiles. */
export function compileFlag(
  input: unknown,
): { ok: true; flag: CompiledFlag } | { ok: false; message: string } {
  const parsed = flagConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return {
      ok: false,
      message: `invalid flag configuration: ${where}${issue?.message ?? 'unknown problem'}`,
    };
  }
  const f: FlagConfig = parsed.data;
  const variants = f.variants.map(compileVariant);
  const metadata: Record<string, string | number> = {};
  if (f.version !== undefined) metadata.flagVersion = f.version;
  if (f.environment !== undefined) metadata.environment = f.environment;
  return {
    ok: true,
    flag: {
      key: f.key,
      type: f.type,
      enabled: f.enabled,
      strategies: f.strategies.map((s) => compileStrategy(s, f.key)),
      variants,
      totalWeight: variants.reduce((sum, v) => sum + v.weight, 0),
      weightedSplit: variants.filter((v) => v.weight > 0).length > 1,
      hasOverrides: variants.some((v) => v.overrides.length > 0),
      variantStickiness: f.variantStickiness,
      metadata: Object.freeze(metadata),
    },
  };
}

/** Overrides first, then Unleash's weighted walk; `overridden` tells the caller the reason is targeting. */
export function pickVariant(
  flag: CompiledFlag,
  context: EvaluationContext,
  env: Env,
): { variant: CompiledVariant; overridden: boolean } | undefined {
  if (flag.hasOverrides) {
    for (const variant of flag.variants) {
      for (const o of variant.overrides) {
        const text = stickyText(context, o.field);
        if (text !== undefined && o.values.has(text)) return { variant, overridden: true };
      }
    }
  }
  if (flag.totalWeight <= 0) return undefined;
  const s = flag.variantStickiness;
  const seed =
    s === 'default'
      ? (stickyText(context, 'userId') ??
        stickyText(context, 'sessionId') ??
        stickyText(context, 'remoteAddress'))
      : s === 'random'
        ? undefined
        : stickyText(context, s);
  // Without a stickiness value Unleash draws at random; so do we, through the injectable source.
  const target =
    seed === undefined
      ? randomBucket(env, flag.totalWeight)
      : variantBucket(flag.key, seed, flag.totalWeight);
  let counter = 0;
  for (const variant of flag.variants) {
    if (variant.weight === 0) continue;
    counter += variant.weight;
    if (counter >= target) return { variant, overridden: false };
  }
  return undefined;
}
