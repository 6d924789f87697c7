// The flag editor's pure parts: the draft a form edits, its conversion to the stored shape, weights and the preview.
import {
  type EvaluationContext,
  evaluate,
  FLAG_CONFIG_LIMITS,
  type FlagConfigInput,
  type FlagType,
  type Operator,
  type PayloadType,
  type Strategy,
  seededRandom,
  type Variant,
} from '@sextant/flags';

const TOTAL = FLAG_CONFIG_LIMITS.variantWeightTotal;

/** Operators that compare with one value; the others (IN, NOT_IN, STR_*) match any of a list. */
export const SINGLE_VALUE = /^(NUM_|DATE_|SEMVER_)/;

export interface DraftConstraint {
  contextName: string;
  operator: Operator;
  /** One value per line (list operators) or the single value. */
  values: string;
  inverted: boolean;
  caseInsensitive: boolean;
}

export interface DraftStrategy {
  type: Strategy['type'];
  /** Text as typed, so "2" on the way to "20" is not rewritten; the schema judges it on save. */
  percentage: string;
  stickiness: string;
  /** Empty = the flag key (the default group). */
  groupId: string;
  /** One user id per line. */
  userIds: string;
  constraints: DraftConstraint[];
}

export interface DraftVariant {
  name: string;
  /** 0–100.0 as typed; stored as an integer of 1000. */
  percent: string;
  payloadType: PayloadType | '';
  payload: string;
  /** Overrides kept as they were: the editor does not change them. */
  overrides: Variant['overrides'];
}

