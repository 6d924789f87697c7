import { describe, expect, it } from 'vitest';
import {
  type AlertMatcher,
  inhibitionRuleInput,
  matcherSetSchema,
} from '../../src/schemas/alerting-matchers';
import { METRIC_LIMITS } from '../../src/schemas/metrics';
import { checkMatcherSet, compileMatchers, matchersFromLabels } from '../../src/services/alerting/matchers';
import { m, refusal } from './helpers';

/** The issue paths of a refused parse, dotted ("0.value"). */
function issues(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => i.path.join('.'));
}

describe('matching a label set (AM semantics)', () => {
  // [matcher, labels, expected]
  const table: [AlertMatcher, Record<string, string>, boolean][] = [
    [m('job', '=', 'api'), { job: 'api' }, true],
    [m('job', '=', 'api'), { job: 'api-2' }, false],
    [m('job', '!=', 'api'), { job: 'web' }, true],
    [m('job', '!=', 'api'), {}, true],
    [m('job', '=', ''), {}, true],
    [m('job', '!=', ''), {}, false],
    [m('job', '=~', 'api'), { job: 'api-2' }, false],
    [m('job', '=~', 'api.*'), { job: 'api-2' }, true],
    [m('job', '=~', 'a|b'), { job: 'ab' }, false],
    [m('job', '=~', 'x|'), {}, true],
    [m('job', '=~', '.+'), {}, false],
    [m('job', '!~', '.+'), {}, true],
    [m('job', '!~', 'api|web'), { job: 'web' }, false],
    [m('msg', '=~', 'p.q'), { msg: 'p\nq' }, true],
    [m('constructor', '=', ''), {}, true],
    [m('constructor', '!=', ''), {}, false],
  ];
  it.each(table)('%o on %o -> %s', (matcher, labels, expected) => {
    expect(compileMatchers([matcher]).matches(labels)).toBe(expected);
  });

  it('a set is an AND of its matchers', () => {
    const set = compileMatchers([m('job', '=', 'api'), m('env', '!~', 'dev|test')]);
    expect(set.matches({ job: 'api', env: 'prod' })).toBe(true);
    expect(set.matches({ job: 'api' })).toBe(true);
    expect(set.matches({ job: 'api', env: 'dev' })).toBe(false);
    expect(set.matches({ env: 'prod' })).toBe(false);
  });

  it('"silence this alert" prefills one = matcher per non-empty label, sorted', () => {
    expect(matchersFromLabels({ zone: 'aa', alertname: 'X', empty: '' })).toEqual([
      m('alertname', '=', 'X'),
      m('zone', '=', 'aa'),
    ]);
  });
});

describe('matcher validation, coded and naming the field', () => {
  it('the schema bounds names, values, regex length and count', () => {
    expect(issues(matcherSetSchema.safeParse([]))).toEqual(['']);
    expect(issues(matcherSetSchema.safeParse([m('1job', '=', 'x')]))).toEqual(['0.label']);
    expect(
      issues(matcherSetSchema.safeParse([m('a', '=~', 'x'.repeat(METRIC_LIMITS.regexLength + 1))])),
    ).toEqual(['0.value']);
    expect(matcherSetSchema.safeParse([m('a', '=', 'x'.repeat(METRIC_LIMITS.regexLength + 1))]).success).toBe(
      true,
    );
    expect(issues(matcherSetSchema.safeParse([m('a', '=', 'x\0')]))).toEqual(['0.value']);
    expect(issues(matcherSetSchema.safeParse(Array.from({ length: 21 }, () => m('a', '=', 'x'))))).toEqual([
      '',
    ]);
  });

  it('the inhibition rule schema names the side and refuses a repeated equal label', () => {
    const ok = { sourceMatchers: [m('a', '=', 'x')], targetMatchers: [m('b', '=', 'y')] };
    expect(inhibitionRuleInput.parse(ok).equal).toEqual([]);
    expect(issues(inhibitionRuleInput.safeParse({ ...ok, targetMatchers: [] }))).toEqual(['targetMatchers']);
    expect(issues(inhibitionRuleInput.safeParse({ ...ok, equal: ['job', 'job'] }))).toEqual(['equal']);
    expect(issues(inhibitionRuleInput.safeParse({ ...ok, equal: ['bad-name'] }))).toEqual(['equal.0']);
  });

  it.each([
    ['(unclosed', 'invalid syntax'],
    ['(a)\\1', 'a backreference (not linear time)'],
    ['(?=a)', 'a lookahead'],
    ['\\bword', 'syntax that differs between RE2 and Postgres'],
  ])('refuses %s (%s) as INVALID_REGEX at its index', (pattern) => {
    const err = refusal(() => checkMatcherSet([m('a', '=', 'x'), m('b', '=~', pattern)], ['matchers']));
    expect(err.reason).toBe('INVALID_REGEX');
    expect(err.appCode).toBe('VALIDATION_FAILED');
    expect(err.path).toEqual(['matchers', 1, 'value']);
  });

  it('refuses regexes too costly together as REGEX_TOO_COMPLEX on the set', () => {
    checkMatcherSet([m('a', '=~', 'x{600}')], ['targetMatchers']);
    const err = refusal(() =>
      checkMatcherSet([m('a', '=~', 'x{600}'), m('b', '!~', 'y{600}')], ['targetMatchers']),
    );
    expect(err.reason).toBe('REGEX_TOO_COMPLEX');
    expect(err.path).toEqual(['targetMatchers']);
  });
});
