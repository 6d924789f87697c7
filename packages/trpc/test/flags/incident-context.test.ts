import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOARD_LIMITS, FLAG_LIMITS } from '../../src/limits';
import { refusalOf } from '../fixtures';
import { createWorld, rejection, type World } from './world';

// Issue 18 points 1 and 3: a flag change is a marker on its services' charts; an incident or alert of a linked
// service shows the flags' production state, the change before it started, and the kill switch.

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w?.close();
});

const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR);

/** Moves every change of `key` whose summary is `summary` to `at`: the tests' clock. */
async function dateChange(key: string, summary: string, at: Date) {
  const moved = await w.f.database.sql`
    update flag_changes c set at = ${at} from flags f
    where f.id = c.flag_id and f.key = ${key} and c.summary = ${summary} returning 1`;
  expect(moved.length).toBeGreaterThan(0);
}

async function slugOf(serviceId: string) {
  const [row] = await w.f.database.sql<{ slug: string }[]>`select slug from services where id = ${serviceId}`;
  return row!.slug;
}

describe('flags.forServices: the incident card (issue 18 point 3)', () => {
  it('answers the linked flags of services named by id or slug, PRO state only, unknown services skipped', async () => {
    const m = w.as('maintainer');
    const a = await w.fx.flag();
    const b = await w.fx.flag();
    const unrelated = await w.fx.flag();
    await m.flags.toggle({ key: a.key, environment: 'PRO', enabled: true });
    await m.flags.toggle({ key: a.key, environment: 'UAT', enabled: true });
    const slugB = await slugOf(b.serviceId);
    const res = await w.as('viewer').flags.forServices({ services: [a.serviceId, slugB, 'no-such-service'] });
    expect(res.truncated).toBe(false);
    expect(res.flags.map((f) => f.key)).toEqual([a.key, b.key].sort());
    expect(res.flags.map((f) => f.key)).not.toContain(unrelated.key);
    const first = res.flags.find((f) => f.key === a.key)!;
    expect(first).toMatchObject({ type: 'boolean', lifecycle: 'active', lastChange: null });
    expect(first.services.map((s) => s.id)).toEqual([a.serviceId]);
    expect(first.environments.map((e) => [e.environment, e.enabled, e.version])).toEqual([['PRO', true, 2]]);
    expect(first.environments[0]!.updatedAt).toBeInstanceOf(Date);
    const second = res.flags.find((f) => f.key === b.key)!;
    expect(second.services[0]!.slug).toBe(slugB);
    expect(second.environments.map((e) => [e.environment, e.enabled])).toEqual([['PRO', false]]);
    expect((await w.as('viewer').flags.forServices({ services: ['no-such-service'] })).flags).toEqual([]);
  });

  it('names the last change at or before the start, not a later one, nor one over 90 days older', async () => {
    const m = w.as('maintainer');
    const { key, serviceId } = await w.fx.flag();
    await m.flags.toggle({ key, environment: 'PRO', enabled: true });
    await m.flags.setEnvironment({
      key,
      environment: 'PRO',
      strategies: [{ type: 'gradualRollout', percentage: 20 }],
    });
    await dateChange(key, 'created (boolean)', ago(100 * 24));
    const enabledAt = ago(3);
    await dateChange(key, 'PRO: enabled', enabledAt);
    await dateChange(key, 'PRO: rollout 20 %', ago(1));
    const v = w.as('viewer');
    const at = async (before: Date) =>
      (await v.flags.forServices({ services: [serviceId], before })).flags[0]!.lastChange;
    const flipped = await at(ago(2));
    expect(flipped).toMatchObject({ environment: 'PRO', summary: 'PRO: enabled' });
    expect(flipped!.at.getTime()).toBe(enabledAt.getTime());
    expect(await at(new Date())).toMatchObject({ summary: 'PRO: rollout 20 %' });
    // Created 100 days ago: outside the 90 days looked back from 5 days ago.
    expect(await at(ago(5 * 24))).toBeNull();
    expect(await at(ago(99 * 24))).toMatchObject({ environment: null, summary: 'created (boolean)' });
  });

  it('leaves archived flags out and says when the services have more flags than it answers', async () => {
    const archived = await w.fx.flag(true);
    expect((await w.as('viewer').flags.forServices({ services: [archived.serviceId] })).flags).toEqual([]);
    const service = await w.fx.service();
    const n = FLAG_LIMITS.serviceFlagsRows + 1;
    await w.f.database.sql`
      with made as (
        insert into flags (key, type) select 'many.' || lpad(i::text, 3, '0'), 'boolean'
        from generate_series(1, ${n}) i returning id)
      insert into flag_services (flag_id, service_id) select id, ${service.id} from made`;
    const res = await w.as('viewer').flags.forServices({ services: [service.slug] });
    expect(res.truncated).toBe(true);
    expect(res.flags).toHaveLength(FLAG_LIMITS.serviceFlagsRows);
    expect(res.flags[0]!.key).toBe('many.001');
  });

  it('the kill switch turns the flag off in PRO and the card reads it with the kill as the last change', async () => {
    const m = w.as('maintainer');
    const { key, serviceId } = await w.fx.flag();
    await m.flags.toggle({ key, environment: 'PRO', enabled: true });
    const before = await w.hash();
    const refused = refusalOf(await rejection(w.as('viewer').flags.kill({ key, environment: 'PRO' })));
    expect(refused.code).toBe('FORBIDDEN');
    expect(await w.hash()).toBe(before);
    await m.flags.kill({ key, environment: 'PRO' });
    const [flag] = (await w.as('viewer').flags.forServices({ services: [serviceId], before: new Date() }))
      .flags;
    expect(flag!.environments.map((e) => [e.environment, e.enabled, e.version])).toEqual([['PRO', false, 3]]);
    expect(flag!.lastChange).toMatchObject({ environment: 'PRO', summary: 'PRO: kill switch' });
  });

  it('refuses an empty or too long service list and an overlong service ref before any work', async () => {
    const v = w.as('viewer');
    const empty = refusalOf(await rejection(v.flags.forServices({ services: [] })));
    expect(empty).toMatchObject({ code: 'VALIDATION_FAILED', path: 'services' });
    const many = Array.from({ length: FLAG_LIMITS.serviceRefs + 1 }, (_, i) => `svc-${i}`);
    const tooMany = refusalOf(await rejection(v.flags.forServices({ services: many })));
    expect(tooMany).toMatchObject({ code: 'VALIDATION_FAILED', path: 'services' });
    const long = refusalOf(await rejection(v.flags.forServices({ services: ['s'.repeat(101)] })));
    expect(long).toMatchObject({ code: 'VALIDATION_FAILED', path: 'services.0' });
    const badDate = refusalOf(
      await rejection(v.flags.forServices({ services: ['x'], before: new Date('nope') })),
    );
    expect(badDate.path).toBe('before');
  });
});

