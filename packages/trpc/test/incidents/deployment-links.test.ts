/** Incident ↔ deployment links: automatic on opening (console and alert paths), manual by maintainers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIncidentFromAlerts } from '../../src/services/incidents';
import { type DeployWorld, deployWorld, refusal } from '../deployments/world';
import { environmentIds, seedDeployments } from '../dora/db-world';
import { deploy, fat, mar } from '../dora/fixture';

let w: DeployWorld;
let envs: Record<string, string>;
beforeAll(async () => {
  w = await deployWorld();
  envs = await environmentIds(w);
});
afterAll(async () => {
  await w?.f.close();
});

/** Service A: PRO s1, s2 (11:48) succeeded, s3 failed, s4 after the start; FAT f1. Service B: nothing. */
async function history() {
  const [a, b] = await Promise.all([w.fx.service(), w.fx.service()]);
  const ids = await seedDeployments(w, a.slug, [
    deploy('s1', mar(1)),
    deploy('s2', mar(4, 11, 48)),
    deploy('s3', mar(4, 11, 55), 'failed'),
    deploy('s4', mar(4, 13)),
    fat('f1', mar(3)),
  ]);
  return { a, b, ids };
}

const linksOf = (incidentId: string) => w.f.database.sql<{ deploymentId: string; how: string }[]>`
  select deployment_id as "deploymentId", how from incident_deployments where incident_id = ${incidentId}
  order by deployment_id`;

describe('auto links on opening', () => {
  it('incidents.create links the latest earlier succeeded deployment per impacted service × env, none when none', async () => {
    const { a, b, ids } = await history();
    const ops = await w.as('maintainer');
    const made = await ops.incidents.create({
      title: 'Checkout errors',
      severity: 'SEV2',
      startedAt: mar(4, 12),
      detectedAt: mar(4, 12),
      impacts: [
        { serviceId: a.id, environmentId: envs.PRO!, impact: 'major_outage' },
        { serviceId: a.id, environmentId: envs.FAT!, impact: 'partial_outage' },
        { serviceId: b.id, environmentId: envs.PRO!, impact: 'partial_outage' },
        { serviceId: a.id, environmentId: envs.DEV!, impact: 'partial_outage' },
      ],
    });
    // s2 in PRO (s3 failed, s4 is later), f1 in FAT; B and DEV have no deployment, so no link.
    expect(await linksOf(made.id)).toEqual(
      [ids.get('s2')!, ids.get('f1')!].sort().map((deploymentId) => ({ deploymentId, how: 'auto' })),
    );
    const got = await (await w.as('viewer')).incidents.get({ id: made.id });
    expect(got.lastDeployment).toMatchObject({
      deploymentId: ids.get('s2'),
      version: '1.0.2',
      environment: 'PRO',
      finishedAt: mar(4, 11, 48),
      minutesBefore: 12,
      by: 'maintainer@test.local',
    });
    expect(got.deployments.map((d) => d.deploymentId)).toEqual([ids.get('s2'), ids.get('f1')]);
    const [entry] = await w.f.database.sql<{ after: { linkedDeployments: string[] } }[]>`
      select diff->'after' as after from audit_log where action = 'incident.create' and target_id = ${made.id}`;
    expect(entry!.after.linkedDeployments.sort()).toEqual([ids.get('s2'), ids.get('f1')].sort());
  });

  it('the alert-opened path links in its own transaction the same way', async () => {
    const { a, b, ids } = await history();
    const id = await w.f.database.sql.begin((tx) =>
      openIncidentFromAlerts(tx, {
        title: 'HighErrorRate',
        severity: 'SEV2',
        startedAt: mar(4, 12),
        detectedAt: mar(4, 12, 1),
        impacts: [
          { service: a.slug, environment: 'pro' },
          { service: b.slug, environment: 'PRO' },
        ],
        note: 'Opened by a test route.',
        source: { routeId: 'r', groupKey: 'g' },
      }),
    );
    expect(await linksOf(id)).toEqual([{ deploymentId: ids.get('s2')!, how: 'auto' }]);
  });

  it('requirement 14: names the canary in progress at the start (the change DORA counts as failed), not the release before it, and still does once rolled back; queued and failed ones never ran', async () => {
    const { a } = await history();
    const ci = await w.as('maintainer');
    type State = 'queued' | 'in_progress' | 'failed' | 'rolled_back';
    const sent = (version: string, externalId: string, state: State, at: Date) =>
      ci.deployments.report({ service: a.slug, environment: 'PRO', version, externalId, state, at });
    const canary = await sent('2.0.0', 'canary', 'in_progress', mar(4, 11, 50));
    await sent('2.0.1', 'crashed', 'failed', mar(4, 11, 56));
    await sent('2.0.2', 'waiting', 'queued', mar(4, 11, 58));
    const ops = await w.as('maintainer');
    const made = await ops.incidents.create({
      title: 'Canary errors',
      severity: 'SEV2',
      startedAt: mar(4, 12),
      impacts: [{ serviceId: a.id, environmentId: envs.PRO!, impact: 'partial_outage' }],
    });
    expect(await linksOf(made.id)).toEqual([{ deploymentId: canary.id, how: 'auto' }]);
    expect((await ops.incidents.get({ id: made.id })).lastDeployment).toMatchObject({
      deploymentId: canary.id,
      version: '2.0.0',
      state: 'in_progress',
      at: mar(4, 11, 50),
      finishedAt: null,
      minutesBefore: 10,
    });
    // Taken back after the incident started: still the deployment that went out last before it.
    await sent('2.0.0', 'canary', 'rolled_back', mar(4, 12, 5));
    expect((await ops.incidents.get({ id: made.id })).lastDeployment).toMatchObject({
      deploymentId: canary.id,
      state: 'rolled_back',
      at: mar(4, 11, 50),
      finishedAt: mar(4, 12, 5),
      minutesBefore: 10,
    });
  });

  it('an incident before any deployment links nothing and has no last deployment', async () => {
    const { a } = await history();
    const ops = await w.as('maintainer');
    const made = await ops.incidents.create({
      title: 'Before everything',
      severity: 'SEV3',
      startedAt: mar(1, 11),
      impacts: [{ serviceId: a.id, environmentId: envs.PRO!, impact: 'partial_outage' }],
    });
    expect(await linksOf(made.id)).toEqual([]);
    expect((await ops.incidents.get({ id: made.id })).lastDeployment).toBeNull();
  });
});

