import { schema } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_LIMITS } from '../../src/limits';
import { createService } from '../../src/services/services';
import { createFixture, type Fixture } from '../fixtures';
import { auditActions, callerAs, day, refused, unique } from './helpers';

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => {
  await f?.close();
});

const maintainer = () => callerAs(f, 'maintainer');
const base = () => ({ name: unique('Launch'), startDate: day(-10), targetDate: day(50) });

async function newUser(disabled = false) {
  const [row] = await f.database.primary
    .insert(schema.users)
    .values({
      email: `${unique('u').replaceAll(' ', '-')}@test.local`,
      name: 'Pat',
      disabledAt: disabled ? new Date() : null,
    })
    .returning();
  return row!.id;
}

async function newService() {
  const row = await createService(f.ctx(f.user('maintainer')), {
    name: unique('Svc'),
    tier: 'standard',
    tags: [],
    isPublic: false,
  });
  return row.id;
}

describe('projects CRUD (issue 17 point 1)', () => {
  it('creates with spec D defaults, lists with the owner name, gets, updates the settings', async () => {
    const api = maintainer();
    const owner = await newUser();
    const p = await api.projects.create({ ...base(), ownerUserId: owner, description: 'Ship it.' });
    expect(p).toMatchObject({ defaultEstimate: 1, riskGapPercent: 20, stallDays: 14, archivedAt: null });

    const listed = (await callerAs(f, 'viewer').projects.list()).find((x) => x.id === p.id);
    expect(listed).toMatchObject({ ownerUserId: owner, ownerName: 'Pat' });

    const updated = await api.projects.update({
      id: p.id,
      project: { defaultEstimate: 3, riskGapPercent: 30, stallDays: 7, targetDate: null, description: null },
    });
    expect(updated).toMatchObject({ defaultEstimate: 3, riskGapPercent: 30, stallDays: 7, targetDate: null });
    expect(updated.name).toBe(p.name);

    const got = await callerAs(f, 'viewer').projects.get({ id: p.id });
    expect(got).toMatchObject({ id: p.id, ownerName: 'Pat', members: [], services: [], subscribed: false });
    expect(await auditActions(f, p.id)).toEqual(['project.create', 'project.update']);
  });

  it('archive hides from the default list, unarchive brings it back, both audited once', async () => {
    const api = maintainer();
    const p = await api.projects.create(base());
    await api.projects.archive({ id: p.id });
    await api.projects.archive({ id: p.id });
    expect((await api.projects.list()).some((x) => x.id === p.id)).toBe(false);
    expect((await api.projects.list({ includeArchived: true })).some((x) => x.id === p.id)).toBe(true);
    await api.projects.unarchive({ id: p.id });
    expect((await api.projects.list()).some((x) => x.id === p.id)).toBe(true);
    expect(await auditActions(f, p.id)).toEqual(['project.create', 'project.archive', 'project.unarchive']);
  });

  it('delete is admin only and audits the row as it was', async () => {
    const p = await maintainer().projects.create(base());
    expect((await refused(maintainer().projects.delete({ id: p.id }))).code).toBe('FORBIDDEN');
    await callerAs(f, 'admin').projects.delete({ id: p.id });
    expect((await refused(maintainer().projects.get({ id: p.id }))).code).toBe('NOT_FOUND');
    expect(await auditActions(f, p.id)).toEqual(['project.create', 'project.delete']);
  });
});

