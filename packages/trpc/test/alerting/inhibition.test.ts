import { describe, expect, it } from 'vitest';
import {
  compileInhibitionRules,
  type InhibitionAlert,
  type InhibitionRule,
  inhibitions,
  validateInhibitionRule,
} from '../../src/services/alerting/inhibition';
import { compileSilences } from '../../src/services/alerting/silences';
import { suppressions } from '../../src/services/alerting/suppression';
import { m, refusal } from './helpers';

const rule = (over: Partial<InhibitionRule> = {}): InhibitionRule => ({
  id: 'r1',
  sourceMatchers: [m('alertname', '=', 'JobDown')],
  targetMatchers: [m('alertname', '=', 'InstanceDown')],
  equal: ['job', 'zone'],
  ...over,
});
const firing = (id: string, labels: Record<string, string>, isFiring = true): InhibitionAlert => ({
  id,
  labels,
  firing: isFiring,
});
/** Ids of the inhibited alerts, sorted. */
const inhibited = (rules: InhibitionRule[], alerts: InhibitionAlert[]) =>
  [...inhibitions(compileInhibitionRules(rules), alerts).keys()].sort();

/** An AM acceptance timeline: alerts pushed at `at`, resolved from `endsAt`; a tick sends what is not inhibited. */
interface Push {
  id: string;
  labels: Record<string, string>;
  at: number;
  endsAt?: number;
}
function sentAt(tick: number, pushes: Push[], rules: InhibitionRule[]): string[] {
  const known = pushes.filter((p) => p.at <= tick);
  const alerts = known.map((p) => firing(p.id, p.labels, p.endsAt === undefined || p.endsAt > tick));
  const muted = inhibitions(compileInhibitionRules(rules), alerts);
  return alerts
    .filter((a) => !muted.has(a.id))
    .map((a) => (a.firing ? a.id : `${a.id} (resolved)`))
    .sort();
}

describe('B20 inhibition timeline (AM TestInhibiting)', () => {
  const job = { job: 'testjob' };
  const pushes: Push[] = [
    { id: 'test1', labels: { alertname: 'test1', ...job, zone: 'aa' }, at: 1 },
    { id: 'InstanceDown(aa)', labels: { alertname: 'InstanceDown', ...job, zone: 'aa' }, at: 1 },
    { id: 'InstanceDown(ab)', labels: { alertname: 'InstanceDown', ...job, zone: 'ab' }, at: 1 },
    { id: 'JobDown(aa)', labels: { alertname: 'JobDown', ...job, zone: 'aa' }, at: 2.2, endsAt: 3.6 },
  ];
  it.each([
    [2, ['InstanceDown(aa)', 'InstanceDown(ab)', 'test1']],
    [3, ['InstanceDown(ab)', 'JobDown(aa)', 'test1']],
    [4, ['InstanceDown(aa)', 'InstanceDown(ab)', 'JobDown(aa) (resolved)', 'test1']],
  ])('B20 tick at %ss sends %o', (tick, expected) => {
    expect(sentAt(tick, pushes, [rule()])).toEqual(expected);
  });
});

