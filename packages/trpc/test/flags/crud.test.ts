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

async function auditOf(targetId: string) {
  return w.f.database.sql<{ action: string; before: unknown; after: unknown; actor_label: string }[]>`
    select action, diff->'before' as before, diff->'after' as after, actor_label from audit_log where target_id = ${targetId} order by id`;
}
async function changesOf(flagId: string) {
  const rows = await w.f.database.sql<{ summary: string; environment_id: string | null }[]>`
    select summary, environment_id from flag_changes where flag_id = ${flagId} order by at, id`;
  return rows.map((r) => r.summary);
}

describe('flags: create, read, update, archive, delete', () => {
  it('create makes a disabled row per environment, links services, audits and records the change', async () => {
    const service = await w.fx.service();
    const m = w.as('maintainer');
    const flag = await m.flags.create({
      key: 'checkout.new-flow',
      type: 'boolean',
      description: 'New checkout',
      owner: w.f.users.maintainer.id,
      tags: ['checkout'],
      staleAfterDays: 14,
      serviceIds: [service.id],
    });
    const got = await m.flags.get({ key: 'checkout.new-flow' });
    expect(got.environments.map((e) => [e.environment, e.enabled, e.version])).toEqual([
      ['DEV', false, 1],
      ['FAT', false, 1],
      ['UAT', false, 1],
      ['PRO', false, 1],
    ]);
    expect(got.services.map((s) => s.id)).toEqual([service.id]);
    expect(got.lifecycle).toBe('active');
    expect(got.owner).toBe(w.f.users.maintainer.id);
    const audit = await auditOf(flag.id);
    expect(audit.map((a) => a.action)).toEqual(['flag.create']);
    expect(audit[0]!.actor_label).toBe('maintainer@test.local');
    expect(await changesOf(flag.id)).toEqual(['created (boolean)']);
    const again = refusalOf(await rejection(m.flags.create({ key: 'checkout.new-flow', type: 'string' })));
    expect(again.code).toBe('FLAG_KEY_TAKEN');
  });

  it("a key breaking flagConfigSchema's key rule, an unknown owner or service is refused, nothing made", async () => {
    const m = w.as('maintainer');
    const before = await w.hash();
    await expect(m.flags.create({ key: 'has space', type: 'boolean' })).rejects.toThrow(/letters, digits/);
    const owner = refusalOf(await rejection(m.flags.create({ key: 'o1', type: 'boolean', owner: 'nobody' })));
    expect(owner).toMatchObject({ code: 'VALIDATION_FAILED', path: 'owner' });
    const svc = refusalOf(
      await rejection(
        m.flags.create({ key: 'o2', type: 'boolean', serviceIds: ['00000000-0000-4000-8000-000000000009'] }),
      ),
    );
    expect(svc.code).toBe('SERVICE_NOT_FOUND');
    expect(await w.hash()).toBe(before);
  });

  it('setEnvironment, toggle and kill bump the version, summarise the change in one line and audit it', async () => {
    const m = w.as('admin');
    const { key } = await w.fx.flag();
    const flag = await m.flags.get({ key });
    const uat = await m.flags.setEnvironment({
      key,
      environment: 'uat',
      enabled: true,
      strategies: [{ type: 'gradualRollout', percentage: 20 }],
    });
    expect(uat).toMatchObject({ environment: 'UAT', enabled: true, version: 2 });
    await m.flags.toggle({ key, environment: 'PRO', enabled: true });
    const killed = await m.flags.kill({ key, environment: 'PRO' });
    expect(killed).toMatchObject({ enabled: false, version: 3 });
    expect(await changesOf(flag.id)).toEqual([
      'created (boolean)',
      'UAT: enabled, rollout 20 %',
      'PRO: enabled',
      'PRO: kill switch',
    ]);
    const audit = await auditOf(flag.id);
    expect(audit.map((a) => a.action)).toEqual([
      'flag.create',
      'flag.setEnvironment',
      'flag.toggle',
      'flag.kill',
    ]);
    // The trail keeps the changed fields only.
    expect(audit[1]).toMatchObject({
      before: { version: 1, enabled: false },
      after: { version: 2, enabled: true },
    });
    // Nothing in a flag is a secret: the trail shows it whole (the key as `flag`).
    expect(JSON.stringify(audit)).not.toMatch(/redacted/);
    expect(audit[0]!.after).toMatchObject({ flag: key });
    const list = await w.as('viewer').flags.list({ search: key });
    expect(list).toHaveLength(1);
    expect(list[0]!.environments.find((e) => e.environment === 'UAT')).toEqual({
      environment: 'UAT',
      enabled: true,
      version: 2,
    });
  });

  it('update changes metadata only; archive hides the flag from the list and bumps every environment', async () => {
    const m = w.as('maintainer');
    const { key } = await w.fx.flag();
    const updated = await m.flags.update({ key, description: 'now described', tags: ['x', 'y'] });
    expect(updated).toMatchObject({ key, type: 'boolean', description: 'now described', tags: ['x', 'y'] });
    expect(await m.flags.list({ tag: 'y', search: key })).toHaveLength(1);
    // An update naming no field is a coded refusal, not a failed empty UPDATE (found by the API's fuzz walk).
    await expect(m.flags.update({ key })).rejects.toThrow(/at least one field/);
    const deleting = refusalOf(await rejection(m.flags.delete({ key })));
    expect(deleting.code).toBe('FLAG_NOT_ARCHIVED');
    await m.flags.archive({ key });
    expect(await m.flags.list({ search: key })).toHaveLength(0);
    const archived = await m.flags.list({ archived: true, search: key });
    expect(archived.map((f) => [f.key, f.lifecycle])).toEqual([[key, 'archived']]);
    expect((await m.flags.get({ key })).environments.every((e) => e.version === 2)).toBe(true);
    // An archived flag is read-only: every change is FLAG_ARCHIVED and writes nothing, until unarchive.
    const service = await w.fx.service();
    const frozen = await w.hash();
    const changes = {
      update: () => m.flags.update({ key, description: 'while archived' }),
      toggle: () => m.flags.toggle({ key, environment: 'UAT', enabled: false }),
      kill: () => m.flags.kill({ key, environment: 'PRO' }),
      setEnvironment: () =>
        m.flags.setEnvironment({ key, environment: 'UAT', enabled: true, strategies: [{ type: 'default' }] }),
      linkServices: () => m.flags.linkServices({ key, serviceIds: [service.id] }),
    };
    for (const [name, change] of Object.entries(changes)) {
      expect(refusalOf(await rejection(change())).code, name).toBe('FLAG_ARCHIVED');
    }
    expect(await w.hash()).toBe(frozen);
    await m.flags.unarchive({ key });
    expect(await m.flags.list({ search: key })).toHaveLength(1);
    await m.flags.update({ key, description: 'unarchived, so it changes again' });
    await m.flags.archive({ key });
    const { id } = await m.flags.get({ key });
    await m.flags.delete({ key });
    expect(refusalOf(await rejection(m.flags.get({ key }))).code).toBe('FLAG_NOT_FOUND');
    const actions = (await auditOf(id)).map((a) => a.action);
    expect(actions).toEqual([
      'flag.create',
      'flag.update',
      'flag.archive',
      'flag.unarchive',
      'flag.update',
      'flag.archive',
      'flag.delete',
    ]);
  });

  it('linkServices replaces the linked set and audits old and new', async () => {
    const m = w.as('maintainer');
    const { key, serviceId } = await w.fx.flag();
    const other = await w.fx.service();
    await m.flags.linkServices({ key, serviceIds: [other.id, other.id] });
    const got = await m.flags.get({ key });
    expect(got.services.map((s) => s.id)).toEqual([other.id]);
    const audit = await auditOf(got.id);
    expect(audit.at(-1)).toMatchObject({
      action: 'flag.linkServices',
      before: { serviceIds: [serviceId] },
      after: { serviceIds: [other.id] },
    });
  });
});

