import { eq, schema } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ItemsWorld, itemsWorld } from '../work-items/world';
import { projectTablesHash, refused } from './helpers';

let w: ItemsWorld;
beforeAll(async () => {
  w = await itemsWorld();
});
afterAll(async () => {
  await w?.f.close();
});

const CSV = 'title,estimate,status,milestone,assignee,labels\nImported,3,todo,,,';

/** An archived project with one of everything in it: a member, a service, an item, a share link. */
async function archivedWorld() {
  const m = w.caller('maintainer');
  const p = await w.project();
  const service = await w.fx.service();
  await m.projects.setMembers({ projectId: p.id, members: [{ userId: w.f.users.viewer.id }] });
  await m.projects.setServices({ projectId: p.id, serviceIds: [service.id] });
  const item = await m.workItems.create({ projectId: p.id, title: 'Frozen', estimate: 2 });
  const { link } = await m.projects.shareLinks.create({ projectId: p.id, expiresInHours: 24 });
  await m.projects.archive({ id: p.id });
  return { m, p, service, item, link };
}

/** Every write an archived project refuses, each a fresh call. */
function writes({ m, p, service, item }: Awaited<ReturnType<typeof archivedWorld>>) {
  return {
    'projects.update': () => m.projects.update({ id: p.id, project: { name: `Renamed ${p.id}` } }),
    'projects.addMember': () => m.projects.addMember({ projectId: p.id, userId: w.f.users.admin.id }),
    'projects.removeMember': () => m.projects.removeMember({ projectId: p.id, userId: w.f.users.viewer.id }),
    'projects.setMembers': () => m.projects.setMembers({ projectId: p.id, members: [] }),
    'projects.setServices': () => m.projects.setServices({ projectId: p.id, serviceIds: [] }),
    'projects.addUpdate': () =>
      m.projects.addUpdate({ projectId: p.id, note: 'Still here', health: 'at_risk' }),
    'projects.shareLinks.create': () => m.projects.shareLinks.create({ projectId: p.id, expiresInHours: 1 }),
    'milestones.reorder': () => m.milestones.reorder({ projectId: p.id, ids: [p.milestoneId] }),
    'milestones.create': () => m.milestones.create({ projectId: p.id, milestone: { name: 'M2' } }),
    'milestones.update': () => m.milestones.update({ id: p.milestoneId, milestone: { name: 'M1b' } }),
    'milestones.delete': () => m.milestones.delete({ id: p.milestoneId }),
    'workItems.create': () => m.workItems.create({ projectId: p.id, title: 'New' }),
    'workItems.update': () => m.workItems.update({ id: item.id, patch: { status: 'done' } }),
    'workItems.delete': () => m.workItems.delete({ id: item.id }),
    'workItems.setStatus': () => m.workItems.setStatus({ projectId: p.id, ids: [item.id], status: 'done' }),
    'workItems.importPreview': () =>
      m.workItems.importPreview({ projectId: p.id, format: 'csv', content: CSV }),
    'workItems.import': () => m.workItems.import({ projectId: p.id, format: 'csv', content: CSV }),
    _service: service,
  };
}

