import type { ConditionMatcher, RouteNode } from '@sextant/db';
import { describe, expect, it } from 'vitest';
import { compileTree, groupsFor, matchRoutes, ROUTE_DEFAULTS } from '../../src/services/notify/routing';

const eq = (label: string, value: string): ConditionMatcher => ({ label, op: '=', value });
const node = (id: string, fields: Partial<RouteNode> = {}): RouteNode => ({
  id,
  matchers: [],
  continue: false,
  children: [],
  ...fields,
});

describe('B14 continue', () => {
  // root -> default; child team=db -> db-pager (continue); child severity=critical -> oncall.
  const tree = compileTree(
    node('root', {
      receiverId: 'default',
      children: [
        node('db', { matchers: [eq('team', 'db')], receiverId: 'db-pager', continue: true }),
        node('crit', { matchers: [eq('severity', 'critical')], receiverId: 'oncall' }),
      ],
    }),
  );
  const receivers = (labels: Record<string, string>) =>
    groupsFor(tree, labels).map((g) => g.route.receiverId);

  it('{team=db, severity=critical} takes both routes, two groups', () => {
    const groups = groupsFor(tree, { team: 'db', severity: 'critical' });
    expect(groups.map((g) => g.route.receiverId)).toEqual(['db-pager', 'oncall']);
    expect(new Set(groups.map((g) => g.groupKey)).size).toBe(2);
  });
  it('{team=db, severity=warning} takes db-pager only', () => {
    expect(receivers({ team: 'db', severity: 'warning' })).toEqual(['db-pager']);
  });
  it('{team=web} falls back to the root', () => {
    expect(receivers({ team: 'web' })).toEqual(['default']);
  });
  it('without continue the first matching child stops the scan', () => {
    const t = compileTree(
      node('root', {
        receiverId: 'default',
        children: [
          node('a', { matchers: [eq('team', 'db')], receiverId: 'a' }),
          node('b', { matchers: [eq('team', 'db')], receiverId: 'b' }),
        ],
      }),
    );
    expect(matchRoutes(t, { team: 'db' }).map((r) => r.id)).toEqual(['a']);
  });
  it('a matching node none of whose children match is itself the match; depth first', () => {
    const t = compileTree(
      node('root', {
        receiverId: 'default',
        children: [
          node('db', {
            matchers: [eq('team', 'db')],
            children: [node('db-crit', { matchers: [eq('severity', 'critical')], receiverId: 'p' })],
          }),
        ],
      }),
    );
    expect(matchRoutes(t, { team: 'db', severity: 'critical' }).map((r) => r.id)).toEqual(['db-crit']);
    expect(matchRoutes(t, { team: 'db' }).map((r) => r.id)).toEqual(['db']);
  });
  it('a route without receiver makes no group', () => {
    const t = compileTree(node('root', { children: [node('x', { matchers: [eq('a', '1')] })] }));
    expect(groupsFor(t, { a: '1' })).toEqual([]);
  });
});

describe('B15 group_by variants', () => {
  const groups = (groupBy: string[], alerts: Record<string, string>[]) => {
    const t = compileTree(node('root', { receiverId: 'r', groupBy }));
    return alerts.map((labels) => groupsFor(t, labels)[0]!);
  };
  const a = { alertname: 'A', cluster: 'eu' };
  const b = { alertname: 'B', cluster: 'eu' };

  it('["..."]: one group per alert, grouped under all its labels', () => {
    const [ga, gb] = groups(['...'], [a, b]);
    expect(ga!.groupKey).not.toBe(gb!.groupKey);
    expect(ga!.groupLabels).toEqual(a);
    expect(ga!.groupKey).toBe('{}:{alertname="A", cluster="eu"}');
  });
  it('[]: one group with both', () => {
    const [ga, gb] = groups([], [a, b]);
    expect(ga!.groupKey).toBe(gb!.groupKey);
    expect(ga!.groupKey).toBe('{}:{}');
  });
  it('[cluster]: an alert lacking cluster forms its own group with empty group labels', () => {
    const [ga, gb, gc] = groups(['cluster'], [a, b, { alertname: 'C' }]);
    expect(ga!.groupKey).toBe(gb!.groupKey);
    expect(gc!.groupLabels).toEqual({});
    expect(gc!.groupKey).toBe('{}:{}');
    expect(ga!.groupKey).toBe('{}:{cluster="eu"}');
  });
  it('group_by names are deduplicated and sorted', () => {
    const t = compileTree(node('root', { receiverId: 'r', groupBy: ['b', 'a', 'b'] }));
    expect(t.routes.get('root')!.groupBy).toEqual(['a', 'b']);
  });
});

