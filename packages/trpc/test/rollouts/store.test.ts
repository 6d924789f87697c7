import { schema } from '@sextant/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendEvent } from '../../src/services/rollouts/actions';
import { applyEvent, loadRollout, WORKER } from '../../src/services/rollouts/store';
import { HELD_STEPS } from '../../src/testing/rollout-fixtures';
import { refusalOf } from '../fixtures';
import { TEMPLATE } from './fixtures';
import { type RolloutWorld, rolloutWorld } from './world';

let w: RolloutWorld;
beforeAll(async () => {
  w = await rolloutWorld();
});
afterAll(async () => {
  await w?.close();
});

const refused = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => refusalOf(e),
  );

async function deploymentStates(service: string) {
  return w.f.database.sql<{ version: string; state: string }[]>`
    select r.version, d.state from deployments d join releases r on r.id = d.release_id
    join services s on s.id = d.service_id where s.slug = ${service} order by d.queued_at, r.version`;
}

describe('rollout store', () => {
  it('requirement 3: the fence refuses a second write from the same snapshot, writing nothing', async () => {
    const { service, environment } = await w.service();
    const id = await w
      .as('maintainer')
      .rollouts.start({ service, environment, release: '2.0.0', steps: HELD_STEPS });
    const db = w.f.database.db;
    const stale = (await loadRollout(db, id))!;
    await db.transaction((tx) => applyEvent(tx, WORKER, stale, { type: 'promote' }, Date.now()));
    const before = await w.counts();
    const err = await db
      .transaction((tx) => applyEvent(tx, WORKER, stale, { type: 'promote' }, Date.now()))
      .then(
        () => null,
        (e: unknown) => e as { appCode?: string },
      );
    expect(err?.appCode).toBe('ROLLOUT_STALE_EVENT');
    expect(await w.counts()).toEqual(before);
    expect((await w.as('viewer').rollouts.get({ id })).stepIndex).toBe(1);
  });

  it('requirement 3: illegal procedure calls are coded CONFLICT and write nothing', async () => {
    const { service, environment } = await w.service();
    const caller = w.as('maintainer');
    const id = await caller.rollouts.start({ service, environment, release: '2.0.0', steps: HELD_STEPS });
    const before = await w.counts();
    expect((await refused(caller.rollouts.retry({ id }))).code).toBe('ROLLOUT_ILLEGAL_TRANSITION');
    await caller.rollouts.promoteFull({ id });
    const after = await w.counts();
    expect((await refused(caller.rollouts.promote({ id }))).code).toBe('ROLLOUT_ILLEGAL_TRANSITION');
    expect((await refused(caller.rollouts.abort({ id }))).code).toBe('ROLLOUT_ILLEGAL_TRANSITION');
    expect(await w.counts()).toEqual(after);
    expect(after.rollouts).toBe(before.rollouts);
    const other = await w.service();
    const unknown = caller.rollouts.start({
      ...other,
      release: '9.9.9',
      steps: HELD_STEPS,
    });
    expect(await refused(unknown)).toMatchObject({ code: 'NOT_FOUND', path: 'release' });
    const noReceiver = caller.rollouts.start({
      ...other,
      release: '2.0.0',
      steps: HELD_STEPS,
      receiverId: '00000000-0000-4000-8000-00000000beef',
    });
    expect(await refused(noReceiver)).toMatchObject({ code: 'NOT_FOUND', path: 'receiverId' });
    const decreasing = caller.rollouts.start({
      ...other,
      release: '2.0.0',
      steps: [
        { type: 'setWeight', weight: 50 },
        { type: 'setWeight', weight: 10 },
      ],
    });
    expect(await refused(decreasing)).toMatchObject({ code: 'VALIDATION_FAILED', path: 'steps.1.weight' });
    // w.service() reported 1.0.0 succeeded; the refused starts wrote nothing.
    const quiet = await w.counts();
    expect(quiet.rollouts).toBe(after.rollouts);
    expect(quiet.deployments).toBe(after.deployments + 1);
  });

  it('a viewer is FORBIDDEN to act and writes nothing, but reads', async () => {
    const { service, environment } = await w.service();
    const id = await w
      .as('maintainer')
      .rollouts.start({ service, environment, release: '2.0.0', steps: HELD_STEPS });
    const before = await w.counts();
    const viewer = w.as('viewer');
    for (const call of [
      viewer.rollouts.promote({ id }),
      viewer.rollouts.abort({ id }),
      viewer.rollouts.start({ service, environment, release: '2.0.0', steps: HELD_STEPS }),
      viewer.rollouts.report({ service, environment, version: '2.0.0', weight: 0 }),
    ])
      await expect(call).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await w.counts()).toEqual(before);
    expect((await viewer.rollouts.desired({ service, environment })).rolloutId).toBe(id);
  });

  it('requirement 4: promote advances one step; promoteFull finishes and audits each skipped step', async () => {
    const { service, environment } = await w.service();
    const caller = w.as('maintainer');
    const steps = [
      { type: 'pause' as const },
      { type: 'pause' as const },
      { type: 'setWeight' as const, weight: 40 },
    ];
    const id = await caller.rollouts.start({ service, environment, release: '2.0.0', steps });
    await caller.rollouts.promote({ id });
    expect(await caller.rollouts.get({ id })).toMatchObject({ state: 'paused', stepIndex: 1, weight: 0 });
    await caller.rollouts.promoteFull({ id });
    const done = await caller.rollouts.get({ id });
    expect(done).toMatchObject({
      state: 'promoted',
      weight: 100,
      desired: { version: '2.0.0', weight: 100 },
    });
    const skipped = await w.f.database.db
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.targetId, id), eq(schema.auditLog.action, 'rollout.skip_step')));
    expect(skipped.map((a) => (a.diff!.after as { index: number }).index)).toEqual([1, 2]);
    expect(await deploymentStates(service)).toEqual([
      { version: '1.0.0', state: 'succeeded' },
      { version: '2.0.0', state: 'succeeded' },
    ]);
  });

  it('requirement 6: abort keeps the target and retry restarts at step 1 with a new attempt', async () => {
    const { service, environment } = await w.service();
    const caller = w.as('maintainer');
    const id = await caller.rollouts.start({ service, environment, release: '2.0.0', steps: HELD_STEPS });
    await caller.rollouts.promote({ id });
    await caller.rollouts.abort({ id, reason: 'looks wrong' });
    expect(await caller.rollouts.get({ id })).toMatchObject({
      state: 'aborted',
      weight: 0,
      reason: 'looks wrong',
      targetRelease: { version: '2.0.0' },
    });
    await caller.rollouts.retry({ id });
    expect(await caller.rollouts.get({ id })).toMatchObject({ state: 'paused', stepIndex: 0, attempt: 2 });
  });

  it('requirement 6: a rollback within the window skips steps and analysis; the previous release serves all', async () => {
    const { service, environment } = await w.service();
    const caller = w.as('maintainer');
    const steps = [
      { type: 'setWeight' as const, weight: 20 },
      { type: 'analysis' as const, template: TEMPLATE },
    ];
    const id = await caller.rollouts.start({ service, environment, release: '2.0.0', steps });
    const rollouts = (await w.counts()).rollouts;
    await caller.rollouts.rollback({ id });
    const after = await caller.rollouts.get({ id });
    expect(after).toMatchObject({
      state: 'rolled_back',
      weight: 0,
      rolledBackTo: { version: '1.0.0' },
      stableRelease: { version: '1.0.0' },
      runs: [],
    });
    expect((await w.counts()).rollouts).toBe(rollouts);
    expect(await deploymentStates(service)).toEqual([
      { version: '1.0.0', state: 'succeeded' },
      { version: '2.0.0', state: 'rolled_back' },
      { version: '1.0.0', state: 'succeeded' },
    ]);
  });

  it('requirement 6: a rollback beyond the window runs the older release as a new rollout with full steps', async () => {
    const { service, environment } = await w.service();
    const caller = w.as('maintainer');
    for (const version of ['3.0.0', '4.0.0', '5.0.0'])
      await caller.deployments.report({ service, environment, version, state: 'succeeded' });
    await caller.deployments.report({ service, environment, version: '6.0.0', state: 'failed' });
    const id = await caller.rollouts.start({ service, environment, release: '6.0.0', steps: HELD_STEPS });
    const oldest = (await caller.releases.list({ service })).items.find((r) => r.version === '1.0.0')!;
    await caller.rollouts.rollback({ id, to: oldest.id });
    expect(await caller.rollouts.get({ id })).toMatchObject({
      state: 'rolled_back',
      rolledBackTo: { version: '1.0.0' },
    });
    const [fresh] = await caller.rollouts.list({ service, limit: 1 });
    expect(fresh!.id).not.toBe(id);
    expect(await caller.rollouts.get({ id: fresh!.id })).toMatchObject({
      state: 'paused',
      stepIndex: 0,
      attempt: 1,
      targetRelease: { version: '1.0.0' },
      stableRelease: { version: '5.0.0' },
      steps: HELD_STEPS,
    });
  });

  it('requirement 7: a newer release supersedes the running rollout and restarts its analysis', async () => {
    const { service, environment } = await w.service();
    const caller = w.as('maintainer');
    await w.f.database.db.transaction(async (tx) => {
      const [s] = await tx.select().from(schema.services).where(eq(schema.services.slug, service));
      await tx.insert(schema.releases).values({ serviceId: s!.id, version: '3.0.0' });
    });
    const steps = [{ type: 'analysis' as const, template: TEMPLATE }];
    const id = await caller.rollouts.start({ service, environment, release: '2.0.0', steps });
    const again = await caller.rollouts.start({ service, environment, release: '3.0.0', steps });
    expect(again).toBe(id);
    const r = await caller.rollouts.get({ id });
    expect(r).toMatchObject({
      state: 'analyzing',
      attempt: 2,
      stepIndex: 0,
      targetRelease: { version: '3.0.0' },
    });
    expect(r.runs.map((x) => [x.attempt, x.phase, x.canaryVersion])).toEqual([
      [1, 'stopped', '2.0.0'],
      [2, 'running', '3.0.0'],
    ]);
    expect(await deploymentStates(service)).toEqual([
      { version: '1.0.0', state: 'succeeded' },
      { version: '2.0.0', state: 'failed' },
      { version: '3.0.0', state: 'in_progress' },
    ]);
    expect(
      (await refused(caller.rollouts.start({ service, environment, release: '3.0.0', steps }))).code,
    ).toBe('ROLLOUT_SAME_RELEASE');
  });

  it('the deploy tool reports what it applied; a matching setWeight step is done', async () => {
    const { service, environment } = await w.service();
    const caller = w.as('maintainer');
    const steps = [{ type: 'setWeight' as const, weight: 30 }, { type: 'pause' as const }];
    const id = await caller.rollouts.start({ service, environment, release: '2.0.0', steps });
    const desired = await caller.rollouts.desired({ service, environment });
    expect(desired).toMatchObject({ rolloutId: id, version: '2.0.0', weight: 30, stableVersion: '1.0.0' });
    const next = await caller.rollouts.report({ service, environment, version: '2.0.0', weight: 30 });
    expect(next).toMatchObject({ state: 'paused', weight: 30 });
    const before = await w.counts();
    await caller.rollouts.report({ service, environment, version: '2.0.0', weight: 30 });
    expect(await w.counts()).toEqual(before);
    expect((await caller.rollouts.get({ id })).reported).toMatchObject({ version: '2.0.0', weight: 30 });
    expect((await caller.rollouts.list({ service })).map((r) => r.id)).toEqual([id]);
  });

  it('sendEvent on an unknown rollout is NOT_FOUND', async () => {
    const err = await sendEvent(w.f.ctx(w.f.user('maintainer')), '00000000-0000-4000-8000-00000000dead', {
      type: 'promote',
    }).then(
      () => null,
      (e: unknown) => e as { appCode?: string },
    );
    expect(err?.appCode).toBe('NOT_FOUND');
  });
});
