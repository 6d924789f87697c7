import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { INCIDENT_DEPLOYMENT_LINK_KINDS, type IncidentDeploymentLinkKind } from '../enums';
import { ts } from './columns';
import { deployments } from './delivery';
import { users } from './identity';
import { incidents } from './incidents';

const kindList = INCIDENT_DEPLOYMENT_LINK_KINDS.map((k) => `'${k}'`).join(', ');

/**
 * A deployment named as (a possible) cause of an incident: 'auto' when the incident opened (the latest succeeded
 * deployment before its start per impacted service × environment), 'manual' when a maintainer linked it.
 * DORA's change failure rate and recovery time read these links.
 */
export const incidentDeployments = pgTable(
  'incident_deployments',
  {
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    deploymentId: uuid()
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    how: text().$type<IncidentDeploymentLinkKind>().notNull(),
    /** The person who linked it; null for an automatic link (or when the user goes; the audit log keeps who). */
    linkedBy: text().references(() => users.id, { onDelete: 'set null' }),
    linkedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.incidentId, t.deploymentId] }),
    check('incident_deployments_how', sql.raw(`how in (${kindList})`)),
    // DORA reads "which incidents name these deployments".
    index('incident_deployments_deployment_idx').on(t.deploymentId),
  ],
);
