import { and, type DbOrTx, desc, eq, gte, lte, schema, sql } from '@sextant/db';
import { BOARD_LIMITS } from '../limits';
import type { DeploymentMarkersInput } from '../schemas/release-board';
import { flagChangeMarkers } from './flags/read';
import { resolveEnvironment, resolveService } from './releases';

const { deployments, releases, environments, users, apiKeys } = schema;

/** One deployment as a chart marker or a timeline entry: version, environment, state, who and when. */
const entry = {
  id: deployments.id,
  releaseId: deployments.releaseId,
  version: releases.version,
  environment: environments.name,
  state: deployments.state,
  approval: deployments.approval,
  override: deployments.override,
  /** When it was queued: the marker's position. */
  at: deployments.queuedAt,
  finishedAt: deployments.finishedAt,
  /** A person's name (or email) or an API key's name. */
  who: sql<string | null>`coalesce(${users.name}, ${users.email}, ${apiKeys.name})`,
};

function entries(db: DbOrTx) {
  return db
    .select(entry)
    .from(deployments)
    .innerJoin(releases, eq(releases.id, deployments.releaseId))
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .leftJoin(users, eq(users.id, deployments.createdByUserId))
    .leftJoin(apiKeys, eq(apiKeys.id, deployments.createdByApiKeyId));
}

/**
 * Issue 16 point 3: a service's deployments queued inside a chart's range (at most `markersSpanDays`), newest
 * `BOARD_LIMITS.markers` of them, returned oldest first; `truncated` says when older ones were left out. `flags`:
 * its linked flags' changes in the same range and environment, bounded alike (issue 18).
 */
export async function deploymentMarkers(db: DbOrTx, input: DeploymentMarkersInput) {
  const service = await resolveService(db, input.service);
  const environment = input.environment ? await resolveEnvironment(db, input.environment) : null;
  const rows = await entries(db)
    .where(
      and(
        eq(deployments.serviceId, service.id),
        environment ? eq(deployments.environmentId, environment.id) : undefined,
        gte(deployments.queuedAt, input.from),
        lte(deployments.queuedAt, input.to),
      ),
    )
    .orderBy(desc(deployments.queuedAt), desc(deployments.id))
    .limit(BOARD_LIMITS.markers + 1);
  // Issue 18: changes of the service's linked flags go on the same charts, bounded the same way.
  const flags = await flagChangeMarkers(db, {
    serviceId: service.id,
    environmentId: environment?.id ?? null,
    from: input.from,
    to: input.to,
    limit: BOARD_LIMITS.markers,
  });
  return {
    items: rows.slice(0, BOARD_LIMITS.markers).reverse(),
    truncated: rows.length > BOARD_LIMITS.markers,
    flags,
  };
}

/** A service page's deployment timeline: its newest deployments in every environment, newest first. */
export async function deploymentTimeline(db: DbOrTx, input: { service: string; limit: number }) {
  const service = await resolveService(db, input.service);
  return entries(db)
    .where(eq(deployments.serviceId, service.id))
    .orderBy(desc(deployments.queuedAt), desc(deployments.id))
    .limit(input.limit);
}
