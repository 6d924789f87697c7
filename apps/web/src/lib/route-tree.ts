import { INCIDENT_SEVERITIES, type IncidentSeverity } from '@sextant/db/enums';
import type { RouteNode } from '@sextant/db/notify-types';

/** The settings a node inherits when it leaves them unset (the API's INHERITABLE_FIELDS). */
export type Setting =
  | 'receiverId'
  | 'groupBy'
  | 'groupWaitSeconds'
  | 'groupIntervalSeconds'
  | 'repeatIntervalSeconds'
  | 'muteTimeIntervals'
  | 'activeTimeIntervals'
  | 'incident';

/** A setting's effective value on a node and the route it comes from (the node itself when it sets it). */
export type Effective = { [K in Setting]: { value: RouteNode[K]; from: string } };

/** For display only: the API resolves the same way (services/notify/routing.ts) when it routes. */
export function effectiveOf(node: RouteNode, parent: Effective | null): Effective {
  const pick = <K extends Setting>(key: K) =>
    node[key] !== undefined || !parent ? { value: node[key], from: node.id } : parent[key];
  return {
    receiverId: pick('receiverId'),
    groupBy: pick('groupBy'),
    groupWaitSeconds: pick('groupWaitSeconds'),
    groupIntervalSeconds: pick('groupIntervalSeconds'),
    repeatIntervalSeconds: pick('repeatIntervalSeconds'),
    muteTimeIntervals: pick('muteTimeIntervals'),
    activeTimeIntervals: pick('activeTimeIntervals'),
    incident: pick('incident'),
  } as Effective;
}

/** The route editor's "Open an incident" choice: inherit (unset), off (null) or a severity. */
export type IncidentChoice = 'inherit' | 'off' | IncidentSeverity;
export const INCIDENT_CHOICES: readonly IncidentChoice[] = ['inherit', 'off', ...INCIDENT_SEVERITIES];

/** The choice a node's field shows; the root has nothing to inherit, so unset shows as off there. */
export const incidentChoiceOf = (incident: RouteNode['incident'], isRoot = false): IncidentChoice =>
  incident === undefined ? (isRoot ? 'off' : 'inherit') : incident === null ? 'off' : incident.severity;

/** The node's field for a choice: inherit leaves it unset. */
export function incidentOfChoice(choice: IncidentChoice): RouteNode['incident'] {
  if (choice === 'inherit') return undefined;
  return choice === 'off' ? null : { severity: choice };
}

/** An effective option as the tree shows it. */
export const incidentText = (incident: RouteNode['incident']) =>
  incident ? `opens ${incident.severity}` : 'off';

/** The tree with `fn` applied to the children list that holds `id` (or the node's own list for 'into'). */
function editChildren(
  tree: RouteNode,
  id: string,
  fn: (list: RouteNode[], at: number) => RouteNode[],
): RouteNode {
  const at = tree.children.findIndex((c) => c.id === id);
  if (at >= 0) return { ...tree, children: fn(tree.children, at) };
  return { ...tree, children: tree.children.map((c) => editChildren(c, id, fn)) };
}

export function replaceNode(tree: RouteNode, next: RouteNode): RouteNode {
  if (tree.id === next.id) return next;
  return { ...tree, children: tree.children.map((c) => replaceNode(c, next)) };
}

export function removeNode(tree: RouteNode, id: string): RouteNode {
  return editChildren(tree, id, (list, at) => list.filter((_, i) => i !== at));
}

export function moveNode(tree: RouteNode, id: string, by: -1 | 1): RouteNode {
  return editChildren(tree, id, (list, at) => {
    const to = at + by;
    if (to < 0 || to >= list.length) return list;
    const next = [...list];
    [next[at], next[to]] = [next[to]!, next[at]!];
    return next;
  });
}

export function addChild(tree: RouteNode, parentId: string, child: RouteNode): RouteNode {
  if (tree.id === parentId) return { ...tree, children: [...tree.children, child] };
  return { ...tree, children: tree.children.map((c) => addChild(c, parentId, child)) };
}

/** Ids are stable across edits (a reload keeps the groups of unchanged routes), so a new node gets a fresh one. */
export const newRouteId = () => `route-${crypto.randomUUID().slice(0, 8)}`;

/** The node an issue path (`tree.children.0.matchers`) points into. */
export function nodeAtPath(tree: RouteNode, path: readonly PropertyKey[]): RouteNode | null {
  let node = tree;
  const rest = path[0] === 'tree' ? path.slice(1) : path;
  for (let i = 0; i + 1 < rest.length && rest[i] === 'children'; i += 2) {
    const next = node.children[Number(rest[i + 1])];
    if (!next) return null;
    node = next;
  }
  return node;
}

/** "1h", "5m", "30s": how AM configs write timers. */
export function formatSeconds(s: number | undefined): string {
  if (s === undefined) return '—';
  if (s > 0 && s % 86_400 === 0) return `${s / 86_400}d`;
  if (s > 0 && s % 3_600 === 0) return `${s / 3_600}h`;
  if (s > 0 && s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}
