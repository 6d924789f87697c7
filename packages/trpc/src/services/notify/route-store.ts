/**
 * Owner of `route_tree` (ARCHITECTURE.md "Who writes which table"): the routing tree is one versioned document,
 * saved whole after validation, with optimistic concurrency on its version. Dispatch reads it through loadRouting.
 */
import {
  asc,
  type DbOrTx,
  eq,
  inArray,
  type Queries,
  type RouteNode,
  schema,
  type TimeIntervalSpec,
} from '@sextant/db';
import type { ChangeContext } from '../../context';
import { AppError } from '../../errors';
import { audit } from '../audit';
import { checkTreeMatchers, lintTree, RouteInputError, type RouteWarning, walkTree } from './route-lint';
import { type CompiledTree, compileTree } from './routing';
import { type CompiledIntervals, compileTimeIntervals } from './time-intervals';

const { routeTree, receivers, timeIntervals } = schema;
const TREE_ID = 'default';

/** The saved tree and its version. */
export async function getRouteTree(db: DbOrTx, lock = false) {
  const query = db
    .select({ tree: routeTree.tree, version: routeTree.version, updatedAt: routeTree.updatedAt })
    .from(routeTree)
    .where(eq(routeTree.id, TREE_ID));
  const [row] = await (lock ? query.for('update') : query);
  // The migration inserts the default root; a missing row is a broken database, not user input.
  if (!row) throw new AppError('INTERNAL', 'The routing tree is missing.');
  return row;
}

/** The tree for the editor, with the receivers and time intervals it may name. */
export async function readRouteTree(db: DbOrTx) {
  const [saved, receiverRows, intervalRows] = await Promise.all([
    getRouteTree(db),
    db.select({ id: receivers.id, name: receivers.name }).from(receivers).orderBy(asc(receivers.name)),
    db.select({ name: timeIntervals.name }).from(timeIntervals).orderBy(asc(timeIntervals.name)),
  ]);
  return { ...saved, receivers: receiverRows, intervals: intervalRows.map((r) => r.name) };
}

/** Every interval name any route lists, with the first route naming it. */
export function intervalUsers(root: RouteNode): Map<string, string> {
  const users = new Map<string, string>();
  for (const { node } of walkTree(root))
    for (const name of [...(node.muteTimeIntervals ?? []), ...(node.activeTimeIntervals ?? [])])
      if (!users.has(name)) users.set(name, node.id);
  return users;
}

/** Receivers and time intervals the tree names exist (read in the caller's transaction, which holds the tree lock). */
async function checkReferences(tx: DbOrTx, root: RouteNode): Promise<void> {
  const nodes = [...walkTree(root)];
  const receiverIds = [...new Set(nodes.flatMap(({ node }) => (node.receiverId ? [node.receiverId] : [])))];
  const names = [...intervalUsers(root).keys()];
  const [knownReceivers, knownIntervals] = await Promise.all([
    receiverIds.length
      ? tx.select({ id: receivers.id }).from(receivers).where(inArray(receivers.id, receiverIds))
      : [],
    names.length
      ? tx.select({ name: timeIntervals.name }).from(timeIntervals).where(inArray(timeIntervals.name, names))
      : [],
  ]);
  const receiverSet = new Set(knownReceivers.map((r) => r.id));
  const intervalSet = new Set(knownIntervals.map((r) => r.name));
  for (const { node, path } of nodes) {
    if (node.receiverId && !receiverSet.has(node.receiverId))
      throw new RouteInputError('UNKNOWN_RECEIVER', 'No such receiver.', [...path, 'receiverId']);
    for (const field of ['muteTimeIntervals', 'activeTimeIntervals'] as const) {
      const i = (node[field] ?? []).findIndex((name) => !intervalSet.has(name));
      if (i >= 0)
        throw new RouteInputError('UNKNOWN_TIME_INTERVAL', `No time interval "${node[field]![i]}".`, [
          ...path,
          field,
          i,
        ]);
    }
  }
}

/**
 * Replaces the tree when `expectedVersion` is still the saved one (else CONFLICT: someone saved in between),
 * audited with before and after. Answers the new version and the linter's warnings (saved nonetheless).
 */
export async function updateRouteTree(
  ctx: ChangeContext,
  tree: RouteNode,
  expectedVersion: number,
): Promise<{ version: number; warnings: RouteWarning[] }> {
  checkTreeMatchers(tree);
  const warnings = lintTree(tree, compileTree(tree).routes);
  const version = await ctx.db.transaction(async (tx) => {
    const before = await getRouteTree(tx, true);
    if (before.version !== expectedVersion)
      throw new AppError(
        'CONFLICT',
        `The routing tree was saved by someone else (version ${before.version}); reload and edit again.`,
        ['expectedVersion'],
      );
    await checkReferences(tx, tree);
    const [after] = await tx
      .update(routeTree)
      .set({
        tree,
        version: before.version + 1,
        updatedBy: ctx.identity?.type === 'user' ? ctx.identity.userId : null,
        updatedAt: new Date(),
      })
      .where(eq(routeTree.id, TREE_ID))
      .returning({ version: routeTree.version });
    await audit(tx, ctx, {
      action: 'route_tree.update',
      targetType: 'route_tree',
      targetId: TREE_ID,
      before: { version: before.version, tree: before.tree },
      after: { version: after!.version, tree },
    });
    return after!.version;
  });
  return { version, warnings };
}

export interface Routing {
  version: number;
  tree: RouteNode;
  compiled: CompiledTree;
  intervals: CompiledIntervals;
}

/** The compiled routing per database (tests run several in one process), with the stamp it was built at. */
const cache = new Map<string, { stamp: string; routing: Routing }>();

/**
 * The compiled tree and intervals, the one loader membership writes and flushes share: rebuilt only when
 * route_tree's version or any time interval changed, one cheap query per call otherwise. Takes postgres.js, so the
 * engine's statement-level writers can call it as well as the services.
 */
export async function loadRouting(q: Queries): Promise<Routing> {
  const [row] = await q<{ database: string; stamp: string }[]>`
    select current_database() as database, version::text || ':' || coalesce((select md5(string_agg(
      t.id::text || t.updated_at::text, ',' order by t.id)) from time_intervals t), '') as stamp
    from route_tree where id = ${TREE_ID}`;
  // The migration inserts the default root; a missing row is a broken database, not user input.
  if (!row) throw new AppError('INTERNAL', 'The routing tree is missing.');
  const hit = cache.get(row.database);
  if (hit?.stamp === row.stamp) return hit.routing;
  const [[saved], rows] = await Promise.all([
    q<{ version: number; tree: RouteNode }[]>`select version, tree from route_tree where id = ${TREE_ID}`,
    q<{ name: string; intervals: TimeIntervalSpec[] }[]>`select name, intervals from time_intervals`,
  ]);
  const routing: Routing = {
    version: saved!.version,
    tree: saved!.tree,
    compiled: compileTree(saved!.tree),
    intervals: compileTimeIntervals(Object.fromEntries(rows.map((r) => [r.name, r.intervals]))),
  };
  cache.set(row.database, { stamp: row.stamp, routing });
  return routing;
}
