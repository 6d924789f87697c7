/**
 * The routing tree (spec A4), pure: which routes an alert takes, with every inherited setting resolved, and the
 * group it joins there. Our rule: time intervals are inherited unless a node sets its own (AM does not inherit).
 */
import type { ConditionMatcher, RouteIncident, RouteNode } from '@sextant/db';
import { type CompiledMatchers, compileMatchers, type Labels } from '../alerting/matchers';

/** Alertmanager's defaults (spec A4.4), the root's when it leaves a timer unset. */
export const ROUTE_DEFAULTS = {
  groupBy: [] as string[],
  groupWaitSeconds: 30,
  groupIntervalSeconds: 300,
  repeatIntervalSeconds: 14_400,
} as const;

/** A route with everything it inherits filled in: what grouping and dispatch read. */
export interface ResolvedRoute {
  id: string;
  /** Ids from the root to this node. */
  path: string[];
  /** Alertmanager's route key: the parent's key, "/", then this node's sorted matchers (root: "{}"). */
  key: string;
  matchers: ConditionMatcher[];
  continue: boolean;
  receiverId: string | null;
  /** Label names to group by; ignored when groupByAll. */
  groupBy: string[];
  /** group_by: ['...']: every label, one group per alert. */
  groupByAll: boolean;
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
  /** The incident the route's firing groups open or join; null: none (the root's default). */
  incident: RouteIncident | null;
  /** Which fields this node inherited rather than set, for the console's "inherited from" display. */
  inherited: (keyof RouteNode)[];
  /** For each inherited field, the id of the ancestor that set it (the console's "inherited from <route>"). */
  inheritedFrom?: Partial<Record<keyof RouteNode, string>>;
}

/** Go's %q for the label values AM prints; JSON's escaping agrees for everything but a few control characters. */
const quote = (v: string) => JSON.stringify(v);

const OP_ORDER = { '=': 0, '!=': 1, '=~': 2, '!~': 3 } as const;

/** `{a="1",b=~"x"}`, sorted as AM sorts route matchers. */
export function matchersString(matchers: readonly ConditionMatcher[]): string {
  const sorted = [...matchers].sort(
    (a, b) =>
      a.label.localeCompare(b.label) || OP_ORDER[a.op] - OP_ORDER[b.op] || a.value.localeCompare(b.value),
  );
  return `{${sorted.map((m) => `${m.label}${m.op}${quote(m.value)}`).join(',')}}`;
}

/** Prometheus' label set string, `{a="1", b="2"}` sorted by name: the second half of a group key. */
export function labelSetString(labels: Labels): string {
  const names = Object.keys(labels).sort();
  return `{${names.map((n) => `${n}=${quote(labels[n]!)}`).join(', ')}}`;
}

interface CompiledNode {
  route: ResolvedRoute;
  test: CompiledMatchers;
  children: CompiledNode[];
}

export interface CompiledTree {
  root: CompiledNode;
  /** Every node by id, resolved. */
  routes: Map<string, ResolvedRoute>;
}

