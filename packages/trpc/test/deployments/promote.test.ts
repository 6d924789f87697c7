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

/** A fresh service's release 1.0.0 with one deployment per given environment in the given state. */
async function releaseWith(states: Record<string, 'succeeded' | 'failed' | 'in_progress' | 'rolled_back'>) {
  const ci = await w.as('maintainer', 'key');
  const service = await w.service();
  let releaseId = '';
  const ids: Record<string, string> = {};
  for (const [environment, state] of Object.entries(states)) {
    const r = await ci.deployments.report({ service, environment, version: '1.0.0', state });
    releaseId = r.releaseId;
    ids[environment] = r.id;
  }
  if (!releaseId)
    releaseId = (
      await ci.deployments.report({ service, environment: 'DEV', version: '1.0.0', state: 'queued' })
    ).releaseId;
  return { releaseId, ids };
}

describe('requirement 2: promotion needs success in the previous environment', () => {
  it('the first environment needs nothing: a queued deployment, audited', async () => {
    const { releaseId } = await releaseWith({});
    const before = await w.counts();
    const row = await (await w.as('maintainer')).deployments.promote({ releaseId, environment: 'DEV' });
    expect(row).toMatchObject({ state: 'queued', override: false, promotedFromDeploymentId: null });
    expect(await w.counts()).toEqual({
      ...before,
      deployments: before.deployments + 1,
      audit: before.audit + 1,
    });
  });

  it('succeeded in DEV → FAT is allowed and names the deployment it was promoted from', async () => {
    const { releaseId, ids } = await releaseWith({ DEV: 'succeeded' });
    const row = await (await w.as('maintainer', 'key')).deployments.promote({
      releaseId,
      environment: 'FAT',
    });
    expect(row).toMatchObject({ state: 'queued', promotedFromDeploymentId: ids.DEV, override: false });
  });

  for (const [what, states] of [
    ['skipping FAT (DEV → UAT)', { DEV: 'succeeded' }],
    ['FAT failed', { DEV: 'succeeded', FAT: 'failed' }],
    ['FAT still in progress', { DEV: 'succeeded', FAT: 'in_progress' }],
    ['FAT rolled back', { DEV: 'succeeded', FAT: 'rolled_back' }],
  ] as const) {
    it(`${what}: UAT is refused with PROMOTION_PREVIOUS_NOT_SUCCEEDED and nothing is written`, async () => {
      const { releaseId } = await releaseWith(states);
      const before = await w.counts();
      const r = await refusal(
        (await w.as('maintainer')).deployments.promote({ releaseId, environment: 'UAT' }),
      );
      expect(r).toMatchObject({ code: 'PROMOTION_PREVIOUS_NOT_SUCCEEDED', path: 'environment' });
      expect(r.message).toContain('FAT');
      expect(await w.counts()).toEqual(before);
    });
  }

  it('an admin overrides with a reason: the row and the audit entry keep it', async () => {
    const { releaseId } = await releaseWith({ DEV: 'succeeded' });
    const reason = 'Hotfix for INC-42; FAT is down.';
    const row = await (await w.as('admin')).deployments.promote({
      releaseId,
      environment: 'PRO',
      override: { reason },
    });
    expect(row).toMatchObject({ state: 'queued', override: true, overrideReason: reason });
    const [entry] = await w.f.database.primary
      .select()
      .from(schema.auditLog)
      .where(
        and(eq(schema.auditLog.targetId, row.id), eq(schema.auditLog.action, 'deployment.promote_override')),
      );
    expect(entry).toMatchObject({ actorType: 'user', actorId: w.f.users.admin.id });
    expect(entry!.diff?.after).toMatchObject({ override: true, overrideReason: reason });
  });

  it('a maintainer (user or key) may not override, and an override needs a reason; nothing is written', async () => {
    const { releaseId } = await releaseWith({ DEV: 'succeeded' });
    const before = await w.counts();
    for (const via of ['user', 'key'] as const) {
      const r = await refusal(
        (await w.as('maintainer', via)).deployments.promote({
          releaseId,
          environment: 'PRO',
          override: { reason: 'x' },
        }),
      );
      expect(r).toMatchObject({ code: 'PROMOTION_OVERRIDE_FORBIDDEN', path: 'override' });
    }
    const empty = await refusal(
      (await w.as('admin')).deployments.promote({ releaseId, environment: 'PRO', override: { reason: ' ' } }),
    );
    expect(empty).toMatchObject({ code: 'VALIDATION_FAILED', path: 'override.reason' });
    expect(await w.counts()).toEqual(before);
  });

  it('a viewer is FORBIDDEN; an unknown environment or release is a coded not-found; nothing is written', async () => {
    const { releaseId } = await releaseWith({ DEV: 'succeeded' });
    const before = await w.counts();
    const viewer = await refusal(
      (await w.as('viewer')).deployments.promote({ releaseId, environment: 'FAT' }),
    );
    expect(viewer.code).toBe('FORBIDDEN');
    const api = await w.as('maintainer');
    expect(await refusal(api.deployments.promote({ releaseId, environment: 'QA' }))).toMatchObject({
      code: 'ENVIRONMENT_NOT_FOUND',
      path: 'environment',
    });
    expect(
      await refusal(
        api.deployments.promote({ releaseId: '00000000-0000-4000-8000-00000000beef', environment: 'FAT' }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND', path: 'releaseId' });
    expect(await w.counts()).toEqual(before);
  });
});
