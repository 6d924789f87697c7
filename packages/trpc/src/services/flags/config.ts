// Pure rules of a configuration change: validation by @sextant/flags, group-id changes, the one-line summary.
import {
  type FlagConfig,
  type FlagType,
  flagConfigSchema,
  type Strategy,
  type Variant,
} from '@sextant/flags';
import { AppError } from '../../errors';
import { FLAG_LIMITS } from '../../limits';

/** One environment's stored configuration. */
export interface EnvConfig {
  enabled: boolean;
  strategies: Strategy[];
  variants: Variant[];
  variantStickiness: string;
  version: number;
}

export const EMPTY_ENV_CONFIG: EnvConfig = {
  enabled: false,
  strategies: [],
  variants: [],
  variantStickiness: 'default',
  version: 0,
};

export interface ConfigIssue {
  path: string;
  message: string;
}

/** A configuration flagConfigSchema refuses; every issue reaches the client as `data.details.issues`. */
export class FlagConfigError extends AppError {
  readonly details: { issues: ConfigIssue[] };
  constructor(issues: { path: PropertyKey[]; message: string }[]) {
    const first = issues[0]!;
    super('FLAG_CONFIG_INVALID', `Invalid flag configuration: ${first.message}`, first.path.map(pathPart));
    this.details = {
      issues: issues.slice(0, 50).map((i) => ({ path: i.path.map(pathPart).join('.'), message: i.message })),
    };
  }
}

const pathPart = (p: PropertyKey): string | number => (typeof p === 'number' ? p : String(p));

/** Validates a candidate configuration; answers it with defaults applied, or throws FlagConfigError. */
export function validateConfig(
  key: string,
  type: FlagType,
  candidate: Omit<EnvConfig, 'version'>,
): FlagConfig {
  const parsed = flagConfigSchema.safeParse({ key, type, ...candidate });
  if (!parsed.success) throw new FlagConfigError(parsed.error.issues);
  return parsed.data;
}

export interface GroupIdChange {
  strategy: number;
  from: string;
  to: string;
}

/** Rollout strategies (by position) whose effective group id differs: each reshuffles every user (req. 9). */
export function groupIdChanges(key: string, before: Strategy[], after: Strategy[]): GroupIdChange[] {
  const changes: GroupIdChange[] = [];
  after.forEach((s, i) => {
    const old = before[i];
    if (s.type !== 'gradualRollout' || old?.type !== 'gradualRollout') return;
    const from = old.groupId ?? key;
    const to = s.groupId ?? key;
    if (from !== to) changes.push({ strategy: i, from, to });
  });
  return changes;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function describeStrategies(strategies: Strategy[]): string {
  if (strategies.length === 0) return 'everyone';
  const rollouts = strategies.filter((s) => s.type === 'gradualRollout');
  if (strategies.length === 1 && rollouts.length === 1) return `rollout ${rollouts[0]!.percentage} %`;
  const kinds = strategies.map((s) =>
    s.type === 'gradualRollout'
      ? `rollout ${s.percentage} %`
      : s.type === 'userIds'
        ? 'user ids'
        : 'targeting',
  );
  return kinds.join(' or ');
}

/** The one line a chart marker shows, e.g. "UAT: rollout 20 %", "UAT: rollout 20 %, group id a → b". */
export function changeSummary(
  environment: string,
  before: EnvConfig,
  after: Omit<EnvConfig, 'version'>,
  groupIds: GroupIdChange[] = [],
): string {
  const parts: string[] = [];
  if (before.enabled !== after.enabled) parts.push(after.enabled ? 'enabled' : 'disabled');
  if (!same(before.strategies, after.strategies)) parts.push(describeStrategies(after.strategies));
  // A reshuffle at the same percentage would otherwise read like an unchanged rollout.
  for (const g of groupIds) parts.push(`group id ${g.from} → ${g.to}`);
  if (!same(before.variants, after.variants) || before.variantStickiness !== after.variantStickiness) {
    parts.push(
      after.variants.length === 0
        ? 'no variants'
        : `variants ${after.variants.map((v) => `${v.name} ${v.weight / 10} %`).join(', ')}`,
    );
  }
  return clip(`${environment}: ${parts.length ? parts.join(', ') : 'saved unchanged'}`);
}

export const clip = (line: string) =>
  line.length <= FLAG_LIMITS.summaryLength ? line : `${line.slice(0, FLAG_LIMITS.summaryLength - 1)}…`;
