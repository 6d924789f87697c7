import type { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalOf } from '../fixtures';
import { createWorld, rejection, type World } from './world';

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w?.close();
});

const rollout = (percentage: number, extra: Record<string, unknown> = {}) => ({
  type: 'gradualRollout',
  percentage,
  ...extra,
});

/** A string flag (its variants need payloads), as a maintainer made it. */
async function stringFlag() {
  const key = w.fx.unique('str');
  await w.as('maintainer').flags.create({ key, type: 'string' });
  return key;
}

describe('flags.setEnvironment: bad configurations are FLAG_CONFIG_INVALID at save time, nothing changed', () => {
  const cases: [string, 'boolean' | 'string' | 'json', Record<string, unknown>, RegExp, string][] = [
    [
      'variant weights not totalling 1000',
      'boolean',
      {
        variants: [
          { name: 'a', weight: 500 },
          { name: 'b', weight: 400 },
        ],
      },
      /total 900/,
      'variants',
    ],
    [
      'an unknown operator',
      'boolean',
      {
        strategies: [
          { type: 'default', constraints: [{ contextName: 'plan', operator: 'LIKE', values: ['x'] }] },
        ],
      },
      /unknown operator "LIKE"/,
      'strategies.0.constraints.0.operator',
    ],
    [
      'an invalid semver',
      'boolean',
      {
        strategies: [
          { type: 'default', constraints: [{ contextName: 'v', operator: 'SEMVER_GT', value: '1.2' }] },
        ],
      },
      /not a semantic version/,
      'strategies.0.constraints.0.value',
    ],
    [
      'an invalid date',
      'boolean',
      {
        strategies: [
          {
            type: 'default',
            constraints: [{ contextName: 'currentTime', operator: 'DATE_AFTER', value: '2026-13-45' }],
          },
        ],
      },
      /not an RFC 3339 date-time/,
      'strategies.0.constraints.0.value',
    ],
    [
      'a JSON payload that is not JSON',
      'json',
      { variants: [{ name: 'a', weight: 1000, payload: { type: 'json', value: '{nope' } }] },
      /not valid JSON/,
      'variants.0.payload',
    ],
    [
      '10,000 user ids in one strategy',
      'boolean',
      { strategies: [{ type: 'userIds', userIds: Array.from({ length: 10_000 }, (_, i) => `u${i}`) }] },
      /at most 1000 user ids/,
      'strategies.0.userIds',
    ],
    [
      'a percentage over 100',
      'boolean',
      { strategies: [rollout(101)] },
      /from 0 to 100/,
      'strategies.0.percentage',
    ],
  ];

  for (const [name, type, config, message, path] of cases) {
    it(`${name}: coded, with the issue's path and message in data, never a 5xx`, async () => {
      const key = w.fx.unique('bad');
      await w.as('maintainer').flags.create({ key, type });
      const before = await w.hash();
      const err = await rejection(
        w.as('maintainer').flags.setEnvironment({ key, environment: 'UAT', enabled: true, ...config }),
      );
      const refusal = refusalOf(err);
      expect(refusal.code).toBe('FLAG_CONFIG_INVALID');
      expect((err as TRPCError).code).toBe('BAD_REQUEST');
      expect(refusal.path).toBe(path);
      const details = (
        (err as TRPCError).cause as unknown as { details: { issues: { path: string; message: string }[] } }
      ).details;
      expect(details.issues.some((i) => i.path === path && message.test(i.message))).toBe(true);
      expect(await w.hash()).toBe(before);
    });
  }

  it("a string flag's variant without a payload, and an unknown strategy type, are refused too", async () => {
    const key = await stringFlag();
    const m = w.as('maintainer');
    const before = await w.hash();
    const noPayload = refusalOf(
      await rejection(
        m.flags.setEnvironment({ key, environment: 'DEV', variants: [{ name: 'a', weight: 1000 }] }),
      ),
    );
    expect(noPayload).toMatchObject({ code: 'FLAG_CONFIG_INVALID', path: 'variants.0.payload' });
    const unknown = refusalOf(
      await rejection(
        m.flags.setEnvironment({ key, environment: 'DEV', strategies: [{ type: 'remoteAddress' }] }),
      ),
    );
    expect(unknown.code).toBe('FLAG_CONFIG_INVALID');
    expect(await w.hash()).toBe(before);
  });

  it('an unknown flag or environment is coded, nothing changed', async () => {
    const m = w.as('maintainer');
    const { key } = await w.fx.flag();
    const before = await w.hash();
    expect(
      refusalOf(await rejection(m.flags.toggle({ key: 'no-such', environment: 'UAT', enabled: true }))).code,
    ).toBe('FLAG_NOT_FOUND');
    expect(refusalOf(await rejection(m.flags.toggle({ key, environment: 'MARS', enabled: true }))).code).toBe(
      'ENVIRONMENT_NOT_FOUND',
    );
    expect(await w.hash()).toBe(before);
  });
});

