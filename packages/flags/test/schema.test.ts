import { describe, expect, it } from 'vitest';
import { FLAG_CONFIG_LIMITS } from '../src/limits';
import { type FlagConfigInput, flagConfigSchema } from '../src/schema';
import { flag } from './fixtures';

/** The messages of everything the schema refuses in `input` ([] when it accepts it). */
function refusals(input: FlagConfigInput): string[] {
  const result = flagConfigSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const withConstraint = (constraint: Record<string, unknown>) =>
  flag({ strategies: [{ type: 'default', constraints: [constraint as never] }] });

describe('flag configuration schema: refused at save time with clear messages', () => {
  it('accepts a full configuration and fills the defaults', () => {
    const input = flag({
      type: 'string',
      strategies: [
        {
          type: 'gradualRollout',
          percentage: 20,
          constraints: [{ contextName: 'appVersion', operator: 'SEMVER_GT', value: '1.2.0' }],
        },
        { type: 'userIds', userIds: ['alice'] },
      ],
      variants: [
        { name: 'a', weight: 334, payload: { type: 'string', value: 'A' } },
        { name: 'b', weight: 333, payload: { type: 'csv', value: 'x,y' } },
        { name: 'c', weight: 333, payload: { type: 'string', value: 'C' } },
      ],
    });
    const parsed = flagConfigSchema.parse(input);
    expect(parsed.variantStickiness).toBe('default');
    expect(parsed.strategies[0]).toMatchObject({ stickiness: 'default', constraints: [{ inverted: false }] });
  });

  it('refuses variant weights that do not total 1000', () => {
    const f = flag({
      variants: [
        { name: 'a', weight: 500 },
        { name: 'b', weight: 499 },
      ],
    });
    expect(refusals(f)).toEqual(['variants: variant weights total 999; they must total 1000 (= 100 %)']);
  });

  it('refuses an unknown operator, naming it', () => {
    const [message] = refusals(withConstraint({ contextName: 'a', operator: 'REGEX', values: ['.*'] }));
    expect(message).toContain('unknown operator "REGEX"');
  });

  it('refuses invalid semver and dates, and numbers that are not numbers, in constraint values', () => {
    expect(refusals(withConstraint({ contextName: 'v', operator: 'SEMVER_LT', value: '1.2' }))[0]).toContain(
      'is not a semantic version',
    );
    expect(
      refusals(withConstraint({ contextName: 'v', operator: 'SEMVER_EQ', value: '01.2.3' })),
    ).toHaveLength(1);
    expect(
      refusals(
        withConstraint({ contextName: 't', operator: 'DATE_AFTER', value: '2026-13-01T00:00:00Z' }),
      )[0],
    ).toContain('is not an RFC 3339 date-time');
    for (const value of ['tomorrow', '2026-02-30T00:00:00Z', '2026-12-01T24:00:00Z', '2026-12-01T10:00:00']) {
      expect(
        refusals(withConstraint({ contextName: 't', operator: 'DATE_BEFORE', value })),
        value,
      ).toHaveLength(1);
    }
    expect(
      refusals(
        withConstraint({ contextName: 't', operator: 'DATE_BEFORE', value: '2028-02-29T23:59:59.5-05:30' }),
      ),
    ).toEqual([]);
    expect(refusals(withConstraint({ contextName: 'n', operator: 'NUM_GT', value: '' }))[0]).toContain(
      'is not a number',
    );
    expect(refusals(withConstraint({ contextName: 'n', operator: 'NUM_GT' }))[0]).toContain(
      'NUM_GT needs a value',
    );
    expect(refusals(withConstraint({ contextName: 's', operator: 'IN', values: [' '] }))[0]).toContain(
      'at least one value',
    );
  });

  it('refuses a JSON payload that is not JSON, and payloads of the wrong type for the flag', () => {
    const json = flag({
      type: 'json',
      variants: [{ name: 'a', weight: 1000, payload: { type: 'json', value: '{a:1}' } }],
    });
    expect(refusals(json)).toEqual(['variants.0.payload: variant "a": the JSON payload is not valid JSON']);
    const num = flag({
      type: 'number',
      variants: [{ name: 'a', weight: 1000, payload: { type: 'string', value: '1' } }],
    });
    expect(refusals(num)[0]).toContain('a number flag cannot carry a string payload');
    const bare = flag({ type: 'string', variants: [{ name: 'a', weight: 1000 }] });
    expect(refusals(bare)[0]).toContain("a string flag's variants need a payload");
  });

  it(`refuses more than ${FLAG_CONFIG_LIMITS.maxUserIds} user ids in one strategy (10,000 in the acceptance)`, () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `user-${i}`);
    const list = (n: number) => flag({ strategies: [{ type: 'userIds', userIds: ids(n) }] });
    expect(refusals(list(FLAG_CONFIG_LIMITS.maxUserIds))).toEqual([]);
    expect(refusals(list(10_000))[0]).toContain(`at most ${FLAG_CONFIG_LIMITS.maxUserIds} user ids`);
  });

  it('refuses a percentage outside 0-100 or not whole', () => {
    for (const percentage of [-1, 101, 12.5]) {
      const f = flag({ strategies: [{ type: 'gradualRollout', percentage }] });
      expect(refusals(f)[0], String(percentage)).toMatch(
        /percentage must be (a whole number )?from 0 to 100/,
      );
    }
    expect(refusals(flag({ strategies: [{ type: 'gradualRollout', percentage: 0 }] }))).toEqual([]);
    expect(refusals(flag({ strategies: [{ type: 'gradualRollout', percentage: 100 }] }))).toEqual([]);
  });

  it('refuses duplicate variant names and flag keys with spaces', () => {
    const dup = flag({
      variants: [
        { name: 'a', weight: 500 },
        { name: 'a', weight: 500 },
      ],
    });
    expect(refusals(dup)).toEqual(['variants.1.name: duplicate variant "a"']);
    expect(refusals(flag({ key: 'new checkout' }))[0]).toContain('flag keys use letters');
  });
});
