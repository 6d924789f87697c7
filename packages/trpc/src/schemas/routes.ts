/**
 * The routing tree's input (spec A4): one recursive schema shared by the API and the console's route editor. The
 * raw input is counted (depth, nodes) before zod walks it; what needs the database or RE2 (receivers and intervals
 * exist, regexes compile, matchers can match) is checked by services/notify/route-validation.ts.
 */
import { INCIDENT_SEVERITIES } from '@sextant/db/enums';
import type { RouteNode } from '@sextant/db/notify-types';
import { z } from 'zod';
import { alertMatcherSchema } from './alerting-matchers';
import { labelName } from './metrics';
import { timeIntervalName } from './time-intervals';
import { boundedDate } from './time-range';

export const ROUTE_LIMITS = {
  /** Levels, the root being level 1. */
  depth: 10,
  nodes: 200,
  matchersPerNode: 20,
  groupBy: 20,
  intervalsPerNode: 20,
  idLength: 64,
} as const;

/** Timer bounds in seconds; a group_interval of 0 would flush in a loop, so it starts at 1 s. */
export const ROUTE_TIMER_BOUNDS = {
  groupWaitSeconds: { min: 0, max: 3_600 },
  groupIntervalSeconds: { min: 1, max: 86_400 },
  repeatIntervalSeconds: { min: 1, max: 30 * 86_400 },
} as const;

export type RouteTimer = keyof typeof ROUTE_TIMER_BOUNDS;
export const ROUTE_TIMERS = Object.keys(ROUTE_TIMER_BOUNDS) as RouteTimer[];

/** The settings a node may leave unset to inherit; the root sets all but the receiver and the incident option. */
export const INHERITABLE_FIELDS = [
  'receiverId',
  'groupBy',
  ...ROUTE_TIMERS,
  'muteTimeIntervals',
  'activeTimeIntervals',
  'incident',
] as const satisfies readonly (keyof RouteNode)[];

/** The fields the root may leave unset: no receiver, and no incidents (the option's default is off). */
const ROOT_OPTIONAL: readonly (typeof INHERITABLE_FIELDS)[number][] = ['receiverId', 'incident'];

/** A route's incident option: an object opens incidents at that severity, null turns an inherited one off. */
export const routeIncidentSchema = z
  .object({ severity: z.enum(INCIDENT_SEVERITIES) })
  .strict()
  .nullable();

const timer = (t: RouteTimer) =>
  z.int().min(ROUTE_TIMER_BOUNDS[t].min).max(ROUTE_TIMER_BOUNDS[t].max).optional();

const intervalNames = z
  .array(timeIntervalName)
  .max(ROUTE_LIMITS.intervalsPerNode)
  .refine((names) => new Set(names).size === names.length, 'Each interval once.')
  .optional();

export const routeNodeSchema: z.ZodType<RouteNode> = z
  .object({
    id: z
      .string()
      .min(1)
      .max(ROUTE_LIMITS.idLength)
      .regex(/^[A-Za-z0-9_-]+$/, 'Letters, digits, "_" and "-" only.'),
    matchers: z.array(alertMatcherSchema).max(ROUTE_LIMITS.matchersPerNode),
    continue: z.boolean(),
    receiverId: z.uuid().optional(),
    groupBy: z
      .array(z.union([z.literal('...'), labelName]))
      .max(ROUTE_LIMITS.groupBy)
      .refine((g) => !g.includes('...') || g.length === 1, '"..." groups by every label and stands alone.')
      .optional(),
    groupWaitSeconds: timer('groupWaitSeconds'),
    groupIntervalSeconds: timer('groupIntervalSeconds'),
    repeatIntervalSeconds: timer('repeatIntervalSeconds'),
    muteTimeIntervals: intervalNames,
    activeTimeIntervals: intervalNames,
    incident: routeIncidentSchema.optional(),
    get children() {
      return z.array(routeNodeSchema).max(ROUTE_LIMITS.nodes);
    },
  })
  .strict() as z.ZodType<RouteNode>;

/** Counts the raw input's nodes and levels without recursion, so an oversized tree costs no parsing. */
function treeSize(input: unknown): { nodes: number; depth: number; path: (string | number)[] } {
  let nodes = 0;
  let depth = 0;
  let deepest: (string | number)[] = [];
  const stack: { value: unknown; level: number; path: (string | number)[] }[] = [
    { value: input, level: 1, path: [] },
  ];
  while (stack.length > 0 && nodes <= ROUTE_LIMITS.nodes) {
    const { value, level, path } = stack.pop()!;
    nodes++;
    if (level > depth) [depth, deepest] = [level, path];
    const children = (value as { children?: unknown } | null)?.children;
    if (Array.isArray(children) && level <= ROUTE_LIMITS.depth)
      children.forEach((c, i) => {
        stack.push({ value: c, level: level + 1, path: [...path, 'children', i] });
      });
  }
  return { nodes, depth, path: deepest };
}

/**
 * A whole tree: bounded first, then parsed, then the rules that span nodes: the root has no matchers and no
 * continue and sets group_by, every timer and both interval lists (its receiver may be unset: alerts no child takes
 * are then not notified); ids are unique.
 */
export const routeTreeSchema = z
  .unknown()
  .superRefine((raw, ctx) => {
    const size = treeSize(raw);
    if (size.nodes > ROUTE_LIMITS.nodes)
      ctx.addIssue({ code: 'custom', message: `A tree has at most ${ROUTE_LIMITS.nodes} routes.` });
    else if (size.depth > ROUTE_LIMITS.depth)
      ctx.addIssue({
        code: 'custom',
        path: size.path,
        message: `Routes nest at most ${ROUTE_LIMITS.depth} levels.`,
      });
  })
  .pipe(routeNodeSchema)
  .superRefine((root, ctx) => {
    if (root.matchers.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['matchers'],
        message: 'The root matches every alert: no matchers.',
      });
    if (root.continue)
      ctx.addIssue({ code: 'custom', path: ['continue'], message: 'The root cannot continue.' });
    for (const field of INHERITABLE_FIELDS) {
      if (!ROOT_OPTIONAL.includes(field) && root[field] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: 'The root sets this: there is nothing to inherit.',
        });
    }
    const seen = new Set<string>();
    const walk = (node: RouteNode, path: (string | number)[]) => {
      if (seen.has(node.id))
        ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: 'Route ids are unique.' });
      seen.add(node.id);
      node.children.forEach((c, i) => {
        walk(c, [...path, 'children', i]);
      });
    };
    walk(root, []);
  });

export const routeUpdateInput = z
  .object({
    tree: routeTreeSchema,
    expectedVersion: z
      .int()
      .min(1)
      .max(2 ** 31 - 1),
  })
  .strict();

const testLabels = z.record(labelName, z.string().max(1024)).refine((l) => Object.keys(l).length <= 100, {
  message: 'At most 100 labels.',
});

/** "Which route would this alert take?", against the saved tree, at an instant (now when absent). */
export const routeTestInput = z.object({ labels: testLabels, at: boundedDate.optional() }).strict();
