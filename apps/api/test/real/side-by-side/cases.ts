/**
 * The spec's timelines (alerting.md part B) scaled to units of UNIT_MS, as data both sides replay: a route subtree
 * per case under a root matching `case="Bn"`, the alerts pushed at each unit, silences and inhibition rules, and
 * the deliveries expected per phase (phases split the run at `checkpoints`, at least a unit away from any tick, so
 * scheduling jitter never moves a delivery across). `ours` is set where the spec's "Our rule" differs from AM.
 */
import type { ConditionMatcher } from '@sextant/db';

/**
 * One unit of the timelines below. AM's acceptance tests use 1 s; two keep a unit's margin on a loaded 2-core
 * machine, where posting alerts and flushing a tick each take up to half a second.
 */
export const UNIT_MS = 2_000;

export interface CaseRoute {
  /** The case's own route gets `case="Bn"` prepended. */
  matchers?: ConditionMatcher[];
  continue?: boolean;
  receiver: string;
  groupBy?: string[];
  /** Units; whole seconds once scaled (Sextant's route timers are integers). */
  gw?: number;
  gi?: number;
  ri?: number;
  children?: CaseRoute[];
}

/** An alert as pushed: `resolvedAt` (units into the case) sets endsAt; `since` sets startsAt (default: now). */
export interface PushedAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  since?: number;
  resolvedAt?: number;
}

export type Step =
  | { at: number; push: PushedAlert[] }
  | { at: number; silence: { matchers: ConditionMatcher[]; units: number } };

/** A delivery as the expectation names it: receiver, group labels, status, and "name,k=v status" per alert. */
export interface Expected {
  receiver: string;
  groupLabels: Record<string, string>;
  status: 'firing' | 'resolved';
  alerts: string[];
}

export interface Case {
  name: string;
  title: string;
  route: CaseRoute;
  inhibit?: { source: ConditionMatcher[]; target: ConditionMatcher[]; equal: string[] }[];
  steps: Step[];
  checkpoints: number[];
  /** Units the case runs; a message decided (Sextant) or sent (AM) at or after it is not counted. */
  end: number;
  /** The case's receivers answer after this long (ms), as a remote one would. */
  receiverDelayMs?: number;
  /** Per phase, what Alertmanager sends (the spec's anchor behaviour). */
  expected: Expected[][];
  /** Where Sextant deliberately differs: the spec's rule, and what Sextant sends instead. */
  ours?: { rule: string; expected: Expected[][] };
}

const eq = (label: string, value: string): ConditionMatcher => ({ label, op: '=', value });
const firing = (...names: string[]) => names.map((n) => `${n} firing`);
const group = (
  receiver: string,
  groupLabels: Record<string, string>,
  alerts: string[],
  status: 'firing' | 'resolved' = alerts.some((a) => a.endsWith(' firing')) ? 'firing' : 'resolved',
): Expected => ({ receiver, groupLabels, status, alerts: [...alerts].sort() });

const disk = (instance: string) => ({ alertname: 'Disk', instance });
const DISK = { alertname: 'Disk' };

/** Long enough never to repeat inside a case. */
const HOUR = 3_600;

