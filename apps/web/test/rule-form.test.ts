import { describe, expect, it } from 'vitest';
import {
  emptyRule,
  matchersText,
  parseMatchers,
  ruleField,
  toRuleInput,
} from '../src/app/(console)/alerts/rules/rule-form';
import { formErrors } from '../src/lib/field-errors';

describe('the alert rule editor', () => {
  it('reads PromQL-style matchers and writes them back the same', () => {
    const text = 'route=~"/api/.*", method="GET", note!="say \\"hi\\""';
    const parsed = parseMatchers(text);
    expect(parsed).toEqual([
      { label: 'route', op: '=~', value: '/api/.*' },
      { label: 'method', op: '=', value: 'GET' },
      { label: 'note', op: '!=', value: 'say "hi"' },
    ]);
    expect(parseMatchers(matchersText(parsed as never))).toEqual(parsed);
    expect(parseMatchers('route=/x')).toMatch(/double quotes/);
  });

  it("checks with the API's schema and puts each problem on its field", () => {
    const v = {
      ...emptyRule(),
      name: 'HighErrors',
      metric: 'http_requests_total',
      fn: 'error_ratio',
      threshold: 'NaN',
      forSeconds: String(10 * 365 * 86_400),
      matchers: 'route=/x',
    };
    expect(toRuleInput(v)).toEqual({
      errors: {
        threshold: expect.any(String),
        forSeconds: 'At most 7 days.',
        matchers: expect.stringMatching(/double quotes/),
      },
    });
    const ok = toRuleInput({
      ...v,
      threshold: '0.05',
      forSeconds: '60',
      matchers: '',
      summary: '{{ $value }}',
    });
    expect(ok).toMatchObject({
      input: {
        condition: { kind: 'metric', fn: 'error_ratio', threshold: 0.05, resolveThreshold: null },
        annotations: { summary: '{{ $value }}' },
      },
    });
  });

  it("places the API's refusals (template, unknown metric, target) on the editor's fields", () => {
    const error = Object.assign(new Error('x'), {
      data: {
        zodError: {
          issues: [
            { path: 'rule.annotations.summary', message: 'Template error' },
            { path: 'rule.condition.metric', message: 'No metric' },
            { path: 'rule.condition.target.id', message: 'No such check.' },
            { path: 'rule.annotations.team', message: 'Custom' },
          ],
        },
      },
    });
    expect(formErrors(error, ruleField, { at: 'rule' }).errors).toEqual({
      summary: 'Template error',
      metric: 'No metric',
      targetId: 'No such check.',
      annotations: 'Custom',
    });
  });
});
