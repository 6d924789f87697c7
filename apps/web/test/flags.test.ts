import { flagConfigSchema, type Strategy } from '@sextant/flags';
import { describe, expect, it } from 'vitest';
import {
  changedGroupIds,
  configIssues,
  distribution,
  fromDraft,
  newStrategy,
  percentToWeight,
  share,
  splitEvenly,
  toDraft,
  weightToPercent,
} from '~/lib/flags';

const flag = (strategies: unknown[], variants: unknown[] = []) => ({
  key: 'checkout.new',
  type: 'boolean' as const,
  enabled: true,
  strategies: strategies as Strategy[],
  variants: variants as never[],
});

describe('variant weights in the editor', () => {
  it('shows tenths of a percent and stores integers of 1000', () => {
    expect(weightToPercent(334)).toBe('33.4');
    expect(weightToPercent(1000)).toBe('100');
    expect(percentToWeight('33.3')).toBe(333);
    expect(percentToWeight(' 50 ')).toBe(500);
    expect(percentToWeight('')).toBeNaN();
    expect(percentToWeight('half')).toBeNaN();
  });

  it('splits evenly into integers totalling 1000, the first ones taking the remainder', () => {
    expect(splitEvenly(3)).toEqual([334, 333, 333]);
    expect(splitEvenly(2)).toEqual([500, 500]);
    expect(splitEvenly(7)).toEqual([143, 143, 143, 143, 143, 143, 142]);
    expect(splitEvenly(0)).toEqual([]);
    for (let n = 1; n <= 50; n++) expect(splitEvenly(n).reduce((a, b) => a + b, 0)).toBe(1000);
  });
});

describe('draft <-> stored configuration', () => {
  const stored = {
    enabled: true,
    variantStickiness: 'default',
    strategies: [
      {
        type: 'gradualRollout',
        percentage: 20,
        stickiness: 'userId',
        groupId: 'g1',
        constraints: [
          {
            contextName: 'country',
            operator: 'IN',
            values: ['CH', 'DE'],
            inverted: true,
            caseInsensitive: false,
          },
          {
            contextName: 'version',
            operator: 'SEMVER_GT',
            values: [],
            value: '1.2.3',
            inverted: false,
            caseInsensitive: false,
          },
        ],
      },
      { type: 'userIds', userIds: ['a', 'b'], constraints: [] },
    ] as Strategy[],
    variants: [
      { name: 'blue', weight: 334, overrides: [], payload: { type: 'json' as const, value: '{"a":1}' } },
      { name: 'red', weight: 666, overrides: [] },
    ],
  };

  it('round-trips through the form and passes the save-time schema', () => {
    const back = fromDraft(toDraft(stored));
    const parsed = flagConfigSchema.parse({ key: 'k', type: 'boolean', ...back });
    expect(parsed.strategies).toEqual(stored.strategies);
    expect(parsed.variants).toEqual(stored.variants);
  });

  it('keeps positions, so a server issue path names the field typed in', () => {
    const draft = toDraft(stored);
    draft.strategies[0]!.percentage = '20.5';
    const result = flagConfigSchema.safeParse({ key: 'k', type: 'boolean', ...fromDraft(draft) });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['strategies.0.percentage']);
  });

  it('notices a changed effective group id (empty means the flag key)', () => {
    const draft = toDraft(stored);
    expect(changedGroupIds('k', stored.strategies, draft)).toEqual([]);
    draft.strategies[0]!.groupId = '';
    expect(changedGroupIds('k', stored.strategies, draft)).toEqual([0]);
    draft.strategies[0]!.groupId = 'g1';
    draft.strategies.push(newStrategy());
    expect(changedGroupIds('k', stored.strategies, draft)).toEqual([]);
  });

  it("reads FLAG_CONFIG_INVALID's issues from the error data", () => {
    const issue = { path: 'variants', message: 'total 900' };
    expect(configIssues({ data: { details: { issues: [issue, { path: 1 }] } } })).toEqual([issue]);
    expect(configIssues(null)).toEqual([]);
  });

  it("reads an input refusal's issues (the guard's NUL) but not another fence's (a version conflict)", () => {
    const nul = { path: 'variants.1.name', message: 'Text cannot contain the NUL character (U+0000).' };
    expect(configIssues({ data: { code: 'BAD_REQUEST', zodError: { issues: [nul] } } })).toEqual([nul]);
    const conflict = {
      path: 'expectedVersion',
      message: 'UAT is at version 3, not 2: reload and try again.',
    };
    expect(configIssues({ data: { code: 'CONFLICT', zodError: { issues: [conflict] } } })).toEqual([]);
  });
});

describe('the 1,000 random users preview (the shared evaluator)', () => {
  it('req. 9: about 20 % on at a 20 % rollout, and the same figure for the same seed', () => {
    const config = flag([{ type: 'gradualRollout', percentage: 20, stickiness: 'default', constraints: [] }]);
    const d = distribution(config, {});
    expect(d.users).toBe(1000);
    expect(d.on).toBeGreaterThan(160);
    expect(d.on).toBeLessThan(240);
    expect(distribution(config, {}).on).toBe(d.on);
  });

  it('splits variants by weight, and a constraint on a sample field applies to everyone', () => {
    const variants = [
      { name: 'a', weight: 500, overrides: [] },
      { name: 'b', weight: 500, overrides: [] },
    ];
    const config = flag(
      [{ type: 'default', constraints: [{ contextName: 'country', operator: 'IN', values: ['CH'] }] }],
      variants,
    );
    const ch = distribution(config, { country: 'CH' });
    expect(ch.on).toBe(1000);
    const a = ch.variants.find((v) => v.name === 'a')!.users;
    expect(a).toBeGreaterThan(430);
    expect(a).toBeLessThan(570);
    expect(distribution(config, { country: 'FR' }).on).toBe(0);
  });

  it('disabled gives nobody the flag; an invalid draft says why instead of a figure', () => {
    expect(distribution({ ...flag([]), enabled: false }, {}).on).toBe(0);
    const bad = distribution(flag([{ type: 'gradualRollout', percentage: 120, constraints: [] }]), {});
    expect(bad.error).toMatch(/percentage/);
  });

  it('prints a share with one decimal', () => {
    expect(share(203, 1000)).toBe('20.3 %');
    expect(share(0, 0)).toBe('0 %');
    expect(share(1, 3)).toBe('33.3 %');
  });
});