describe('inheritance (spec A4.2, our rule for time intervals)', () => {
  const full: Partial<RouteNode> = {
    receiverId: 'rcv',
    groupBy: ['alertname'],
    groupWaitSeconds: 10,
    groupIntervalSeconds: 60,
    repeatIntervalSeconds: 3600,
    muteTimeIntervals: ['weekend'],
    activeTimeIntervals: ['office'],
  };
  const t = compileTree(
    node('root', {
      ...full,
      children: [
        node('child', {
          matchers: [eq('team', 'db')],
          children: [node('grand', { matchers: [eq('sev', 'x')], groupWaitSeconds: 5, groupBy: ['...'] })],
        }),
      ],
    }),
  );
  it('a child that sets nothing inherits every field, and says so', () => {
    const child = t.routes.get('child')!;
    expect(child).toMatchObject({
      receiverId: 'rcv',
      groupBy: ['alertname'],
      groupByAll: false,
      groupWaitMs: 10_000,
      groupIntervalMs: 60_000,
      repeatIntervalMs: 3_600_000,
      muteTimeIntervals: ['weekend'],
      activeTimeIntervals: ['office'],
    });
    expect([...child.inherited].sort()).toEqual(
      [
        'activeTimeIntervals',
        'groupBy',
        'groupIntervalSeconds',
        'groupWaitSeconds',
        'incident',
        'muteTimeIntervals',
        'receiverId',
        'repeatIntervalSeconds',
      ].sort(),
    );
  });
  it('a grandchild overrides some and inherits the rest through its parent', () => {
    const grand = t.routes.get('grand')!;
    expect(grand.groupWaitMs).toBe(5_000);
    expect(grand.groupByAll).toBe(true);
    expect(grand.groupIntervalMs).toBe(60_000);
    expect(grand.inherited).not.toContain('groupWaitSeconds');
    expect(grand.inherited).not.toContain('groupBy');
    expect(grand.inherited).toContain('receiverId');
    // "Inherited from": the ancestor that set the value, skipping the ones that inherited it themselves.
    expect(grand.inheritedFrom).toEqual({
      receiverId: 'root',
      groupIntervalSeconds: 'root',
      repeatIntervalSeconds: 'root',
      muteTimeIntervals: 'root',
      activeTimeIntervals: 'root',
      incident: 'root',
    });
  });
  it('a child of a "..." parent inherits "..."', () => {
    const t2 = compileTree(
      node('root', {
        receiverId: 'r',
        groupBy: ['...'],
        children: [node('c', { matchers: [eq('a', '1')] })],
      }),
    );
    expect(t2.routes.get('c')!.groupByAll).toBe(true);
  });
  it('the root never reports inherited fields and falls back to the AM defaults', () => {
    const root = compileTree(node('root')).routes.get('root')!;
    expect(root.inherited).toEqual([]);
    expect(root.groupWaitMs).toBe(ROUTE_DEFAULTS.groupWaitSeconds * 1000);
    expect(root.groupIntervalMs).toBe(ROUTE_DEFAULTS.groupIntervalSeconds * 1000);
    expect(root.repeatIntervalMs).toBe(ROUTE_DEFAULTS.repeatIntervalSeconds * 1000);
  });
});

describe('route and group keys (AM format)', () => {
  const t = compileTree(
    node('root', {
      receiverId: 'r',
      groupBy: ['alertname'],
      children: [
        node('db', {
          matchers: [eq('team', 'db'), { label: 'env', op: '=~', value: 'prod|stage' }, eq('a', 'q"x')],
          children: [node('deep', { matchers: [{ label: 'sev', op: '!=', value: 'info' }] })],
        }),
      ],
    }),
  );
  it('root is {}; children append their sorted matchers with Go-quoted values', () => {
    expect(t.routes.get('root')!.key).toBe('{}');
    expect(t.routes.get('db')!.key).toBe('{}/{a="q\\"x",env=~"prod|stage",team="db"}');
    expect(t.routes.get('deep')!.key).toBe('{}/{a="q\\"x",env=~"prod|stage",team="db"}/{sev!="info"}');
  });
  it('group key = route key ":" group labels', () => {
    const [g] = groupsFor(t, { team: 'db', env: 'prod', a: 'q"x', sev: 'crit', alertname: 'Down' });
    expect(g!.route.id).toBe('deep');
    expect(g!.groupKey).toBe('{}/{a="q\\"x",env=~"prod|stage",team="db"}/{sev!="info"}:{alertname="Down"}');
  });
});