describe('deployments.markers carries the linked flags’ changes (issue 18 point 1)', () => {
  it('oldest first, of the service’s flags only; one environment keeps its changes and the flags’ own', async () => {
    const m = w.as('maintainer');
    const { key, serviceId } = await w.fx.flag();
    const other = await w.fx.flag();
    await m.flags.toggle({ key, environment: 'UAT', enabled: true });
    await m.flags.kill({ key, environment: 'PRO' });
    await m.flags.toggle({ key: other.key, environment: 'PRO', enabled: true });
    await dateChange(key, 'created (boolean)', ago(3));
    await dateChange(key, 'UAT: enabled', ago(2));
    await dateChange(key, 'PRO: kill switch', ago(1));
    const service = await slugOf(serviceId);
    const v = w.as('viewer');
    const all = await v.deployments.markers({ service, from: ago(4), to: new Date() });
    expect(all.items).toEqual([]);
    expect(all.flags.truncated).toBe(false);
    expect(all.flags.items.map((c) => [c.flagKey, c.environment, c.summary])).toEqual([
      [key, null, 'created (boolean)'],
      [key, 'UAT', 'UAT: enabled'],
      [key, 'PRO', 'PRO: kill switch'],
    ]);
    const pro = await v.deployments.markers({ service, environment: 'pro', from: ago(4), to: new Date() });
    expect(pro.flags.items.map((c) => c.summary)).toEqual(['created (boolean)', 'PRO: kill switch']);
    const earlier = await v.deployments.markers({ service, from: ago(10), to: ago(2.5) });
    expect(earlier.flags.items.map((c) => c.summary)).toEqual(['created (boolean)']);
  });

  it('keeps the newest BOARD_LIMITS.markers flag changes of a range and says so', async () => {
    const { key, serviceId } = await w.fx.flag();
    await w.f.database.sql`
      insert into flag_changes (flag_id, summary, at)
      select f.id, 'change ' || i, now() - make_interval(mins => i) from flags f, generate_series(1, ${BOARD_LIMITS.markers + 1}) i
      where f.key = ${key}`;
    const m = await w
      .as('viewer')
      .deployments.markers({ service: await slugOf(serviceId), from: ago(24), to: new Date() });
    expect(m.flags.truncated).toBe(true);
    expect(m.flags.items).toHaveLength(BOARD_LIMITS.markers);
    // The oldest change left out: "created" (now) is the newest, then change 1 … change 199.
    expect(m.flags.items[0]!.summary).toBe(`change ${BOARD_LIMITS.markers - 1}`);
    expect(m.flags.items.at(-1)!.summary).toBe('created (boolean)');
  });
});