function resolve(node: RouteNode, parent: ResolvedRoute | null): ResolvedRoute {
  const inherited: (keyof RouteNode)[] = [];
  const inheritedFrom: Partial<Record<keyof RouteNode, string>> = {};
  function pick<K extends keyof RouteNode, V>(key: K, fromParent: V | undefined, fallback: V): V {
    const own = node[key] as V | undefined;
    if (own !== undefined) return own;
    if (parent) {
      inherited.push(key);
      inheritedFrom[key] = parent.inheritedFrom?.[key] ?? parent.id;
    }
    return fromParent ?? fallback;
  }
  const groupBy = pick('groupBy', parent ? (parent.groupByAll ? ['...'] : parent.groupBy) : undefined, [
    ...ROUTE_DEFAULTS.groupBy,
  ]);
  const key = parent ? `${parent.key}/${matchersString(node.matchers)}` : '{}';
  return {
    id: node.id,
    path: [...(parent?.path ?? []), node.id],
    key,
    matchers: parent ? node.matchers : [],
    continue: parent ? node.continue : false,
    receiverId: pick('receiverId', parent?.receiverId ?? undefined, null as string | null),
    groupBy: groupBy.includes('...') ? [] : [...new Set(groupBy)].sort(),
    groupByAll: groupBy.includes('...'),
    groupWaitMs:
      pick(
        'groupWaitSeconds',
        parent ? parent.groupWaitMs / 1000 : undefined,
        ROUTE_DEFAULTS.groupWaitSeconds,
      ) * 1000,
    groupIntervalMs:
      pick(
        'groupIntervalSeconds',
        parent ? parent.groupIntervalMs / 1000 : undefined,
        ROUTE_DEFAULTS.groupIntervalSeconds,
      ) * 1000,
    repeatIntervalMs:
      pick(
        'repeatIntervalSeconds',
        parent ? parent.repeatIntervalMs / 1000 : undefined,
        ROUTE_DEFAULTS.repeatIntervalSeconds,
      ) * 1000,
    muteTimeIntervals: pick('muteTimeIntervals', parent?.muteTimeIntervals, [] as string[]),
    activeTimeIntervals: pick('activeTimeIntervals', parent?.activeTimeIntervals, [] as string[]),
    incident: pick('incident', parent?.incident ?? undefined, null as RouteIncident | null),
    inherited,
    inheritedFrom,
  };
}

/**
 * Resolves and compiles a tree checked by the route schema (regexes valid, ids unique). Build once per tree
 * version and reuse for every alert.
 */
export function compileTree(tree: RouteNode): CompiledTree {
  const routes = new Map<string, ResolvedRoute>();
  const build = (node: RouteNode, parent: ResolvedRoute | null): CompiledNode => {
    const route = resolve(node, parent);
    routes.set(route.id, route);
    return {
      route,
      test: compileMatchers(route.matchers),
      children: node.children.map((c) => build(c, route)),
    };
  };
  return { root: build(tree, null), routes };
}

/**
 * The routes an alert takes (spec A4.1): depth first, children in order; a matching child stops the scan of its
 * siblings unless it has continue; a node none of whose children match is itself the match. The root always matches.
 */
export function matchRoutes(tree: CompiledTree, labels: Labels): ResolvedRoute[] {
  const walk = (node: CompiledNode): ResolvedRoute[] => {
    if (!node.test.matches(labels)) return [];
    const found: ResolvedRoute[] = [];
    for (const child of node.children) {
      const matched = walk(child);
      found.push(...matched);
      if (matched.length > 0 && !child.route.continue) break;
    }
    return found.length > 0 ? found : [node.route];
  };
  return walk(tree.root);
}

/** The labels an alert is grouped under on a route (spec B15: a missing group_by label is left out). */
export function groupLabelsOf(route: ResolvedRoute, labels: Labels): Record<string, string> {
  if (route.groupByAll) return { ...labels };
  const out: Record<string, string> = {};
  for (const name of route.groupBy) if (Object.hasOwn(labels, name)) out[name] = labels[name]!;
  return out;
}

/** Alertmanager's group key: route key, ":", group label set (e.g. `{}/{team="db"}:{alertname="X"}`). */
export function groupKeyOf(route: ResolvedRoute, groupLabels: Labels): string {
  return `${route.key}:${labelSetString(groupLabels)}`;
}

/** Every group an alert joins: one per matched route that has a receiver. */
export function groupsFor(
  tree: CompiledTree,
  labels: Labels,
): { route: ResolvedRoute; groupKey: string; groupLabels: Record<string, string> }[] {
  return matchRoutes(tree, labels)
    .filter((route) => route.receiverId !== null)
    .map((route) => {
      const groupLabels = groupLabelsOf(route, labels);
      return { route, groupKey: groupKeyOf(route, groupLabels), groupLabels };
    });
}
