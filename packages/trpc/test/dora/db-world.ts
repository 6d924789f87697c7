/** Seeds the DORA calculator's fixture rows into a real database through the services, for the reader's tests. */
import { schema } from '@sextant/db';
import type { DoraDeployment, DoraIncident } from '../../src/services/dora/types';
import type { DeployWorld } from '../deployments/world';

/** The fixture's short commit names as the hex SHAs the delivery tables accept ("c1" → "63310000"). */
export const hexSha = (name: string) => Buffer.from(name).toString('hex').padEnd(8, '0');

export async function environmentIds(w: DeployWorld): Promise<Record<string, string>> {
  const rows = await w.f.database.primary
    .select({ id: schema.environments.id, name: schema.environments.name })
    .from(schema.environments);
  return Object.fromEntries(rows.map((r) => [r.name, r.id]));
}

/** Reports each fixture deployment (PRO, or FAT when not production) at its finish time; fixture id → row id. */
export async function seedDeployments(w: DeployWorld, slug: string, rows: readonly DoraDeployment[]) {
  const ci = await w.as('maintainer');
  const ids = new Map<string, string>();
  for (const [k, d] of rows.entries()) {
    const made = await ci.deployments.report({
      service: slug,
      environment: d.environmentIsProduction ? 'PRO' : 'FAT',
      version: `1.${d.environmentIsProduction ? 0 : 1}.${k + 1}`,
      commits: d.commits.map((c) => ({ sha: hexSha(c.sha), committedAt: c.committedAt })),
      state: d.state,
      at: d.finishedAt ?? undefined,
    });
    ids.set(d.id, made.id);
  }
  return ids;
}

/**
 * Opens each fixture incident on the service in `environment` (auto links happen), then sets its links to exactly
 * the fixture's (unlink the automatic ones it does not name, link the rest) and its resolution time.
 */
export async function seedIncidents(
  w: DeployWorld,
  serviceId: string,
  rows: readonly DoraIncident[],
  deploymentIds: Map<string, string>,
  environment = 'PRO',
) {
  const envs = await environmentIds(w);
  const ops = await w.as('maintainer');
  const ids = new Map<string, string>();
  for (const i of rows) {
    const made = await ops.incidents.create({
      title: `DORA ${i.id} ${serviceId.slice(0, 8)}`,
      severity: 'SEV3',
      startedAt: i.openedAt,
      detectedAt: i.openedAt,
      impacts: [{ serviceId, environmentId: envs[environment]!, impact: 'partial_outage' }],
    });
    ids.set(i.id, made.id);
    const wanted = new Set(i.linkedDeploymentIds.map((d) => deploymentIds.get(d)!));
    const { deployments } = await ops.incidents.get({ id: made.id });
    for (const d of deployments)
      if (!wanted.has(d.deploymentId))
        await ops.incidents.unlinkDeployment({ incidentId: made.id, deploymentId: d.deploymentId });
    for (const deploymentId of wanted)
      await ops.incidents.linkDeployment({ incidentId: made.id, deploymentId });
    // Resolution at a fixed past time: the transition stamps "now", so the test sets the history directly.
    if (i.resolvedAt)
      await w.f.database.sql`
        update incidents set status = 'resolved', resolved_at = ${i.resolvedAt} where id = ${made.id}`;
  }
  return ids;
}
