import { type RouteNode, schema } from '@sextant/db';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/root';
import { loadRouting } from '../../src/services/notify/route-store';
import { createCallerFactory } from '../../src/trpc';
import { createFixture, type Fixture } from '../fixtures';

/** The routing tree's store, validation and tester through `routes.*` and `timeIntervals.*` on a real Postgres. */
let fx: Fixture;
let receiverId: string;
beforeAll(async () => {
  fx = await createFixture();
  // Receivers are another helper's service; a row is all the tree needs to name one.
  const [row] = await fx.database.primary
    .insert(schema.receivers)
    .values({ name: 'db-pager-store-test' })
    .returning();
  receiverId = row!.id;
});
afterAll(() => fx?.close());

const maintainer = () => createCallerFactory(appRouter)(fx.ctx(fx.user('maintainer')));
const viewer = () => createCallerFactory(appRouter)(fx.ctx(fx.user('viewer')));

async function refused(p: Promise<unknown>): Promise<TRPCError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  return err as TRPCError;
}
const reasonOf = (e: TRPCError) => (e.cause as { reason?: string }).reason;
const pathOf = (e: TRPCError) => (e.cause as { path?: (string | number)[] }).path;

const root = (children: RouteNode[] = [], over: Partial<RouteNode> = {}): RouteNode => ({
  id: 'root',
  matchers: [],
  continue: false,
  groupBy: ['alertname'],
  groupWaitSeconds: 30,
  groupIntervalSeconds: 300,
  repeatIntervalSeconds: 14_400,
  muteTimeIntervals: [],
  activeTimeIntervals: [],
  children,
  ...over,
});
const child = (id: string, over: Partial<RouteNode> = {}): RouteNode => ({
  id,
  matchers: [{ label: 'team', op: '=', value: 'db' }],
  continue: false,
  children: [],
  ...over,
});

async function save(tree: RouteNode) {
  const { version } = await viewer().routes.get();
  return maintainer().routes.update({ tree, expectedVersion: version });
}
const treeVersion = async () => (await viewer().routes.get()).version;

