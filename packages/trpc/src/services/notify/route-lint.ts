/**
 * The routing tree's checks beyond shape that need no database (regexes, matchers that can never match) and its
 * linter (spec Part C 2): the real repeat cadence, since repeats land on group ticks, and the next expected sends.
 */
import type { ConditionMatcher, RouteNode } from '@sextant/db';
import { AppError } from '../../errors';
import { checkMatcherSet, compileMatchers } from '../alerting/matchers';
import type { ResolvedRoute } from './routing';
import { type CompiledIntervals, routeMuteAt } from './time-intervals';

export type RouteReason = 'NEVER_MATCHES' | 'UNKNOWN_RECEIVER' | 'UNKNOWN_TIME_INTERVAL' | 'INTERVAL_IN_USE';

/** A VALIDATION_FAILED (or CONFLICT) AppError carrying a stable reason and the field, with the node's path. */
export class RouteInputError extends AppError {
  constructor(
    readonly reason: RouteReason,
    message: string,
    path: readonly (string | number)[],
    code: 'VALIDATION_FAILED' | 'CONFLICT' = 'VALIDATION_FAILED',
  ) {
    super(code, message, path);
  }
}

/** Every node with its input path (['tree', 'children', 0, …]) and its ancestors' matchers. */
export function* walkTree(
  root: RouteNode,
  base: (string | number)[] = ['tree'],
): Generator<{ node: RouteNode; path: (string | number)[]; above: ConditionMatcher[] }> {
  const stack = [{ node: root, path: base, above: [] as ConditionMatcher[] }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    yield item;
    const above = [...item.above, ...item.node.matchers];
    item.node.children.forEach((child, i) => {
      stack.push({ node: child, path: [...item.path, 'children', i], above });
    });
  }
}

/**
 * The simple contradictions: a label required equal to v while another matcher on it (own or an ancestor's, which
 * an alert must pass first) refuses v — `a="x"` with `a="y"`, `a=""` with `a!=""`, `a="x"` with `a!~"x"`.
 */
function contradiction(matchers: readonly ConditionMatcher[]): string | null {
  for (const m of matchers) {
    if (m.op !== '=') continue;
    const others = matchers.filter((o) => o !== m && o.label === m.label);
    const refusing = others.find((o) => !compileMatchers([o]).matches({ [m.label]: m.value }));
    if (refusing)
      return `No alert can match: ${m.label}="${m.value}" and ${refusing.label}${refusing.op}"${refusing.value}".`;
  }
  return null;
}

/** Refuses a tree with a regex that does not compile or is too costly, or a route that can never match. */
export function checkTreeMatchers(root: RouteNode): void {
  for (const { node, path, above } of walkTree(root)) {
    if (node.matchers.length === 0) continue;
    checkMatcherSet(node.matchers, [...path, 'matchers']);
    const problem = contradiction([...above, ...node.matchers]);
    if (problem) throw new RouteInputError('NEVER_MATCHES', problem, [...path, 'matchers']);
  }
}

export interface Cadence {
  firstSendMs: number;
  tickMs: number;
  /** Repeats land on ticks: the first tick at or after the last send + repeat_interval. */
  repeatTicks: number;
  repeatMs: number;
}

export function cadenceOf(
  route: Pick<ResolvedRoute, 'groupWaitMs' | 'groupIntervalMs' | 'repeatIntervalMs'>,
) {
  const repeatTicks = Math.max(1, Math.ceil(route.repeatIntervalMs / route.groupIntervalMs));
  return {
    firstSendMs: route.groupWaitMs,
    tickMs: route.groupIntervalMs,
    repeatTicks,
    repeatMs: repeatTicks * route.groupIntervalMs,
  } satisfies Cadence;
}

export interface RouteWarning {
  code: 'REPEAT_SHORTER_THAN_INTERVAL';
  routeId: string;
  path: (string | number)[];
  message: string;
}

const human = (ms: number) => {
  const s = ms / 1000;
  if (s % 86_400 === 0) return `${s / 86_400}d`;
  if (s % 3_600 === 0) return `${s / 3_600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
};

/** Saved but worth saying: a repeat_interval below group_interval repeats only every group_interval (AM #3369). */
export function lintTree(root: RouteNode, routes: ReadonlyMap<string, ResolvedRoute>): RouteWarning[] {
  const warnings: RouteWarning[] = [];
  for (const { node, path } of walkTree(root)) {
    const route = routes.get(node.id)!;
    if (route.repeatIntervalMs >= route.groupIntervalMs) continue;
    const c = cadenceOf(route);
    warnings.push({
      code: 'REPEAT_SHORTER_THAN_INTERVAL',
      routeId: node.id,
      path: [...path, 'repeatIntervalSeconds'],
      message: `repeat_interval ${human(route.repeatIntervalMs)} is shorter than group_interval ${human(c.tickMs)}: repeats land on ticks, so this route repeats every ${c.repeatTicks} × group_interval = ${human(c.repeatMs)}.`,
    });
  }
  return warnings;
}

/** How far ahead the preview looks for unmuted ticks, in ticks: bounded work whatever the timers. */
const PREVIEW_TICK_BUDGET = 2_000;

/**
 * When an alert that starts a new group at `createdMs` and keeps firing would be sent: first tick at created + gw,
 * ticks every gi, the first unmuted tick notifies, then a repeat at the first tick at or after the last send + ri.
 */
export function nextSends(
  route: ResolvedRoute,
  createdMs: number,
  intervals: CompiledIntervals,
  count = 3,
): number[] {
  const sends: number[] = [];
  let tick = createdMs + route.groupWaitMs;
  let due = tick;
  for (let i = 0; i < PREVIEW_TICK_BUDGET && sends.length < count; i++) {
    if (tick >= due && !routeMuteAt(route, intervals, tick).muted) {
      sends.push(tick);
      due = tick + route.repeatIntervalMs;
    }
    tick += route.groupIntervalMs;
  }
  return sends;
}
