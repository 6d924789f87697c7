import { DEPLOYMENT_STATES, type DeploymentState } from '@sextant/db/enums';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYMENT_TRANSITIONS, isLegalDeploymentTransition } from '../../src/schemas/deployments';
import { type DeployWorld, deployWorld, refusal } from './world';

let w: DeployWorld;
beforeAll(async () => {
  w = await deployWorld();
});
afterAll(async () => {
  await w?.f.close();
});

const PAIRS = DEPLOYMENT_STATES.flatMap((from) => DEPLOYMENT_STATES.map((to) => [from, to] as const));

/** A deployment created in `state` (a report may start anywhere; only later moves are transitions). */
async function deploymentIn(state: DeploymentState) {
  const api = await w.as('maintainer');
  return api.deployments.report({ service: await w.service(), environment: 'DEV', version: '1.0.0', state });
}

describe('the deployment transition table', () => {
  it('allows exactly the documented moves', () => {
    const legal = PAIRS.filter(([a, b]) => isLegalDeploymentTransition(a, b)).map(([a, b]) => `${a}→${b}`);
    expect(legal).toEqual([
      'queued→in_progress',
      'queued→failed',
      'in_progress→succeeded',
      'in_progress→failed',
      'in_progress→rolled_back',
      'succeeded→rolled_back',
    ]);
    expect(Object.keys(DEPLOYMENT_TRANSITIONS)).toEqual([...DEPLOYMENT_STATES]);
  });
});

describe('deployments.transition over every pair', () => {
  for (const [from, to] of PAIRS.filter(([a, b]) => isLegalDeploymentTransition(a, b))) {
    it(`${from} → ${to} moves the state and writes one audit entry`, async () => {
      const { id } = await deploymentIn(from);
      const before = await w.counts();
      const api = await w.as('maintainer');
      const moved = await api.deployments.transition({ id, state: to });
      expect(moved.state).toBe(to);
      expect((await api.deployments.get({ id })).state).toBe(to);
      expect(await w.counts()).toEqual({ ...before, audit: before.audit + 1 });
    });
  }

  for (const [from, to] of PAIRS.filter(([a, b]) => !isLegalDeploymentTransition(a, b))) {
    it(`${from} → ${to} is refused with DEPLOYMENT_ILLEGAL_TRANSITION and writes nothing`, async () => {
      const { id } = await deploymentIn(from);
      const api = await w.as('maintainer');
      const row = await api.deployments.get({ id });
      const before = await w.counts();
      const r = await refusal(api.deployments.transition({ id, state: to }));
      expect(r).toMatchObject({ code: 'DEPLOYMENT_ILLEGAL_TRANSITION', path: 'state' });
      expect(r.message).toContain(`from ${from} to ${to}`);
      expect(await api.deployments.get({ id })).toEqual(row);
      expect(await w.counts()).toEqual(before);
    });
  }

  it('stamps started on in_progress and finished on the first finished state, kept by a later rollback', async () => {
    const { id } = await deploymentIn('queued');
    const api = await w.as('maintainer');
    const t1 = new Date('2026-11-30T10:00:00Z');
    const t2 = new Date('2026-11-30T10:05:00Z');
    const t3 = new Date('2026-11-30T11:00:00Z');
    await api.deployments.transition({ id, state: 'in_progress', at: t1 });
    await api.deployments.transition({ id, state: 'succeeded', at: t2 });
    await api.deployments.transition({ id, state: 'rolled_back', at: t3 });
    expect(await api.deployments.get({ id })).toMatchObject({
      state: 'rolled_back',
      startedAt: t1,
      finishedAt: t2,
    });
  });

  it('an unknown deployment id is NOT_FOUND', async () => {
    const api = await w.as('maintainer');
    const r = await refusal(
      api.deployments.transition({ id: '00000000-0000-4000-8000-00000000dead', state: 'failed' }),
    );
    expect(r.code).toBe('NOT_FOUND');
  });

  it('a viewer may read but not move a deployment (FORBIDDEN)', async () => {
    const { id } = await deploymentIn('queued');
    const viewer = await w.as('viewer');
    expect((await viewer.deployments.get({ id })).state).toBe('queued');
    expect((await refusal(viewer.deployments.transition({ id, state: 'in_progress' }))).code).toBe(
      'FORBIDDEN',
    );
  });
});