export interface Draft {
  enabled: boolean;
  strategies: DraftStrategy[];
  variants: DraftVariant[];
  variantStickiness: string;
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** 333 → "33.3"; weights are tenths of a percent. */
export const weightToPercent = (weight: number) => String(weight / 10);

/** "33.3" → 333; text that is not a number gives NaN, which the schema refuses at its field. */
export function percentToWeight(text: string): number {
  const t = text.trim();
  return t === '' ? Number.NaN : Math.round(Number(t) * 10);
}

/** `count` integer weights totalling 1000, the first ones taking the remainder: 3 → 334/333/333. */
export function splitEvenly(count: number): number[] {
  if (count <= 0) return [];
  const base = Math.floor(TOTAL / count);
  const rest = TOTAL - base * count;
  return Array.from({ length: count }, (_, i) => base + (i < rest ? 1 : 0));
}

export const newConstraint = (): DraftConstraint => ({
  contextName: 'userId',
  operator: 'IN',
  values: '',
  inverted: false,
  caseInsensitive: false,
});

export const newStrategy = (type: Strategy['type'] = 'gradualRollout'): DraftStrategy => ({
  type,
  percentage: type === 'gradualRollout' ? '0' : '',
  stickiness: 'default',
  groupId: '',
  userIds: '',
  constraints: [],
});

/** The stored configuration as the editor's draft. */
export function toDraft(env: {
  enabled: boolean;
  strategies: Strategy[];
  variants: Variant[];
  variantStickiness: string;
}): Draft {
  return {
    enabled: env.enabled,
    variantStickiness: env.variantStickiness,
    strategies: env.strategies.map((s) => ({
      type: s.type,
      percentage: s.type === 'gradualRollout' ? String(s.percentage) : '',
      stickiness: s.type === 'gradualRollout' ? s.stickiness : 'default',
      groupId: s.type === 'gradualRollout' ? (s.groupId ?? '') : '',
      userIds: s.type === 'userIds' ? s.userIds.join('\n') : '',
      constraints: (s.constraints ?? []).map((c) => ({
        contextName: c.contextName,
        operator: c.operator,
        values: SINGLE_VALUE.test(c.operator) ? (c.value ?? '') : (c.values ?? []).join('\n'),
        inverted: c.inverted ?? false,
        caseInsensitive: c.caseInsensitive ?? false,
      })),
    })),
    variants: env.variants.map((v) => ({
      name: v.name,
      percent: weightToPercent(v.weight),
      payloadType: v.payload?.type ?? '',
      payload: v.payload?.value ?? '',
      overrides: v.overrides ?? [],
    })),
  };
}

/** The draft in the stored shape, positions kept, so every issue path (strategies.0.percentage) names a field. */
export function fromDraft(draft: Draft): Pick<FlagConfigInput, 'enabled' | 'variantStickiness'> & {
  strategies: unknown[];
  variants: unknown[];
} {
  return {
    enabled: draft.enabled,
    variantStickiness: draft.variantStickiness,
    strategies: draft.strategies.map((s) => {
      const constraints = s.constraints.map((c) =>
        SINGLE_VALUE.test(c.operator)
          ? { contextName: c.contextName, operator: c.operator, value: c.values.trim(), inverted: c.inverted }
          : {
              contextName: c.contextName,
              operator: c.operator,
              values: lines(c.values),
              inverted: c.inverted,
              caseInsensitive: c.caseInsensitive,
            },
      );
      if (s.type === 'gradualRollout') {
        const groupId = s.groupId.trim();
        return {
          type: s.type,
          constraints,
          percentage: s.percentage.trim() === '' ? Number.NaN : Number(s.percentage),
          stickiness: s.stickiness.trim() || 'default',
          ...(groupId ? { groupId } : {}),
        };
      }
      if (s.type === 'userIds') return { type: s.type, constraints, userIds: lines(s.userIds) };
      return { type: s.type, constraints };
    }),
    variants: draft.variants.map((v) => ({
      name: v.name.trim(),
      weight: percentToWeight(v.percent),
      ...(v.payloadType ? { payload: { type: v.payloadType, value: v.payload } } : {}),
      overrides: v.overrides,
    })),
  };
}

/** Rollout strategies (by position) whose effective group id the draft changes: saving reshuffles every user. */
export function changedGroupIds(key: string, saved: Strategy[], draft: Draft): number[] {
  const changed: number[] = [];
  draft.strategies.forEach((s, i) => {
    const old = saved[i];
    if (s.type !== 'gradualRollout' || old?.type !== 'gradualRollout') return;
    if ((old.groupId ?? key) !== (s.groupId.trim() || key)) changed.push(i);
  });
  return changed;
}

/**
 * A refused save's issues, each with its dotted path: FLAG_CONFIG_INVALID's every one (`data.details.issues`), else
 * an input refusal's (`data.zodError.issues`: the input guard's NUL or half surrogate, which the schema lets through).
 */
export function configIssues(error: unknown): { path: string; message: string }[] {
  type Data = { code?: string; details?: { issues?: unknown }; zodError?: { issues?: unknown } | null };
  const data = (error as { data?: Data } | null)?.data;
  const issues = data?.details?.issues ?? (data?.code === 'BAD_REQUEST' ? data.zodError?.issues : undefined);
  return Array.isArray(issues)
    ? issues.filter(
        (i): i is { path: string; message: string } =>
          typeof i?.path === 'string' && typeof i?.message === 'string',
      )
    : [];
}

export interface Distribution {
  users: number;
  on: number;
  /** Users per variant name, in the order first met. */
  variants: { name: string; users: number }[];
  /** Set when the configuration cannot be evaluated (the evaluator's own message). */
  error?: string;
}

const DEFAULTS: { [T in FlagType]: unknown } = { boolean: false, string: '', number: 0, json: null };

/**
 * `users` random users (random userId and sessionId, other fields from `base`) through the one evaluator:
 * how many get the flag on and which variant. "On" is a true boolean value or any variant handed out.
 */
export function distribution(
  config: FlagConfigInput,
  base: EvaluationContext,
  users = 1000,
  seed = 1,
): Distribution {
  const random = seededRandom(seed);
  const counts = new Map<string, number>();
  let on = 0;
  for (let i = 0; i < users; i++) {
    const id = Math.floor(random() * 1e9).toString(36);
    const context = { ...base, userId: `user-${id}`, sessionId: `session-${id}` };
    const d = evaluate(config.key, config, config.type, DEFAULTS[config.type] as never, context, { random });
    if (d.reason === 'ERROR') return { users, on: 0, variants: [], error: d.errorMessage };
    if (d.value === true || d.variant !== undefined) on++;
    if (d.variant !== undefined) counts.set(d.variant, (counts.get(d.variant) ?? 0) + 1);
  }
  return { users, on, variants: [...counts].map(([name, n]) => ({ name, users: n })) };
}

/** 203 of 1000 → "20.3 %". */
export const share = (part: number, whole: number) =>
  `${whole === 0 ? '0' : (Math.round((part / whole) * 1000) / 10).toFixed(1)} %`;