describe('B21 inhibition edge rules', () => {
  it('B21 equal label missing on both sides -> inhibited', () => {
    const r = rule({ equal: ['cluster'] });
    expect(
      inhibited([r], [firing('src', { alertname: 'JobDown' }), firing('tgt', { alertname: 'InstanceDown' })]),
    ).toEqual(['tgt']);
    // Missing on one side only is "" against a value: they differ.
    expect(
      inhibited(
        [r],
        [
          firing('src', { alertname: 'JobDown', cluster: 'eu' }),
          firing('tgt', { alertname: 'InstanceDown' }),
        ],
      ),
    ).toEqual([]);
  });

  it('B21 alert matching both sides alone -> not inhibited', () => {
    const both = rule({
      sourceMatchers: [m('team', '=', 'db')],
      targetMatchers: [m('team', '=', 'db')],
      equal: [],
    });
    expect(inhibited([both], [firing('a', { team: 'db' })])).toEqual([]);
    // A6.3: two alerts matching both sides never inhibit each other either.
    expect(inhibited([both], [firing('a', { team: 'db' }), firing('b', { team: 'db', x: '1' })])).toEqual([]);
  });

  it('B21 (A6.3) a two-sided target is still inhibited by a source matching only the source side', () => {
    const r = rule({
      sourceMatchers: [m('severity', '=~', 'critical|page')],
      targetMatchers: [m('severity', '=~', 'critical|warning')],
      equal: ['service'],
    });
    const alerts = [
      firing('crit', { severity: 'critical', service: 'api' }),
      firing('page', { severity: 'page', service: 'api' }),
      firing('warn', { severity: 'warning', service: 'api' }),
    ];
    expect(inhibitions(compileInhibitionRules([r]), alerts)).toEqual(
      new Map([
        ['crit', [{ ruleId: 'r1', sourceId: 'page' }]],
        ['warn', [{ ruleId: 'r1', sourceId: 'crit' }]],
      ]),
    );
  });

  it('B21 source and target resolved together -> one final notification with both resolved (AM TestAlwaysInhibiting)', () => {
    const labels = { job: 'testjob', zone: 'aa' };
    const pushes: Push[] = [
      { id: 'InstanceDown', labels: { alertname: 'InstanceDown', ...labels }, at: 1, endsAt: 2.6 },
      { id: 'JobDown', labels: { alertname: 'JobDown', ...labels }, at: 1, endsAt: 2.6 },
    ];
    expect(sentAt(2, pushes, [rule()])).toEqual(['JobDown']);
    expect(sentAt(3, pushes, [rule()])).toEqual(['InstanceDown (resolved)', 'JobDown (resolved)']);
  });
});

describe('A6 inhibition: sources', () => {
  const target = firing('tgt', { alertname: 'InstanceDown', job: 'j', zone: 'z' });
  const source = { alertname: 'JobDown', job: 'j', zone: 'z' };

  it('only firing sources inhibit (a pending or resolved one does not)', () => {
    expect(inhibited([rule()], [firing('src', source, false), target])).toEqual([]);
    expect(inhibited([rule()], [firing('src', source), target])).toEqual(['tgt']);
  });

  it('every rule that inhibits an alert is reported with its first source', () => {
    const alerts = [firing('src', source), firing('src2', source), target];
    const two = [rule(), rule({ id: 'r2', equal: [] })];
    expect(inhibitions(compileInhibitionRules(two), alerts).get('tgt')).toEqual([
      { ruleId: 'r1', sourceId: 'src' },
      { ruleId: 'r2', sourceId: 'src' },
    ]);
  });

  it('A6.4 a silenced source still inhibits, as in AM; both reasons are reported', () => {
    const now = new Date(Date.UTC(2026, 10, 30, 12));
    const silences = compileSilences([
      {
        id: 's1',
        matchers: [m('alertname', '=', 'JobDown')],
        startsAt: new Date(now.getTime() - 60_000),
        endsAt: new Date(now.getTime() + 60_000),
        createdBy: 'ana',
        comment: 'maintenance',
      },
    ]);
    const result = suppressions(
      [firing('src', source), target],
      silences,
      compileInhibitionRules([rule()]),
      now,
    );
    expect(result).toEqual(
      new Map([
        ['src', { inhibitedBy: [], silencedBy: ['s1'] }],
        ['tgt', { inhibitedBy: [{ ruleId: 'r1', sourceId: 'src' }], silencedBy: [] }],
      ]),
    );
  });

  it('a rule with an invalid regex is refused naming the side and index', () => {
    const err = refusal(() =>
      validateInhibitionRule(rule({ targetMatchers: [m('a', '=', 'x'), m('b', '!~', '(?<=a)b')] })),
    );
    expect([err.reason, err.path]).toEqual(['INVALID_REGEX', ['targetMatchers', 1, 'value']]);
  });
});