describe('routes.update', () => {
  it('saves a valid tree, bumps the version and audits before and after', async () => {
    const before = await viewer().routes.get();
    const { version, warnings } = await save(root([child('db', { receiverId })]));
    expect(version).toBe(before.version + 1);
    expect(warnings).toEqual([]);
    const [row] = await fx.database.sql<
      { diff: { before: { version: number }; after: { tree: RouteNode } } }[]
    >`
      select diff from audit_log where action = 'route_tree.update' order by id desc limit 1`;
    expect(row!.diff.before.version).toBe(before.version);
    expect(row!.diff.after.tree.children[0]!.id).toBe('db');
  });

  it('refuses a stale version with CONFLICT and saves nothing', async () => {
    const version = await treeVersion();
    const err = await refused(maintainer().routes.update({ tree: root(), expectedVersion: version - 1 }));
    expect(err.code).toBe('CONFLICT');
    expect(await treeVersion()).toBe(version);
  });

  it.each([
    [
      'an unknown receiver',
      root([child('x', { receiverId: '00000000-0000-4000-8000-000000000000' })]),
      'UNKNOWN_RECEIVER',
      ['tree', 'children', 0, 'receiverId'],
    ],
    [
      'an unknown time interval',
      root([child('x', { muteTimeIntervals: ['nope'] })]),
      'UNKNOWN_TIME_INTERVAL',
      ['tree', 'children', 0, 'muteTimeIntervals', 0],
    ],
    [
      'a regex that does not compile',
      root([child('x', { matchers: [{ label: 'a', op: '=~', value: '(' }] })]),
      'INVALID_REGEX',
      ['tree', 'children', 0, 'matchers', 0, 'value'],
    ],
    [
      'a="x" with a="y"',
      root([
        child('x', {
          matchers: [
            { label: 'a', op: '=', value: 'x' },
            { label: 'a', op: '=', value: 'y' },
          ],
        }),
      ]),
      'NEVER_MATCHES',
      ['tree', 'children', 0, 'matchers'],
    ],
    [
      'a="" with a!=""',
      root([
        child('x', {
          matchers: [
            { label: 'a', op: '=', value: '' },
            { label: 'a', op: '!=', value: '' },
          ],
        }),
      ]),
      'NEVER_MATCHES',
      ['tree', 'children', 0, 'matchers'],
    ],
    [
      'a="x" with a!~"x|y"',
      root([
        child('x', {
          matchers: [
            { label: 'a', op: '=', value: 'x' },
            { label: 'a', op: '!~', value: 'x|y' },
          ],
        }),
      ]),
      'NEVER_MATCHES',
      ['tree', 'children', 0, 'matchers'],
    ],
    [
      'a child contradicting its parent',
      root([
        child('db', { children: [child('web', { matchers: [{ label: 'team', op: '=', value: 'web' }] })] }),
      ]),
      'NEVER_MATCHES',
      ['tree', 'children', 0, 'children', 0, 'matchers'],
    ],
  ])('refuses %s, coded, on the field, nothing saved', async (_name, tree, reason, path) => {
    const version = await treeVersion();
    const err = await refused(maintainer().routes.update({ tree, expectedVersion: version }));
    expect(err.code).toBe('BAD_REQUEST');
    expect(reasonOf(err)).toBe(reason);
    expect(pathOf(err)).toEqual(path);
    expect(await treeVersion()).toBe(version);
  });

  const deep = (levels: number): RouteNode =>
    levels === 1
      ? child(`n${levels}`, { matchers: [] })
      : child(`n${levels}`, { matchers: [], children: [deep(levels - 1)] });
  it.each([
    ['group_interval 0', root([], { groupIntervalSeconds: 0 })],
    ['group_wait over an hour', root([], { groupWaitSeconds: 3_601 })],
    ['repeat_interval over 30 days', root([], { repeatIntervalSeconds: 30 * 86_400 + 1 })],
    ['root matchers', root([], { matchers: [{ label: 'a', op: '=', value: 'b' }] })],
    ['root without a timer', root([], { groupWaitSeconds: undefined })],
    ['duplicate ids', root([child('a'), child('a')])],
    ['"..." with other labels', root([], { groupBy: ['...', 'job'] })],
    ['11 levels', root([deep(10)])],
    ['201 routes', root(Array.from({ length: 200 }, (_, i) => child(`c${i}`)))],
    [
      '21 matchers',
      root([
        child('x', {
          matchers: Array.from({ length: 21 }, (_, i) => ({ label: `l${i}`, op: '=' as const, value: 'v' })),
        }),
      ]),
    ],
  ])('refuses %s by shape', async (_name, tree) => {
    const version = await treeVersion();
    const err = await refused(maintainer().routes.update({ tree, expectedVersion: version }));
    expect(err.code).toBe('BAD_REQUEST');
    expect(await treeVersion()).toBe(version);
  });

  it('accepts 10 levels and 200 routes', async () => {
    await save(root([deep(9)]));
    await save(
      root(
        Array.from({ length: 199 }, (_, i) =>
          child(`c${i}`, { matchers: [{ label: 'i', op: '=', value: String(i) }] }),
        ),
      ),
    );
  });

  it('saves repeat_interval < group_interval with a warning giving the real cadence', async () => {
    const { warnings } = await save(root([child('db', { receiverId, repeatIntervalSeconds: 60 })]));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'REPEAT_SHORTER_THAN_INTERVAL', routeId: 'db' });
    expect(warnings[0]!.message).toContain('repeats every 1 × group_interval = 5m');
  });

  it('viewers cannot save', async () => {
    const err = await refused(viewer().routes.update({ tree: root(), expectedVersion: await treeVersion() }));
    expect(err.code).toBe('FORBIDDEN');
  });
});