describe('archived projects are read-only until unarchived (issue 17 point 1, review defect)', () => {
  it('refuses every write with PROJECT_ARCHIVED and changes no project table nor the audit log', async () => {
    const world = await archivedWorld();
    const { _service, ...calls } = writes(world);
    expect(Object.keys(calls)).toHaveLength(17);
    for (const [path, call] of Object.entries(calls)) {
      const before = await projectTablesHash(w.f);
      const r = await refused(call());
      expect(r.code, path).toBe('PROJECT_ARCHIVED');
      expect(r.message, path).toBe('The project is archived; unarchive it to change it.');
      expect(await projectTablesHash(w.f), path).toEqual(before);
    }
  });

  it('still reads, revokes share links, subscribes, archives again as a no-op, and unarchives', async () => {
    const { m, p, link } = await archivedWorld();
    const v = w.caller('viewer');
    expect((await v.projects.get({ id: p.id })).archivedAt).toBeInstanceOf(Date);
    expect((await v.workItems.list({ projectId: p.id, limit: 10 })).items).toHaveLength(1);
    expect(await v.milestones.list({ projectId: p.id })).toHaveLength(1);
    expect(await m.workItems.exportCsv({ projectId: p.id })).toBeDefined();
    // Revoking is a safety action: it always works.
    expect((await m.projects.shareLinks.revoke({ id: link.id })).state).toBe('revoked');
    // A reader's own digest preference is not a change to the project.
    expect(await v.projects.subscribe({ projectId: p.id })).toEqual({ subscribed: true });
    expect(await v.projects.unsubscribe({ projectId: p.id })).toEqual({ subscribed: false });
    const before = await projectTablesHash(w.f);
    expect((await m.projects.archive({ id: p.id })).archivedAt).toBeInstanceOf(Date);
    expect(await projectTablesHash(w.f)).toEqual(before);
    expect((await m.projects.unarchive({ id: p.id })).archivedAt).toBeNull();
  });

  it('after unarchiving, every one of those writes works again', async () => {
    const world = await archivedWorld();
    await world.m.projects.unarchive({ id: world.p.id });
    const { _service, ...calls } = writes(world);
    // Deletes last, so the writes before them still find their rows (the list's order is the calls' order).
    const order = Object.keys(calls).sort(
      (a, b) => Number(a.endsWith('.delete')) - Number(b.endsWith('.delete')),
    );
    for (const path of order) {
      await expect(calls[path as keyof typeof calls](), path).resolves.toBeDefined();
    }
    expect(await w.itemCount(world.p.id)).toBe(2);
  });

  it('an archived project may be deleted (by an admin), with everything in it', async () => {
    const { p } = await archivedWorld();
    await w.caller('admin').projects.delete({ id: p.id });
    expect(await w.db.select().from(schema.projects).where(eq(schema.projects.id, p.id))).toHaveLength(0);
    expect(await w.itemCount(p.id)).toBe(0);
  });

  it('a release reaching PRO leaves items of archived projects open, completes the others, and the deployment succeeds', async () => {
    const m = w.caller('maintainer');
    const service = await w.service();
    const report = (environment: string, state: 'succeeded' | 'in_progress') =>
      m.deployments.report({
        service,
        environment,
        version: '9.0.0',
        state,
        externalId: `${environment}-${Math.random()}`,
      });
    const fat = await report('FAT', 'succeeded');
    const live = await w.project();
    const frozen = await w.project();
    const a = await m.workItems.create({ projectId: live.id, title: 'Live', releaseId: fat.releaseId });
    const b = await m.workItems.create({ projectId: frozen.id, title: 'Frozen', releaseId: fat.releaseId });
    await m.projects.archive({ id: frozen.id });
    const pro = await report('PRO', 'succeeded');
    expect(pro.state).toBe('succeeded');
    expect((await m.workItems.get({ id: a.id })).status).toBe('done');
    expect((await m.workItems.get({ id: b.id })).status).toBe('todo');
    // Unarchiving catches up: the item is done as of the moment its release reached PRO, audited as the system.
    await m.projects.unarchive({ id: frozen.id });
    const caught = await m.workItems.get({ id: b.id });
    expect(caught.status).toBe('done');
    const [reached] = await w.db
      .select({ finishedAt: schema.deployments.finishedAt })
      .from(schema.deployments)
      .where(eq(schema.deployments.id, pro.id));
    expect(caught.closedAt?.getTime()).toBe(reached!.finishedAt!.getTime());
    const audits = await w.db.select().from(schema.auditLog).where(eq(schema.auditLog.targetId, b.id));
    expect(audits.map((r) => r.action)).toContain('workItem.releaseDone');
  });
});
