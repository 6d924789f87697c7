/** The route's incident option (issue 15, Alerting II): inherited like the other settings, off at the root by default. */
import type { RouteNode } from '@sextant/db';
import { describe, expect, it } from 'vitest';
import { routeNodeSchema, routeTreeSchema } from '../../src/schemas/routes';
import { mergeAtTick, overlayLive, suggestsResolve } from '../../src/services/notify/incident-link-reads';
import { incidentTitle } from '../../src/services/notify/incident-links';
import { compileTree } from '../../src/services/notify/routing';

const node = (id: string, fields: Partial<RouteNode> = {}): RouteNode => ({
  id,
  matchers: id === 'root' ? [] : [{ label: 'team', op: '=', value: id }],
  continue: false,
  children: [],
  ...fields,
});
const root = (fields: Partial<RouteNode> = {}) =>
  node('root', {
    groupBy: ['alertname'],
    groupWaitSeconds: 30,
    groupIntervalSeconds: 300,
    repeatIntervalSeconds: 3600,
    muteTimeIntervals: [],
    activeTimeIntervals: [],
    ...fields,
  });

describe('inheritance', () => {
  it('unset at the root is off; a child inherits its parent, null turns it off, an object overrides', () => {
    const off = compileTree(root({ children: [node('a')] }));
    expect(off.routes.get('root')!.incident).toBeNull();
    expect(off.routes.get('a')!.incident).toBeNull();
    const tree = compileTree(
      root({
        incident: { severity: 'SEV2' },
        children: [
          node('a', { children: [node('a1')] }),
          node('b', { incident: null, children: [node('b1')] }),
          node('c', { incident: { severity: 'SEV4' } }),
        ],
      }),
    );
    const severity = (id: string) => tree.routes.get(id)!.incident?.severity ?? 'off';
    expect(['root', 'a', 'a1', 'b', 'b1', 'c'].map(severity)).toEqual([
      'SEV2',
      'SEV2',
      'SEV2',
      'off',
      'off',
      'SEV4',
    ]);
    expect(tree.routes.get('a1')!.inheritedFrom?.incident).toBe('root');
    expect(tree.routes.get('b1')!.inheritedFrom?.incident).toBe('b');
    expect(tree.routes.get('c')!.inherited).not.toContain('incident');
  });
});

describe('validation', () => {
  it('the root may leave it unset, set it or turn it off', () => {
    for (const incident of [undefined, null, { severity: 'SEV1' }])
      expect(routeTreeSchema.safeParse(root({ incident } as Partial<RouteNode>)).success).toBe(true);
  });

  it('refuses an unknown severity, extra keys and other shapes', () => {
    for (const incident of [{ severity: 'SEV5' }, { severity: 'SEV1', title: 'x' }, {}, 'SEV1', true]) {
      const parsed = routeNodeSchema.safeParse(node('a', { incident } as unknown as Partial<RouteNode>));
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues[0]!.path[0]).toBe('incident');
    }
  });
});

describe('link state', () => {
  const a = (fingerprint: string, resolved: boolean) => ({ fingerprint, alertname: 'X', resolved });

  it('a tick: its state wins, an alert gone from the group is resolved, a new one is appended', () => {
    expect(mergeAtTick([a('1', false), a('2', false)], [a('2', true), a('3', false)])).toEqual([
      a('1', true),
      a('2', true),
      a('3', false),
    ]);
  });

  it('a read: live members win, one gone keeps its recorded state, one joined since is added', () => {
    expect(overlayLive([a('1', false), a('2', false)], [a('2', true), a('3', false)])).toEqual([
      a('1', false),
      a('2', true),
      a('3', false),
    ]);
  });

  it('suggests resolving an open incident whose every linked group is quiet, and only then', () => {
    expect(suggestsResolve('monitoring', [{ firing: 0 }, { firing: 0 }])).toBe(true);
    expect(suggestsResolve('monitoring', [{ firing: 0 }, { firing: 1 }])).toBe(false);
    expect(suggestsResolve('resolved', [{ firing: 0 }])).toBe(false);
    expect(suggestsResolve('investigating', [])).toBe(false);
  });

  it('titles an incident by alert name and the other group labels, bounded', () => {
    const route = compileTree(root()).routes.get('root')!;
    expect(incidentTitle({ route, groupLabels: { alertname: 'HighLatency', service: 'api' } }, [])).toBe(
      'HighLatency: service=api',
    );
    expect(incidentTitle({ route, groupLabels: {} }, [a('1', false)])).toBe('X');
    expect(incidentTitle({ route, groupLabels: {} }, [])).toBe('Alerts of route root');
    expect(incidentTitle({ route, groupLabels: { alertname: 'y'.repeat(500) } }, [])).toHaveLength(200);
  });
});