describe('flags.setEnvironment: fences', () => {
  it('req. 9: changing a rollout group id needs confirmGroupIdChange; the audit records old and new', async () => {
    const { key } = await w.fx.flag();
    const m = w.as('maintainer');
    await m.flags.setEnvironment({ key, environment: 'PRO', enabled: true, strategies: [rollout(10)] });
    const before = await w.hash();
    const refused = refusalOf(
      await rejection(
        m.flags.setEnvironment({
          key,
          environment: 'PRO',
          strategies: [rollout(10, { groupId: 'reshuffle' })],
        }),
      ),
    );
    expect(refused).toMatchObject({ code: 'FLAG_GROUP_ID_CHANGE_UNCONFIRMED', path: 'strategies.0.groupId' });
    expect(refused.message).toContain(`"${key}" to "reshuffle"`);
    expect(await w.hash()).toBe(before);
    // Raising the percentage with the same (default) group id needs no confirmation.
    await m.flags.setEnvironment({ key, environment: 'PRO', strategies: [rollout(30, { groupId: key })] });
    const saved = await m.flags.setEnvironment({
      key,
      environment: 'PRO',
      strategies: [rollout(30, { groupId: 'reshuffle' })],
      confirmGroupIdChange: true,
    });
    expect(saved.version).toBe(4);
    const [entry] = await w.f.database.sql<{ diff: { after: { groupIdChanges: unknown } } }[]>`
      select diff from audit_log where action = 'flag.setEnvironment' and target_id = (select id::text from flags where key = ${key})
      order by id desc limit 1`;
    expect(entry!.diff.after.groupIdChanges).toEqual([{ strategy: 0, from: key, to: 'reshuffle' }]);
    // The history and the chart marker name the reshuffle, not just the unchanged percentage.
    const [change] = await w.f.database.sql<{ summary: string }[]>`
      select summary from flag_changes where flag_id = (select id from flags where key = ${key})
      order by at desc, id desc limit 1`;
    expect(change!.summary).toBe(`PRO: rollout 30 %, group id ${key} → reshuffle`);
  });

  it('a stale expectedVersion is FLAG_VERSION_CONFLICT and changes nothing; the current one saves', async () => {
    const { key } = await w.fx.flag();
    const m = w.as('maintainer');
    const first = await m.flags.setEnvironment({
      key,
      environment: 'UAT',
      enabled: true,
      expectedVersion: 1,
    });
    expect(first.version).toBe(2);
    const before = await w.hash();
    const conflict = refusalOf(
      await rejection(
        m.flags.setEnvironment({ key, environment: 'UAT', enabled: false, expectedVersion: 1 }),
      ),
    );
    expect(conflict).toMatchObject({ code: 'FLAG_VERSION_CONFLICT', path: 'expectedVersion' });
    expect(await w.hash()).toBe(before);
    const second = await m.flags.setEnvironment({
      key,
      environment: 'UAT',
      enabled: false,
      expectedVersion: 2,
    });
    expect(second).toMatchObject({ version: 3, enabled: false });
  });
});

describe('flags: RBAC', () => {
  it('a viewer (user or key) is FORBIDDEN for every write, and nothing changes', async () => {
    const { key, environment, serviceId } = await w.fx.flag();
    const archived = await w.fx.flag(true);
    const writes = (v: ReturnType<World['as']>) => [
      v.flags.create({ key: w.fx.unique('v'), type: 'boolean' }),
      v.flags.update({ key, description: 'no' }),
      v.flags.setEnvironment({ key, environment, enabled: true }),
      v.flags.toggle({ key, environment, enabled: true }),
      v.flags.kill({ key, environment }),
      v.flags.archive({ key }),
      v.flags.unarchive({ key: archived.key }),
      v.flags.delete({ key: archived.key }),
      v.flags.linkServices({ key, serviceIds: [serviceId] }),
    ];
    const before = await w.hash();
    for (const viewer of [w.as('viewer'), w.as('viewer', true)]) {
      const errors = await Promise.all(writes(viewer).map(rejection));
      expect(errors.map((e) => (e as TRPCError).code)).toEqual(Array(9).fill('FORBIDDEN'));
    }
    expect(await w.hash()).toBe(before);
    // Reads and evaluation stay open to a viewer's key.
    const key2 = w.as('viewer', true);
    expect((await key2.flags.get({ key })).key).toBe(key);
    expect((await key2.flags.evaluate({ flagKey: key, environment, defaultValue: true })).reason).toBe(
      'DISABLED',
    );
  });

  it('a maintainer may use the kill switch', async () => {
    const { key } = await w.fx.flag();
    await w.as('admin').flags.toggle({ key, environment: 'PRO', enabled: true });
    const killed = await w.as('maintainer', true).flags.kill({ key, environment: 'PRO' });
    expect(killed.enabled).toBe(false);
  });
});
