import { and, eq, schema } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeployWorld, deployWorld, refusal } from './world';

let w: DeployWorld;
beforeAll(async () => {
  w = await deployWorld();
});
afterAll(async () => {
  await w?.f.close();
});

const rows = (service: string) =>
  w.f.database.sql<{ version: string; state: string }[]>`
    select r.version, d.state from deployments d join releases r on r.id = d.release_id
    join services s on s.id = d.service_id where s.slug = ${service} order by d.queued_at, d.id`;

describe('issue 16 point 3: deployments.rollback, one click back to the previous good release', () => {
  it('marks the bad deployment rolled_back and queues the previous succeeded release there, audited', async () => {
    const ci = await w.as('maintainer', 'key');
    const service = await w.service();
    await ci.deployments.report({ service, environment: 'DEV', version: '1.0.0', state: 'succeeded' });
    const bad = await ci.deployments.report({
      service,
      environment: 'DEV',
      version: '1.1.0',
      state: 'succeeded',
    });
    const me = await w.as('maintainer');
    expect(await me.deployments.rollbackTarget({ deploymentId: bad.id })).toMatchObject({
      fromVersion: '1.1.0',
      toVersion: '1.0.0',
      rolloutId: null,
      environment: 'DEV',
    });
    const done = await me.deployments.rollback({ deploymentId: bad.id });
    expect(done).toMatchObject({ rolledBack: bad.id, fromVersion: '1.1.0', toVersion: '1.0.0' });
    expect(await rows(service)).toEqual([
      { version: '1.0.0', state: 'succeeded' },
      { version: '1.1.0', state: 'rolled_back' },
      { version: '1.0.0', state: 'queued' },
    ]);
    const trail = await w.f.database.primary
      .select()
      .from(schema.auditLog)
      .where(
        and(eq(schema.auditLog.action, 'deployment.rollback'), eq(schema.auditLog.targetId, done.queued)),
      );
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ actorId: w.f.users.maintainer.id });
    // Rolled back already: a second click is an illegal transition and writes nothing.
    const before = await w.counts();
    expect(await refusal(me.deployments.rollback({ deploymentId: bad.id }))).toMatchObject({
      code: 'DEPLOYMENT_ILLEGAL_TRANSITION',
    });
    expect(await w.counts()).toEqual(before);
  });

  it('no earlier release succeeded there: DEPLOYMENT_NO_PREVIOUS_RELEASE, nothing written', async () => {
    const ci = await w.as('maintainer', 'key');
    const service = await w.service();
    await ci.deployments.report({ service, environment: 'FAT', version: '0.9.0', state: 'succeeded' });
    const only = await ci.deployments.report({
      service,
      environment: 'DEV',
      version: '1.0.0',
      state: 'succeeded',
    });
    const me = await w.as('maintainer');
    expect(await me.deployments.rollbackTarget({ deploymentId: only.id })).toMatchObject({ toVersion: null });
    const before = await w.counts();
    expect(await refusal(me.deployments.rollback({ deploymentId: only.id }))).toMatchObject({
      code: 'DEPLOYMENT_NO_PREVIOUS_RELEASE',
    });
    expect(await w.counts()).toEqual(before);
    expect(await rows(service)).toEqual([
      { version: '0.9.0', state: 'succeeded' },
      { version: '1.0.0', state: 'succeeded' },
    ]);
  });

  it('a viewer may look at the plan but not roll back: FORBIDDEN, nothing written', async () => {
    const ci = await w.as('maintainer', 'key');
    const service = await w.service();
    await ci.deployments.report({ service, environment: 'DEV', version: '1.0.0', state: 'succeeded' });
    const bad = await ci.deployments.report({
      service,
      environment: 'DEV',
      version: '1.1.0',
      state: 'succeeded',
    });
    const viewer = await w.as('viewer');
    expect(await viewer.deployments.rollbackTarget({ deploymentId: bad.id })).toMatchObject({
      toVersion: '1.0.0',
    });
    const before = await w.counts();
    const err = await viewer.deployments.rollback({ deploymentId: bad.id }).then(
      () => null,
      (e: { code?: string }) => e,
    );
    expect(err?.code).toBe('FORBIDDEN');
    expect(await w.counts()).toEqual(before);
  });

  it('a rollout there is named, so the console rolls back through rollouts.rollback instead', async () => {
    const { service, environment } = await w.fx.rolloutReady();
    const me = await w.as('maintainer');
    const id = await me.rollouts.start({
      service,
      environment,
      release: '2.0.0',
      steps: [{ type: 'setWeight', weight: 20 }, { type: 'pause' }],
    });
    const [dep] = await w.f.database.sql<{ id: string }[]>`
      select d.id from deployments d join releases r on r.id = d.release_id
      join services s on s.id = d.service_id where s.slug = ${service} and r.version = '1.0.0'`;
    expect(await me.deployments.rollbackTarget({ deploymentId: dep!.id })).toMatchObject({ rolloutId: id });
    const got = await me.rollouts.get({ id });
    expect(got.allowedActions).toEqual(['promote', 'promoteFull', 'abort', 'rollback']);
    await me.rollouts.abort({ id });
    expect((await me.rollouts.get({ id })).allowedActions).toEqual(['retry', 'rollback']);
  });
});
