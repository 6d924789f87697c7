import { and, eq, schema } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../../src/context';
import { appRouter } from '../../src/root';
import { type DeployWorld, deployWorld, refusal } from './world';

let w: DeployWorld;
beforeAll(async () => {
  w = await deployWorld();
  const [pro] = await w.f.database.primary
    .select()
    .from(schema.environments)
    .where(eq(schema.environments.name, 'PRO'));
  await (await w.as('admin')).environments.update({ id: pro!.id, requiresApproval: true });
});
afterAll(async () => {
  await w?.f.close();
});

/** A second maintainer, who neither released nor promoted anything here. */
async function otherMaintainer() {
  const { id, email } = await w.fx.user('maintainer');
  const identity: Identity = {
    type: 'user',
    userId: id,
    email,
    name: null,
    role: 'maintainer',
    sessionId: '00000000-0000-4000-8000-0000000000aa',
    mustChangePassword: false,
  };
  return appRouter.createCaller(w.f.ctx(identity));
}

/** A release CI (the maintainer's key) took to UAT, then promoted to PRO by the maintainer in person. */
async function waitingInPro() {
  const ci = await w.as('maintainer', 'key');
  const service = await w.service();
  let releaseId = '';
  for (const environment of ['DEV', 'FAT', 'UAT'])
    releaseId = (await ci.deployments.report({ service, environment, version: '3.1.0', state: 'succeeded' }))
      .releaseId;
  const row = await (await w.as('maintainer')).deployments.promote({ releaseId, environment: 'PRO' });
  return { service, releaseId, row };
}

describe('point 1: PRO requires an approval by someone other than the releaser', () => {
  it('the environment setting is audited and a promotion into it waits queued with approval pending', async () => {
    const [entry] = await w.f.database.primary
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.action, 'environment.update'));
    expect(entry).toMatchObject({ targetType: 'environment', actorId: w.f.users.admin.id });
    expect(entry!.diff?.after).toMatchObject({ requiresApproval: true });
    const { row } = await waitingInPro();
    expect(row).toMatchObject({ state: 'queued', approval: 'pending' });
    const dev = await (await w.as('maintainer', 'key')).deployments.report({
      service: await w.service(),
      environment: 'DEV',
      version: '1.0.0',
      state: 'queued',
    });
    expect((await (await w.as('viewer')).deployments.get({ id: dev.id })).approval).toBeNull();
  });

  it('a pending deployment cannot start: DEPLOYMENT_APPROVAL_PENDING, nothing written', async () => {
    const { row } = await waitingInPro();
    const before = await w.counts();
    const r = await refusal(
      (await w.as('maintainer', 'key')).deployments.transition({ id: row.id, state: 'in_progress' }),
    );
    expect(r).toMatchObject({ code: 'DEPLOYMENT_APPROVAL_PENDING', path: 'state' });
    expect(await w.counts()).toEqual(before);
  });

  it('self-approval is refused with DEPLOYMENT_SELF_APPROVAL: the promoter, and the person whose key released', async () => {
    const { row, releaseId } = await waitingInPro();
    // An admin promotes it again: the admin is that deployment's promoter.
    const byAdmin = await (await w.as('admin')).deployments.promote({ releaseId, environment: 'PRO' });
    const before = await w.counts();
    // The maintainer both promoted in person and owns the CI key that reported the release.
    const self = await refusal((await w.as('maintainer')).deployments.approve({ id: row.id }));
    expect(self).toMatchObject({ code: 'DEPLOYMENT_SELF_APPROVAL', path: 'id' });
    const admin = await refusal((await w.as('admin')).deployments.approve({ id: byAdmin.id }));
    expect(admin).toMatchObject({ code: 'DEPLOYMENT_SELF_APPROVAL' });
    // The admin's promotion still carries the maintainer's release (made by their key): refused too.
    const releaser = await refusal((await w.as('maintainer')).deployments.approve({ id: byAdmin.id }));
    expect(releaser).toMatchObject({ code: 'DEPLOYMENT_SELF_APPROVAL' });
    expect(await w.counts()).toEqual(before);
  });

  it('another maintainer approves: approved, audited, and the deployment may then start', async () => {
    const { row } = await waitingInPro();
    const other = await otherMaintainer();
    const before = await w.counts();
    const approved = await other.deployments.approve({ id: row.id });
    expect(approved).toMatchObject({ state: 'queued', approval: 'approved' });
    expect(approved.approvedAt).toBeInstanceOf(Date);
    expect(await w.counts()).toEqual({ ...before, audit: before.audit + 1 });
    const [entry] = await w.f.database.primary
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.targetId, row.id), eq(schema.auditLog.action, 'deployment.approve')));
    expect(entry).toMatchObject({ actorType: 'user', actorId: approved.approvedByUserId });
    expect(entry!.diff?.after).toMatchObject({ approval: 'approved' });
    const again = await refusal(other.deployments.approve({ id: row.id }));
    expect(again).toMatchObject({ code: 'DEPLOYMENT_NOT_AWAITING_APPROVAL' });
    const moved = await (await w.as('maintainer', 'key')).deployments.transition({
      id: row.id,
      state: 'in_progress',
    });
    expect(moved.state).toBe('in_progress');
  });

  it('a viewer is FORBIDDEN and an API key is FORBIDDEN (an approval is a person’s act); nothing written', async () => {
    const { row } = await waitingInPro();
    const before = await w.counts();
    expect((await refusal((await w.as('viewer')).deployments.approve({ id: row.id }))).code).toBe(
      'FORBIDDEN',
    );
    expect((await refusal((await w.as('admin', 'key')).deployments.approve({ id: row.id }))).code).toBe(
      'FORBIDDEN',
    );
    expect(await w.counts()).toEqual(before);
  });
});