describe('flags: stale report and change markers', () => {
  it('a flag neither changed nor evaluated for staleAfterDays is stale; evaluated recently it is active', async () => {
    const { key: idle } = await w.fx.flag();
    const { key: used } = await w.fx.flag();
    const old = new Date(Date.now() - 40 * 86_400_000);
    const { sql } = w.f.database;
    // Ageing rows directly: the clock of a test cannot wait 30 days.
    await sql`update flags set last_changed_at = ${old}
      where key in (${idle}, ${used})`;
    await sql`update flags set last_evaluated_at = now() where key = ${used}`;
    const report = await w.as('viewer').flags.staleReport();
    const keys = report.map((r) => r.key);
    expect(keys).toContain(idle);
    expect(keys).not.toContain(used);
    expect(report.find((r) => r.key === idle)).toMatchObject({ lifecycle: 'stale', idleDays: 40 });
    const listed = await w.as('viewer').flags.list({ search: used });
    expect(listed[0]!.lifecycle).toBe('active');
  });

  it("changes answers the markers of a service's linked flags in the range, with the count", async () => {
    const m = w.as('maintainer');
    const { key, serviceId } = await w.fx.flag();
    await m.flags.toggle({ key, environment: 'UAT', enabled: true });
    const from = new Date(Date.now() - 3_600_000);
    const to = new Date(Date.now() + 60_000);
    const res = await w.as('viewer').flags.changes({ serviceId, from, to });
    expect(res.count).toBe(2);
    expect(res.changes.map((c) => [c.flagKey, c.environment, c.summary])).toEqual([
      [key, 'UAT', 'UAT: enabled'],
      [key, null, 'created (boolean)'],
    ]);
    const byKey = await w.as('viewer').flags.changes({ flagKey: key, from, to });
    expect(byKey.count).toBe(2);
    const before = await w
      .as('viewer')
      .flags.changes({ serviceId, from: new Date(from.getTime() - 7_200_000), to: from });
    expect(before.count).toBe(0);
  });

  it('a range over 90 days or ending before it starts is refused', async () => {
    const v = w.as('viewer');
    const to = new Date();
    const wide = refusalOf(
      await rejection(v.flags.changes({ from: new Date(to.getTime() - 91 * 86_400_000), to })),
    );
    expect(wide).toMatchObject({ code: 'VALIDATION_FAILED', path: 'to' });
    const backwards = refusalOf(
      await rejection(v.flags.changes({ from: to, to: new Date(to.getTime() - 1) })),
    );
    expect(backwards.path).toBe('to');
    const ninety = await v.flags.changes({ from: new Date(to.getTime() - 90 * 86_400_000), to });
    expect(ninety.count).toBeGreaterThan(0);
  });
});