describe('routes.test', () => {
  it('{team=db} takes the child, with settings inherited from the root; {team=web} the root', async () => {
    await save(root([child('db', { receiverId, groupWaitSeconds: 10 })], { receiverId }));
    const at = new Date('2026-11-30T10:00:00Z');
    const db = await viewer().routes.test({ labels: { team: 'db', alertname: 'Down' }, at });
    expect(db.routes).toHaveLength(1);
    const r = db.routes[0]!;
    expect(r).toMatchObject({
      id: 'db',
      receiverName: 'db-pager-store-test',
      groupLabels: { alertname: 'Down' },
    });
    expect(r.groupKey).toBe('{}/{team="db"}:{alertname="Down"}');
    expect(r.inheritedFrom).toMatchObject({ groupIntervalSeconds: 'root', groupBy: 'root' });
    expect(r.inheritedFrom).not.toHaveProperty('groupWaitSeconds');
    expect(r.mute).toEqual({ muted: false, mutedBy: [] });
    expect(r.nextSends.map((d) => d.toISOString())).toEqual([
      '2026-11-30T10:00:10.000Z',
      '2026-11-30T14:00:10.000Z',
      '2026-11-30T18:00:10.000Z',
    ]);
    const web = await viewer().routes.test({ labels: { team: 'web' }, at });
    expect(web.routes.map((x) => x.id)).toEqual(['root']);
  });
});

describe('timeIntervals', () => {
  it('create, use in a route, refuse delete and rename while used, then delete', async () => {
    const m = maintainer();
    const row = await m.timeIntervals.create({
      name: 'weekend-store',
      intervals: [{ weekdays: ['saturday', 'sunday'] }],
    });
    expect((await refused(m.timeIntervals.create({ name: 'weekend-store', intervals: [{}] }))).code).toBe(
      'CONFLICT',
    );
    await save(root([child('db', { receiverId, muteTimeIntervals: ['weekend-store'] })]));

    const saturday = await viewer().routes.test({
      labels: { team: 'db' },
      at: new Date('2026-11-28T10:00:00Z'),
    });
    expect(saturday.routes[0]!.mute).toEqual({ muted: true, mutedBy: ['weekend-store'] });
    expect(saturday.routes[0]!.nextSends[0]!.toISOString()).toBe('2026-11-30T00:00:30.000Z');

    const del = await refused(m.timeIntervals.delete({ id: row.id }));
    expect(del.code).toBe('CONFLICT');
    expect(reasonOf(del)).toBe('INTERVAL_IN_USE');
    expect(del.message).toContain('"db"');
    const rename = await refused(
      m.timeIntervals.update({ id: row.id, interval: { name: 'renamed', intervals: [{}] } }),
    );
    expect(reasonOf(rename)).toBe('INTERVAL_IN_USE');
    await m.timeIntervals.update({
      id: row.id,
      interval: { name: 'weekend-store', intervals: [{ weekdays: ['sunday'] }] },
    });

    await save(root([child('db', { receiverId })]));
    await m.timeIntervals.delete({ id: row.id });
    expect((await refused(viewer().timeIntervals.get({ id: row.id }))).code).toBe('NOT_FOUND');
    const actions = await fx.database.sql<{ action: string }[]>`
      select action from audit_log where target_id = ${row.id} order by id`;
    expect(actions.map((a) => a.action)).toEqual([
      'time_interval.create',
      'time_interval.update',
      'time_interval.delete',
    ]);
  });

  it('refuses invalid specs by shape', async () => {
    const err = await refused(
      maintainer().timeIntervals.create({
        name: 'bad',
        intervals: [{ times: [{ start: '17:00', end: '09:00' }] }],
      }),
    );
    expect(err.code).toBe('BAD_REQUEST');
  });
});

describe('loadRouting', () => {
  it('reuses the compiled routing until the tree or an interval changes', async () => {
    const db = fx.database.sql;
    const first = await loadRouting(db);
    expect(await loadRouting(db)).toBe(first);
    const row = await maintainer().timeIntervals.create({ name: 'cache-probe', intervals: [{}] });
    const second = await loadRouting(db);
    expect(second).not.toBe(first);
    expect(second.intervals.has('cache-probe')).toBe(true);
    await save(root());
    const third = await loadRouting(db);
    expect(third.version).toBe(second.version + 1);
    await maintainer().timeIntervals.delete({ id: row.id });
    expect((await loadRouting(db)).intervals.has('cache-probe')).toBe(false);
  });
});