export const CASES: Case[] = [
  {
    name: 'B1',
    title: 'first notification after group_wait',
    route: { receiver: 'B1', groupBy: ['alertname'], gw: 1, gi: 3, ri: HOUR },
    steps: [{ at: 0, push: [{ labels: disk('a') }] }],
    checkpoints: [],
    end: 3,
    expected: [[group('B1', DISK, firing('Disk,instance=a'))]],
  },
  {
    name: 'B2',
    title: 'alerts arriving within group_wait go out together',
    route: { receiver: 'B2', groupBy: ['alertname'], gw: 2, gi: 3, ri: HOUR },
    steps: [
      { at: 0, push: [{ labels: disk('a') }] },
      { at: 0.8, push: [{ labels: disk('b') }] },
    ],
    checkpoints: [],
    end: 4,
    expected: [[group('B2', DISK, firing('Disk,instance=a', 'Disk,instance=b'))]],
  },
  {
    name: 'B3',
    title: 'a late joiner waits for the next group_interval tick, not group_wait',
    route: { receiver: 'B3', groupBy: ['alertname'], gw: 1, gi: 4, ri: HOUR },
    steps: [
      { at: 0, push: [{ labels: disk('a') }] },
      { at: 1.5, push: [{ labels: disk('b') }] },
    ],
    // B + group_wait would be 2.5; the group's tick is at 5.
    checkpoints: [3.5],
    end: 6.5,
    expected: [
      [group('B3', DISK, firing('Disk,instance=a'))],
      [group('B3', DISK, firing('Disk,instance=a', 'Disk,instance=b'))],
    ],
  },
  {
    name: 'B4',
    title: 'quiet ticks send nothing',
    route: { receiver: 'B4', groupBy: ['alertname'], gw: 1, gi: 1, ri: HOUR },
    steps: [{ at: 0, push: [{ labels: disk('a') }] }],
    checkpoints: [2],
    end: 6.5,
    expected: [[group('B4', DISK, firing('Disk,instance=a'))], []],
  },
  {
    name: 'B5',
    title: 'repeat_interval a multiple of group_interval',
    route: { receiver: 'B5', groupBy: ['alertname'], gw: 1, gi: 2, ri: 4 },
    steps: [{ at: 0, push: [{ labels: disk('a') }] }],
    // Ticks at 1, 3, 5, 7: AM logs the send's completion (after 1), so 1 + 4 has not passed at 5. A remote that
    // answers at once would leave that to how late AM's timer fires, so this one takes half a second.
    receiverDelayMs: 500,
    checkpoints: [2, 6],
    end: 8,
    expected: [
      [group('B5', DISK, firing('Disk,instance=a'))],
      [],
      [group('B5', DISK, firing('Disk,instance=a'))],
    ],
    ours: {
      rule: 'A7 our rule: the log keeps the tick time, a repeat is due when last tick + repeat_interval <= tick (4h stays 4h)',
      expected: [
        [group('B5', DISK, firing('Disk,instance=a'))],
        [group('B5', DISK, firing('Disk,instance=a'))],
        [],
      ],
    },
  },
  {
    name: 'B7',
    title: 'resolve notice, then a re-fire starts a new group',
    route: { receiver: 'B7', groupBy: ['alertname'], gw: 1, gi: 2, ri: HOUR },
    steps: [
      { at: 0, push: [{ labels: disk('a') }] },
      { at: 1.5, push: [{ labels: disk('a'), since: 0, resolvedAt: 1.5 }] },
      { at: 4, push: [{ labels: disk('a') }] },
    ],
    checkpoints: [2, 4],
    end: 6.5,
    expected: [
      [group('B7', DISK, firing('Disk,instance=a'))],
      [group('B7', DISK, ['Disk,instance=a resolved'])],
      [group('B7', DISK, firing('Disk,instance=a'))],
    ],
  },
  {
    name: 'B11',
    title: 'a flap inside one group_interval is invisible',
    route: { receiver: 'B11', groupBy: ['alertname'], gw: 1, gi: 3, ri: HOUR },
    steps: [
      { at: 0, push: [{ labels: disk('a') }] },
      { at: 1.5, push: [{ labels: disk('a'), since: 0, resolvedAt: 1.5 }] },
      { at: 2.5, push: [{ labels: disk('a') }] },
    ],
    checkpoints: [2.5],
    end: 5.5,
    expected: [[group('B11', DISK, firing('Disk,instance=a'))], []],
  },
  {
    name: 'B14',
    title: 'continue: one alert, two routes',
    route: {
      receiver: 'B14-default',
      groupBy: ['alertname'],
      gw: 1,
      gi: 3,
      ri: HOUR,
      children: [
        { matchers: [eq('team', 'db')], continue: true, receiver: 'B14-db-pager' },
        { matchers: [eq('severity', 'critical')], receiver: 'B14-oncall' },
      ],
    },
    steps: [
      {
        at: 0,
        push: [
          { labels: { alertname: 'Svc', team: 'db', severity: 'critical' } },
          { labels: { alertname: 'Svc', team: 'db', severity: 'warning' } },
          { labels: { alertname: 'Svc', team: 'web' } },
        ],
      },
    ],
    checkpoints: [],
    end: 3,
    expected: [
      [
        group(
          'B14-db-pager',
          { alertname: 'Svc' },
          firing('Svc,severity=critical,team=db', 'Svc,severity=warning,team=db'),
        ),
        group('B14-oncall', { alertname: 'Svc' }, firing('Svc,severity=critical,team=db')),
        group('B14-default', { alertname: 'Svc' }, firing('Svc,team=web')),
      ],
    ],
  },
  {
    name: 'B15',
    title: 'group_by "...", [] and a label one alert lacks',
    route: {
      receiver: 'B15-none',
      gw: 1,
      gi: 3,
      ri: HOUR,
      children: [
        { matchers: [eq('variant', 'all')], groupBy: ['...'], receiver: 'B15-all' },
        { matchers: [eq('variant', 'none')], groupBy: [], receiver: 'B15-none' },
        { matchers: [eq('variant', 'cluster')], groupBy: ['cluster'], receiver: 'B15-cluster' },
      ],
    },
    steps: [
      {
        at: 0,
        push: ['all', 'none', 'cluster'].flatMap((variant): PushedAlert[] => [
          { labels: { alertname: 'A', variant, cluster: 'eu1' } },
          { labels: { alertname: 'B', variant } },
        ]),
      },
    ],
    checkpoints: [],
    end: 3,
    expected: [
      [
        group(
          'B15-all',
          { alertname: 'A', case: 'B15', variant: 'all', cluster: 'eu1' },
          firing('A,cluster=eu1,variant=all'),
        ),
        group('B15-all', { alertname: 'B', case: 'B15', variant: 'all' }, firing('B,variant=all')),
        group('B15-none', {}, firing('A,cluster=eu1,variant=none', 'B,variant=none')),
        group('B15-cluster', { cluster: 'eu1' }, firing('A,cluster=eu1,variant=cluster')),
        group('B15-cluster', {}, firing('B,variant=cluster')),
      ],
    ],
  },
  {
    name: 'B16',
    title: 'silence before the first send',
    route: { receiver: 'B16', groupBy: ['alertname'], gw: 1, gi: 3, ri: HOUR },
    steps: [
      { at: 0, push: [{ labels: disk('a') }, { labels: disk('b') }] },
      { at: 0.3, silence: { matchers: [eq('instance', 'a')], units: 3.2 } },
    ],
    checkpoints: [2.5],
    end: 5.5,
    expected: [
      [group('B16', DISK, firing('Disk,instance=b'))],
      [group('B16', DISK, firing('Disk,instance=a', 'Disk,instance=b'))],
    ],
  },
  {
    name: 'B18',
    title: 'resolve while silenced',
    route: { receiver: 'B18', groupBy: ['alertname'], gw: 1, gi: 3, ri: HOUR },
    steps: [
      { at: 0, push: [{ labels: disk('a') }] },
      { at: 1.5, silence: { matchers: [eq('instance', 'a')], units: 30 } },
      { at: 2, push: [{ labels: disk('a'), since: 0, resolvedAt: 2 }] },
    ],
    checkpoints: [2.5],
    end: 5.5,
    expected: [[group('B18', DISK, firing('Disk,instance=a'))], []],
    ours: {
      rule: 'A7 our rule: an alert notified as firing that resolves while silenced still gets its resolve',
      expected: [
        [group('B18', DISK, firing('Disk,instance=a'))],
        [group('B18', DISK, ['Disk,instance=a resolved'])],
      ],
    },
  },
  {
    name: 'B20',
    title: 'inhibition while the source fires, the target back when it resolves (AM TestInhibiting)',
    route: { receiver: 'B20', groupBy: [], gw: 1, gi: 2, ri: HOUR },
    inhibit: [
      {
        source: [eq('alertname', 'JobDown')],
        target: [eq('alertname', 'InstanceDown')],
        equal: ['job', 'zone'],
      },
    ],
    steps: [
      {
        at: 0,
        push: [
          { labels: { alertname: 'test1', job: 'testjob', zone: 'aa' } },
          { labels: { alertname: 'InstanceDown', job: 'testjob', zone: 'aa' } },
          { labels: { alertname: 'InstanceDown', job: 'testjob', zone: 'ab' } },
        ],
      },
      { at: 2, push: [{ labels: { alertname: 'JobDown', job: 'testjob', zone: 'aa' } }] },
      {
        at: 4,
        push: [{ labels: { alertname: 'JobDown', job: 'testjob', zone: 'aa' }, since: 2, resolvedAt: 4 }],
      },
    ],
    checkpoints: [2, 4],
    end: 6,
    expected: [
      [
        group(
          'B20',
          {},
          firing(
            'test1,job=testjob,zone=aa',
            'InstanceDown,job=testjob,zone=aa',
            'InstanceDown,job=testjob,zone=ab',
          ),
        ),
      ],
      [
        group(
          'B20',
          {},
          firing(
            'test1,job=testjob,zone=aa',
            'InstanceDown,job=testjob,zone=ab',
            'JobDown,job=testjob,zone=aa',
          ),
        ),
      ],
      [
        group('B20', {}, [
          ...firing(
            'test1,job=testjob,zone=aa',
            'InstanceDown,job=testjob,zone=aa',
            'InstanceDown,job=testjob,zone=ab',
          ),
          'JobDown,job=testjob,zone=aa resolved',
        ]),
      ],
    ],
  },
];

/** Every receiver name a case's tree uses. */
export function receiversOf(route: CaseRoute): string[] {
  return [...new Set([route.receiver, ...(route.children ?? []).flatMap(receiversOf)])];
}

/** How long the receiver at `path` (a collector path, "/<receiver>") takes to answer. */
export function receiverDelay(cases: readonly Case[]): (path: string) => number {
  const delays = new Map(
    cases.flatMap((c) =>
      receiversOf(c.route).map((r) => [`/${encodeURIComponent(r)}`, c.receiverDelayMs ?? 0]),
    ),
  );
  return (path) => delays.get(path) ?? 0;
}

/** The case's label on every alert, silence and inhibition rule, so cases never touch each other. */
export const caseMatcher = (c: Case) => eq('case', c.name);
