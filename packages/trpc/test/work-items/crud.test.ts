import { and, eq, schema } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORK_ITEM_LIMITS } from '../../src/limits';
import { completeItemsOfRelease } from '../../src/services/projects/work-items';
import { type ItemsWorld, itemsWorld, refusal } from './world';

let w: ItemsWorld;
beforeAll(async () => {
  w = await itemsWorld();
});
afterAll(async () => {
  await w?.f.close();
});

const base = { title: 'Ship the login page', estimate: 5 };

describe('workItems CRUD (issue 17 point 1)', () => {
  it('creates, reads, updates and deletes an item, each write audited in its transaction', async () => {
    const m = w.caller('maintainer');
    const p = await w.project();
    const before = await w.auditCount();
    const item = await m.workItems.create({
      ...base,
      projectId: p.id,
      milestoneId: p.milestoneId,
      assigneeUserId: w.f.users.viewer.id,
      labels: ['ui', 'ui', 'auth'],
    });
    expect(item).toMatchObject({ status: 'todo', estimate: 5, closedAt: null, labels: ['ui', 'auth'] });
    expect((await m.workItems.get({ id: item.id })).title).toBe(base.title);
    const done = await m.workItems.update({ id: item.id, patch: { status: 'done', estimate: null } });
    expect(done.status).toBe('done');
    expect(done.estimate).toBeNull();
    expect(done.closedAt).toBeInstanceOf(Date);
    // Staying done keeps when it became done; another change does not move it.
    const renamed = await m.workItems.update({ id: item.id, patch: { title: 'Renamed' } });
    expect(renamed.closedAt).toEqual(done.closedAt);
    // Fields left out of a patch keep their values (no defaults applied).
    expect(renamed).toMatchObject({ labels: ['ui', 'auth'], milestoneId: p.milestoneId, estimate: null });
    const reopened = await m.workItems.update({ id: item.id, patch: { status: 'in_progress' } });
    expect(reopened.closedAt).toBeNull();
    await m.workItems.delete({ id: item.id });
    expect(await w.itemCount(p.id)).toBe(0);
    const actions = await w.db
      .select({ action: schema.auditLog.action })
      .from(schema.auditLog)
      .where(eq(schema.auditLog.targetId, item.id));
    expect(actions.map((a) => a.action).sort()).toEqual([
      'workItem.create',
      'workItem.delete',
      'workItem.update',
      'workItem.update',
      'workItem.update',
    ]);
    expect((await w.auditCount()) - before).toBe(5);
  });

  it('lists by project with status, milestone, assignee and label filters, paged', async () => {
    const m = w.caller('maintainer');
    const p = await w.project();
    for (let i = 0; i < 5; i++)
      await m.workItems.create({
        projectId: p.id,
        title: `Item ${i}`,
        status: i < 2 ? 'done' : 'todo',
        milestoneId: i % 2 ? p.milestoneId : null,
        assigneeUserId: i === 4 ? w.f.users.admin.id : null,
        labels: i === 3 ? ['backend'] : [],
      });
    const list = (input: object) => w.caller('viewer').workItems.list({ projectId: p.id, ...input });
    expect((await list({})).items).toHaveLength(5);
    expect((await list({ status: ['done'] })).items).toHaveLength(2);
    expect((await list({ milestoneId: p.milestoneId })).items).toHaveLength(2);
    expect((await list({ milestoneId: null })).items).toHaveLength(3);
    expect((await list({ assigneeUserId: w.f.users.admin.id })).items.map((i) => i.title)).toEqual([
      'Item 4',
    ]);
    expect((await list({ label: 'backend' })).items.map((i) => i.title)).toEqual(['Item 3']);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list({ limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(5);
    expect((await refusal(list({ limit: WORK_ITEM_LIMITS.pageSize + 1 }))).code).toBe('VALIDATION_FAILED');
  });

  it('refuses every bad input with its code, and writes nothing', async () => {
    const m = w.caller('maintainer');
    const p = await w.project();
    const other = await w.project();
    const [disabled] = await w.db
      .insert(schema.users)
      .values({ email: `gone-${Date.now()}@test.local`, role: 'viewer', disabledAt: new Date() })
      .returning();
    const audit = await w.auditCount();
    const create = (over: object) => refusal(m.workItems.create({ ...base, projectId: p.id, ...over }));
    expect(await create({ milestoneId: other.milestoneId })).toMatchObject({
      code: 'WORK_ITEM_MILESTONE_INVALID',
      path: 'milestoneId',
    });
    expect(await create({ assigneeUserId: disabled!.id })).toMatchObject({
      code: 'WORK_ITEM_ASSIGNEE_INVALID',
    });
    expect(await create({ assigneeUserId: 'no-such-user' })).toMatchObject({
      code: 'WORK_ITEM_ASSIGNEE_INVALID',
    });
    expect(await create({ releaseId: crypto.randomUUID() })).toMatchObject({
      code: 'WORK_ITEM_RELEASE_INVALID',
    });
    expect(await create({ projectId: crypto.randomUUID() })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await create({ dueDate: '2025-12-31' })).toMatchObject({
      code: 'WORK_ITEM_DUE_BEFORE_START',
      path: 'dueDate',
    });
    expect((await create({ dueDate: '2026-02-30' })).code).toBe('VALIDATION_FAILED');
    for (const bad of [
      { estimate: -1 },
      { estimate: 1001 },
      { estimate: 1.5 },
      { title: ' ' },
      { status: 'open' },
    ])
      expect((await create(bad)).code).toBe('VALIDATION_FAILED');
    const labels = Array.from({ length: WORK_ITEM_LIMITS.labels + 1 }, (_, i) => `l${i}`);
    expect((await create({ labels })).code).toBe('VALIDATION_FAILED');
    expect((await create({ labels: ['a;b'] })).code).toBe('VALIDATION_FAILED');
    expect((await create({ labels: ['x'.repeat(WORK_ITEM_LIMITS.labelLength + 1)] })).code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await refusal(m.workItems.get({ id: crypto.randomUUID() }))).code).toBe('NOT_FOUND');
    expect((await refusal(m.workItems.delete({ id: crypto.randomUUID() }))).code).toBe('NOT_FOUND');
    const item = await m.workItems.create({ ...base, projectId: p.id });
    const afterCreate = await w.auditCount();
    expect(afterCreate).toBe(audit + 1);
    expect(
      await refusal(m.workItems.update({ id: item.id, patch: { milestoneId: other.milestoneId } })),
    ).toMatchObject({ code: 'WORK_ITEM_MILESTONE_INVALID' });
    expect(
      await refusal(m.workItems.update({ id: item.id, patch: { dueDate: '2025-06-01' } })),
    ).toMatchObject({ code: 'WORK_ITEM_DUE_BEFORE_START' });
    expect(
      await refusal(m.workItems.setStatus({ projectId: other.id, ids: [item.id], status: 'done' })),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(await w.auditCount()).toBe(afterCreate);
    expect((await m.workItems.get({ id: item.id })).status).toBe('todo');
  });

  it('moves many items at once and audits each that changed', async () => {
    const m = w.caller('maintainer');
    const p = await w.project();
    const a = await m.workItems.create({ ...base, projectId: p.id });
    const b = await m.workItems.create({ ...base, projectId: p.id, status: 'done' });
    expect(await m.workItems.setStatus({ projectId: p.id, ids: [a.id, b.id], status: 'done' })).toEqual({
      changed: 1,
    });
    const rows = await w.db.select().from(schema.workItems).where(eq(schema.workItems.projectId, p.id));
    expect(rows.every((r) => r.status === 'done' && r.closedAt)).toBe(true);
    // b was done already: its closedAt stays.
    expect(rows.find((r) => r.id === b.id)!.closedAt).toEqual(b.closedAt);
  });

  it('requirement 17: every write a viewer attempts is FORBIDDEN and changes nothing; viewers read', async () => {
    const v = w.caller('viewer');
    const p = await w.project();
    const item = await w.caller('maintainer').workItems.create({ ...base, projectId: p.id });
    const audit = await w.auditCount();
    const content = 'title\nOne\n';
    for (const call of [
      v.workItems.create({ ...base, projectId: p.id }),
      v.workItems.update({ id: item.id, patch: { status: 'done' } }),
      v.workItems.delete({ id: item.id }),
      v.workItems.setStatus({ projectId: p.id, ids: [item.id], status: 'done' }),
      v.workItems.import({ projectId: p.id, format: 'csv', content }),
      v.workItems.importPreview({ projectId: p.id, format: 'csv', content }),
    ])
      expect((await refusal(call)).code).toBe('FORBIDDEN');
    expect(await w.auditCount()).toBe(audit);
    expect((await v.workItems.list({ projectId: p.id })).items).toHaveLength(1);
    expect((await v.workItems.exportCsv({ projectId: p.id })).count).toBe(1);
  });
});

describe('release link: an item linked to a release becomes done when the release reaches PRO (issue 17 point 1)', () => {
  const report = (
    service: string,
    environment: string,
    state: 'succeeded' | 'in_progress',
    version = '1.0.0',
  ) =>
    w.caller('maintainer').deployments.report({
      service,
      environment,
      version,
      state,
      externalId: `${environment}-${version}-${Math.random()}`,
    });

  it('FAT and UAT successes leave it open; a PRO success makes it done in the same transaction, audited as the system', async () => {
    const m = w.caller('maintainer');
    const p = await w.project();
    const service = await w.service();
    const fat = await report(service, 'FAT', 'succeeded');
    const item = await m.workItems.create({ ...base, projectId: p.id, releaseId: fat.releaseId });
    const cancelled = await m.workItems.create({
      ...base,
      projectId: p.id,
      releaseId: fat.releaseId,
      status: 'cancelled',
    });
    expect(item.status).toBe('todo');
    await report(service, 'UAT', 'succeeded');
    expect((await m.workItems.get({ id: item.id })).status).toBe('todo');
    const pro = await report(service, 'PRO', 'in_progress');
    expect((await m.workItems.get({ id: item.id })).status).toBe('todo');
    await m.deployments.transition({ id: pro.id, state: 'succeeded' });
    const done = await m.workItems.get({ id: item.id });
    expect(done.status).toBe('done');
    expect(done.closedAt).toBeInstanceOf(Date);
    expect((await m.workItems.get({ id: cancelled.id })).status).toBe('cancelled');
    // A page of items carries each linked release's version and service, so the table reads it in one go.
    const listed = (await m.workItems.list({ projectId: p.id })).items.find((i) => i.id === item.id);
    expect(listed?.release).toMatchObject({ version: '1.0.0' });
    expect(typeof listed?.release?.service).toBe('string');
    const [entry] = await w.db
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.targetId, item.id), eq(schema.auditLog.action, 'workItem.releaseDone')));
    expect(entry).toMatchObject({ actorType: 'system', actorId: null });
  });

  it('a PRO success reported directly (no transition) completes the items too', async () => {
    const m = w.caller('maintainer');
    const p = await w.project();
    const service = await w.service();
    const uat = await report(service, 'UAT', 'succeeded', '2.0.0');
    const item = await m.workItems.create({ ...base, projectId: p.id, releaseId: uat.releaseId });
    await report(service, 'PRO', 'succeeded', '2.0.0');
    expect((await m.workItems.get({ id: item.id })).status).toBe('done');
  });

  it('linking an open item to a release already in PRO marks it done at once', async () => {
    const m = w.caller('maintainer');
    const p = await w.project();
    const service = await w.service();
    const pro = await report(service, 'PRO', 'succeeded');
    const item = await m.workItems.create({ ...base, projectId: p.id });
    const linked = await m.workItems.update({ id: item.id, patch: { releaseId: pro.releaseId } });
    expect(linked).toMatchObject({ status: 'done', releaseId: pro.releaseId });
    expect(linked.closedAt).toBeInstanceOf(Date);
    const created = await m.workItems.create({ ...base, projectId: p.id, releaseId: pro.releaseId });
    expect(created.status).toBe('done');
    // A release only in FAT does not.
    const fat = await report(await w.service(), 'FAT', 'succeeded');
    const open = await m.workItems.update({
      id: item.id,
      patch: { releaseId: fat.releaseId, status: 'todo' },
    });
    expect(open.status).toBe('todo');
  });

  it('a link made while a PRO success is being written still ends done (the two serialise on the release)', async () => {
    const m = w.caller('maintainer');
    const p = await w.project();
    const service = await w.service();
    const pro = await report(service, 'PRO', 'in_progress');
    const item = await m.workItems.create({ ...base, projectId: p.id });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let holding!: () => void;
    const held = new Promise<void>((r) => {
      holding = r;
    });
    // The deployment writer's transaction, stopped after completing the release's items, before its commit.
    const writer = w.db.transaction(async (tx) => {
      await tx
        .update(schema.deployments)
        .set({ state: 'succeeded', finishedAt: new Date() })
        .where(eq(schema.deployments.id, pro.id));
      await completeItemsOfRelease(tx, pro.releaseId, new Date());
      holding();
      await gate;
    });
    await held;
    let settled = false;
    const link = m.workItems.update({ id: item.id, patch: { releaseId: pro.releaseId } }).finally(() => {
      settled = true;
    });
    // Go on once the link has either finished or is waiting for the writer's lock.
    for (;;) {
      const [row] = await w.f.database.sql<{ n: number }[]>`
        select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`;
      if (settled || row!.n > 0) break;
      await new Promise((r) => setImmediate(r));
    }
    release();
    await writer;
    expect((await link).status).toBe('done');
  });
});
