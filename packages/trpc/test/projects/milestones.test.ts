import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_LIMITS } from '../../src/limits';
import { createFixture, type Fixture } from '../fixtures';
import { auditActions, callerAs, day, refused, unique } from './helpers';

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => {
  await f?.close();
});

const api = () => callerAs(f, 'maintainer');
const project = () =>
  api().projects.create({ name: unique('Plan'), startDate: day(-5), targetDate: day(90) });

describe('milestones (issue 17 point 1)', () => {
  it('creates in order, lists by position, updates, reorders and deletes, each audited', async () => {
    const p = await project();
    const names = ['Alpha', 'Beta', 'GA'];
    const made = [];
    for (const [i, name] of names.entries()) {
      made.push(
        await api().milestones.create({ projectId: p.id, milestone: { name, dueDate: day(10 * (i + 1)) } }),
      );
    }
    expect(made.map((m) => m.position)).toEqual([0, 1, 2]);
    const viewer = callerAs(f, 'viewer');
    expect((await viewer.milestones.list({ projectId: p.id })).map((m) => m.name)).toEqual(names);

    const [a, b, c] = made as [(typeof made)[0], (typeof made)[0], (typeof made)[0]];
    const renamed = await api().milestones.update({
      id: b.id,
      milestone: { name: 'Beta 2', description: 'Wider.' },
    });
    expect(renamed).toMatchObject({ name: 'Beta 2', description: 'Wider.', dueDate: b.dueDate });

    const order = await api().milestones.reorder({ projectId: p.id, ids: [c.id, a.id, b.id] });
    expect(order.map((m) => [m.name, m.position])).toEqual([
      ['GA', 0],
      ['Alpha', 1],
      ['Beta 2', 2],
    ]);
    await api().milestones.delete({ id: a.id });
    expect((await viewer.milestones.list({ projectId: p.id })).map((m) => m.name)).toEqual(['GA', 'Beta 2']);
    // Appending after a reorder and a delete goes after the last position.
    const d = await api().milestones.create({ projectId: p.id, milestone: { name: 'Later' } });
    expect((await viewer.milestones.list({ projectId: p.id })).at(-1)!.id).toBe(d.id);

    expect(await auditActions(f, b.id)).toEqual(['milestone.create', 'milestone.update']);
    expect(await auditActions(f, a.id)).toEqual(['milestone.create', 'milestone.delete']);
    expect((await auditActions(f, p.id)).filter((x) => x.startsWith('milestone.'))).toEqual([
      'milestone.reorder',
    ]);
  });

  it('MILESTONE_DUE_BEFORE_START on create and update; the start day itself is allowed', async () => {
    const p = await project();
    const early = await refused(
      api().milestones.create({ projectId: p.id, milestone: { name: 'Early', dueDate: day(-6) } }),
    );
    expect(early).toMatchObject({ code: 'MILESTONE_DUE_BEFORE_START', path: 'dueDate' });
    const m = await api().milestones.create({
      projectId: p.id,
      milestone: { name: 'On start', dueDate: day(-5) },
    });
    const moved = await refused(api().milestones.update({ id: m.id, milestone: { dueDate: day(-30) } }));
    expect(moved.code).toBe('MILESTONE_DUE_BEFORE_START');
    expect((await api().milestones.list({ projectId: p.id })).map((x) => x.dueDate)).toEqual([day(-5)]);
  });

  it('MILESTONE_NAME_TAKEN case-insensitively within a project only', async () => {
    const [p, q] = [await project(), await project()];
    const a = await api().milestones.create({ projectId: p.id, milestone: { name: 'Launch' } });
    const b = await api().milestones.create({ projectId: p.id, milestone: { name: 'Polish' } });
    await api().milestones.create({ projectId: q.id, milestone: { name: 'LAUNCH' } });
    const dup = await refused(api().milestones.create({ projectId: p.id, milestone: { name: 'launch' } }));
    expect(dup).toMatchObject({ code: 'MILESTONE_NAME_TAKEN', path: 'name' });
    expect((await refused(api().milestones.update({ id: b.id, milestone: { name: 'LAUNCH' } }))).code).toBe(
      'MILESTONE_NAME_TAKEN',
    );
    await api().milestones.update({ id: a.id, milestone: { name: 'launch' } });
  });

  it('MILESTONE_ORDER_MISMATCH unless the reorder names each milestone exactly once', async () => {
    const [p, q] = [await project(), await project()];
    const a = await api().milestones.create({ projectId: p.id, milestone: { name: 'A' } });
    const b = await api().milestones.create({ projectId: p.id, milestone: { name: 'B' } });
    const other = await api().milestones.create({ projectId: q.id, milestone: { name: 'X' } });
    for (const ids of [[a.id], [a.id, other.id], [a.id, b.id, other.id]]) {
      const r = await refused(api().milestones.reorder({ projectId: p.id, ids }));
      expect(r.code, ids.join()).toBe('MILESTONE_ORDER_MISMATCH');
    }
    expect((await refused(api().milestones.reorder({ projectId: p.id, ids: [a.id, a.id] }))).code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await api().milestones.list({ projectId: p.id })).map((m) => m.id)).toEqual([a.id, b.id]);
  });

  it('MILESTONE_LIMIT at PROJECT_LIMITS.milestones, NOT_FOUND for unknown ids, bounds on input', async () => {
    const p = await project();
    await f.database.sql`
      insert into milestones (project_id, name, position)
      select ${p.id}, 'm' || g, g from generate_series(1, ${PROJECT_LIMITS.milestones}) g`;
    expect(
      (await refused(api().milestones.create({ projectId: p.id, milestone: { name: 'one more' } }))).code,
    ).toBe('MILESTONE_LIMIT');
    const none = '00000000-0000-4000-8000-000000000077';
    expect((await refused(api().milestones.list({ projectId: none }))).code).toBe('NOT_FOUND');
    expect((await refused(api().milestones.create({ projectId: none, milestone: { name: 'x' } }))).code).toBe(
      'NOT_FOUND',
    );
    expect((await refused(api().milestones.update({ id: none, milestone: { name: 'x' } }))).code).toBe(
      'NOT_FOUND',
    );
    expect((await refused(api().milestones.delete({ id: none }))).code).toBe('NOT_FOUND');
    const q = await project();
    for (const milestone of [
      { name: '' },
      { name: 'x'.repeat(PROJECT_LIMITS.nameLength + 1) },
      { name: 'ok', description: 'x'.repeat(PROJECT_LIMITS.descriptionLength + 1) },
      { name: 'ok', dueDate: '2026-02-31' },
    ]) {
      expect((await refused(api().milestones.create({ projectId: q.id, milestone }))).code).toBe(
        'VALIDATION_FAILED',
      );
    }
    const tooMany = Array.from({ length: PROJECT_LIMITS.milestones + 1 }, () => crypto.randomUUID());
    expect((await refused(api().milestones.reorder({ projectId: q.id, ids: tooMany }))).code).toBe(
      'VALIDATION_FAILED',
    );
  });
});