describe('manual links', () => {
  it('link and unlink are audited; a repeat link writes nothing; unknown ones are NOT_FOUND', async () => {
    const { a, ids } = await history();
    const ops = await w.as('maintainer');
    const made = await ops.incidents.create({
      title: 'Manual',
      severity: 'SEV3',
      startedAt: mar(1, 11),
      impacts: [{ serviceId: a.id, environmentId: envs.PRO!, impact: 'partial_outage' }],
    });
    const pair = { incidentId: made.id, deploymentId: ids.get('s4')! };
    expect(await ops.incidents.linkDeployment(pair)).toMatchObject({ how: 'manual', created: true });
    const before = await w.counts();
    expect(await ops.incidents.linkDeployment(pair)).toMatchObject({ created: false });
    expect(await w.counts()).toEqual(before);
    await ops.incidents.unlinkDeployment(pair);
    expect(await linksOf(made.id)).toEqual([]);
    const actions = await w.f.database.sql<{ action: string }[]>`
      select action from audit_log where target_id = ${made.id} order by id`;
    expect(actions.map((r) => r.action)).toEqual([
      'incident.create',
      'incident.deployment_link',
      'incident.deployment_unlink',
    ]);
    const after = await w.counts();
    expect(await refusal(ops.incidents.unlinkDeployment(pair))).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await refusal(
        ops.incidents.linkDeployment({ ...pair, deploymentId: '00000000-0000-4000-8000-0000000000aa' }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND', path: 'deploymentId' });
    expect(await w.counts()).toEqual(after);
    expect(await refusal((await w.as('viewer')).incidents.linkDeployment(pair))).toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