describe('projects: coded errors and bad input', () => {
  it('of two creates racing past the name check, the loser gets PROJECT_NAME_TAKEN at name, not a bare CONFLICT', async () => {
    const name = unique('Race');
    const sql = f.database.sql;
    const pending = await sql.reserve();
    try {
      // The first create's row is written but not committed: the second's name check cannot see it.
      await pending`begin`;
      await pending`insert into projects (name, start_date, target_date) values (${name}, ${day(-1)}, ${day(9)})`;
      const second = refused(maintainer().projects.create({ ...base(), name }));
      // Wait until the second create is blocked on the unique index, then let the first commit.
      for (const deadline = Date.now() + 20_000; ; ) {
        if (Date.now() > deadline) throw new Error('the second create never waited on the unique index');
        const [row] = await sql`select count(*)::int as n from pg_stat_activity
          where wait_event_type = 'Lock' and query ilike 'insert into "projects"%'`;
        if (row!.n > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await pending`commit`;
      expect(await second).toMatchObject({ code: 'PROJECT_NAME_TAKEN', path: 'name' });
    } finally {
      pending.release();
    }
  });

  it('PROJECT_NAME_TAKEN case-insensitively, on create and on rename', async () => {
    const api = maintainer();
    const a = await api.projects.create(base());
    const b = await api.projects.create(base());
    const dup = await refused(api.projects.create({ ...base(), name: a.name.toUpperCase() }));
    expect(dup).toMatchObject({ code: 'PROJECT_NAME_TAKEN', path: 'name' });
    const rename = await refused(
      api.projects.update({ id: b.id, project: { name: ` ${a.name.toLowerCase()} ` } }),
    );
    expect(rename.code).toBe('PROJECT_NAME_TAKEN');
    // Renaming to its own name in another case is not a conflict.
    await api.projects.update({ id: a.id, project: { name: a.name.toUpperCase() } });
  });

  it('PROJECT_TARGET_BEFORE_START on create, and on an update of either date', async () => {
    const api = maintainer();
    const bad = await refused(api.projects.create({ ...base(), startDate: day(0), targetDate: day(-1) }));
    expect(bad).toMatchObject({ code: 'PROJECT_TARGET_BEFORE_START', path: 'targetDate' });
    const p = await api.projects.create(base());
    expect((await refused(api.projects.update({ id: p.id, project: { startDate: day(51) } }))).code).toBe(
      'PROJECT_TARGET_BEFORE_START',
    );
    expect((await refused(api.projects.update({ id: p.id, project: { targetDate: day(-11) } }))).code).toBe(
      'PROJECT_TARGET_BEFORE_START',
    );
  });

  it('MILESTONE_DUE_BEFORE_START when a later start would leave a milestone due before it', async () => {
    const api = maintainer();
    const p = await api.projects.create(base());
    await api.milestones.create({ projectId: p.id, milestone: { name: 'Alpha', dueDate: day(0) } });
    const moved = await refused(api.projects.update({ id: p.id, project: { startDate: day(1) } }));
    expect(moved).toMatchObject({ code: 'MILESTONE_DUE_BEFORE_START', path: 'startDate' });
    await api.projects.update({ id: p.id, project: { startDate: day(0) } });
  });

  it('WORK_ITEM_DUE_BEFORE_START when a later start would leave a work item due before it', async () => {
    const api = maintainer();
    const p = await api.projects.create(base());
    await api.workItems.create({ projectId: p.id, title: 'Early', dueDate: day(-2) });
    const moved = await refused(api.projects.update({ id: p.id, project: { startDate: day(-1) } }));
    expect(moved).toMatchObject({ code: 'WORK_ITEM_DUE_BEFORE_START', path: 'startDate' });
    expect((await api.projects.get({ id: p.id })).startDate).toBe(day(-10));
    await api.projects.update({ id: p.id, project: { startDate: day(-2) } });
  });

  it('PROJECT_USER_INVALID for an unknown or disabled owner or member', async () => {
    const api = maintainer();
    const disabled = await newUser(true);
    for (const ownerUserId of ['no-such-user', disabled]) {
      const r = await refused(api.projects.create({ ...base(), ownerUserId }));
      expect(r).toMatchObject({ code: 'PROJECT_USER_INVALID', path: 'ownerUserId' });
    }
    const p = await api.projects.create(base());
    const ok = await newUser();
    const r = await refused(
      api.projects.setMembers({ projectId: p.id, members: [{ userId: ok }, { userId: disabled }] }),
    );
    expect(r).toMatchObject({ code: 'PROJECT_USER_INVALID', path: 'members.1' });
    expect((await refused(api.projects.addMember({ projectId: p.id, userId: 'ghost' }))).code).toBe(
      'PROJECT_USER_INVALID',
    );
    expect((await api.projects.get({ id: p.id })).members).toEqual([]);
  });

  it('SERVICE_NOT_FOUND for an unknown linked service; nothing is linked', async () => {
    const api = maintainer();
    const p = await api.projects.create(base());
    const real = await newService();
    const r = await refused(
      api.projects.setServices({
        projectId: p.id,
        serviceIds: [real, '00000000-0000-4000-8000-000000000099'],
      }),
    );
    expect(r).toMatchObject({ code: 'SERVICE_NOT_FOUND', path: 'serviceIds.1' });
    expect((await api.projects.get({ id: p.id })).services).toEqual([]);
  });

  it('NOT_FOUND for an unknown project on every by-id call', async () => {
    const api = maintainer();
    const id = '00000000-0000-4000-8000-000000000042';
    for (const call of [
      () => api.projects.get({ id }),
      () => api.projects.update({ id, project: { stallDays: 3 } }),
      () => api.projects.archive({ id }),
      () => api.projects.setServices({ projectId: id, serviceIds: [] }),
      () => api.projects.addUpdate({ projectId: id, note: 'x' }),
      () => api.projects.listUpdates({ projectId: id }),
    ]) {
      expect((await refused(call())).code).toBe('NOT_FOUND');
    }
  });

  it('bounds: names, descriptions, settings, dates and list sizes are refused before any work', async () => {
    const api = maintainer();
    const L = PROJECT_LIMITS;
    const bad: Record<string, unknown>[] = [
      { name: '' },
      { name: 'x'.repeat(L.nameLength + 1) },
      { description: 'x'.repeat(L.descriptionLength + 1) },
      { defaultEstimate: -1 },
      { defaultEstimate: L.defaultEstimate.max + 1 },
      { riskGapPercent: 101 },
      { stallDays: 0 },
      { stallDays: 366 },
      { stallDays: 1.5 },
      { startDate: '2026-02-30' },
      { startDate: 'yesterday' },
      { targetDate: '2026-13-01' },
    ];
    for (const over of bad) {
      const r = await refused(api.projects.create({ ...base(), ...over } as never));
      expect(r.code, JSON.stringify(over)).toBe('VALIDATION_FAILED');
    }
    const p = await api.projects.create(base());
    const many = Array.from({ length: L.members + 1 }, (_, i) => ({ userId: `u${i}` }));
    expect((await refused(api.projects.setMembers({ projectId: p.id, members: many }))).code).toBe(
      'VALIDATION_FAILED',
    );
    const twice = await refused(
      api.projects.setMembers({ projectId: p.id, members: [{ userId: 'a' }, { userId: 'a' }] }),
    );
    expect(twice.code).toBe('VALIDATION_FAILED');
    const note = 'x'.repeat(L.noteLength + 1);
    expect((await refused(api.projects.addUpdate({ projectId: p.id, note }))).code).toBe('VALIDATION_FAILED');
    expect((await refused(api.projects.addUpdate({ projectId: p.id, note: '  ' }))).code).toBe(
      'VALIDATION_FAILED',
    );
    const health = await refused(
      api.projects.addUpdate({ projectId: p.id, note: 'n', health: 'fine' as never }),
    );
    expect(health.code).toBe('VALIDATION_FAILED');
  });
});

describe('projects: members, services, subscribers, updates', () => {
  it('setMembers replaces, addMember adds or changes the digest flag, removeMember removes; all audited', async () => {
    const api = maintainer();
    const p = await api.projects.create(base());
    const [a, b] = [await newUser(), await newUser()];
    await api.projects.setMembers({ projectId: p.id, members: [{ userId: a, digest: false }] });
    await api.projects.addMember({ projectId: p.id, userId: b });
    await api.projects.addMember({ projectId: p.id, userId: a, digest: true });
    const members = (await api.projects.get({ id: p.id })).members;
    expect(members.every((m) => m.name === 'Pat')).toBe(true);
    expect(members.map((m) => [m.userId, m.digest]).sort()).toEqual(
      [
        [a, true],
        [b, true],
      ].sort(),
    );
    await api.projects.removeMember({ projectId: p.id, userId: a });
    expect((await refused(api.projects.removeMember({ projectId: p.id, userId: a }))).code).toBe('NOT_FOUND');
    expect((await api.projects.get({ id: p.id })).members.map((m) => m.userId)).toEqual([b]);
    expect(await auditActions(f, p.id)).toEqual([
      'project.create',
      'project.members',
      'project.member_add',
      'project.member_add',
      'project.member_remove',
    ]);
  });

  it('setServices links existing services and replaces the set', async () => {
    const api = maintainer();
    const p = await api.projects.create(base());
    const [s1, s2] = [await newService(), await newService()];
    await api.projects.setServices({ projectId: p.id, serviceIds: [s1, s2] });
    await api.projects.setServices({ projectId: p.id, serviceIds: [s2] });
    expect((await api.projects.get({ id: p.id })).services.map((s) => s.id)).toEqual([s2]);
    expect(await auditActions(f, p.id)).toEqual(['project.create', 'project.services', 'project.services']);
  });

  it('a viewer subscribes and unsubscribes themselves to the digest; repeats are no-ops', async () => {
    const p = await maintainer().projects.create(base());
    const viewer = callerAs(f, 'viewer');
    await viewer.projects.subscribe({ projectId: p.id });
    await viewer.projects.subscribe({ projectId: p.id });
    expect((await viewer.projects.get({ id: p.id })).subscribed).toBe(true);
    expect((await maintainer().projects.get({ id: p.id })).subscribed).toBe(false);
    await viewer.projects.unsubscribe({ projectId: p.id });
    await viewer.projects.unsubscribe({ projectId: p.id });
    expect((await viewer.projects.get({ id: p.id })).subscribed).toBe(false);
    expect(await auditActions(f, p.id)).toEqual([
      'project.create',
      'project.subscribe',
      'project.unsubscribe',
    ]);
    const key = await refused(
      (await import('../../src/root')).appRouter
        .createCaller(f.ctx(f.apiKey('viewer')))
        .projects.subscribe({ projectId: p.id }),
    );
    expect(key.code).toBe('FORBIDDEN');
  });

  it("addUpdate keeps the owner's dated note and stated health; listUpdates is newest first", async () => {
    const api = maintainer();
    const p = await api.projects.create(base());
    await api.projects.addUpdate({ projectId: p.id, note: 'Kick-off done.', health: 'on_track' });
    await api.projects.addUpdate({ projectId: p.id, note: 'Vendor late.', health: 'at_risk' });
    await api.projects.addUpdate({ projectId: p.id, note: 'No change.' });
    const list = await callerAs(f, 'viewer').projects.listUpdates({ projectId: p.id });
    expect(list.map((u) => [u.note, u.health])).toEqual([
      ['No change.', null],
      ['Vendor late.', 'at_risk'],
      ['Kick-off done.', 'on_track'],
    ]);
    expect(list[0]).toMatchObject({
      authorUserId: f.users.maintainer.id,
      authorName: 'maintainer@test.local',
    });
    expect(list[0]!.createdAt).toBeInstanceOf(Date);
    expect((await callerAs(f, 'viewer').projects.listUpdates({ projectId: p.id, limit: 1 })).length).toBe(1);
    expect(await auditActions(f, p.id)).toEqual([
      'project.create',
      'project.note',
      'project.note',
      'project.note',
    ]);
  });
});
