import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  index,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { DEPLOYMENT_STATES, type DeploymentState } from '../enums';
import { ts, uuidKey } from './columns';
import { environmentRef } from './environments';
import { apiKeys, users } from './identity';
import { serviceRef } from './services';

// The CHECKs are a backstop: DELIVERY_LIMITS in @sextant/trpc is the rule every input is validated against first.

/** Who made a row: a person or an API key (CI); each unset when its user or key goes, the audit log keeps who. */
const createdBy = () => ({
  createdByUserId: text().references(() => users.id, { onDelete: 'set null' }),
  createdByApiKeyId: uuid().references(() => apiKeys.id, { onDelete: 'set null' }),
});

const stateList = DEPLOYMENT_STATES.map((s) => `'${s}'`).join(', ');

/** A service's version: one per (service, version) case-insensitively, with its commit and artifact. */
export const releases = pgTable(
  'releases',
  {
    id: uuidKey(),
    serviceId: serviceRef(),
    version: text().notNull(),
    commitSha: text(),
    /** Markdown, rendered inert wherever it is shown. */
    notes: text(),
    artifactUrl: text(),
    ...createdBy(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('releases_service_version_idx').on(t.serviceId, sql`lower(${t.version})`),
    index('releases_service_created_idx').on(t.serviceId, t.createdAt),
    check('releases_version_length', sql`char_length(${t.version}) between 1 and 100`),
    check('releases_commit_sha_hex', sql`${t.commitSha} ~ '^[0-9a-f]{7,40}$'`),
    check('releases_notes_length', sql`char_length(${t.notes}) <= 20000`),
    check(
      'releases_artifact_url_http',
      sql`${t.artifactUrl} ~ '^https?://' and char_length(${t.artifactUrl}) <= 2000`,
    ),
  ],
);

/** The commits a release carries, with their times (DORA's lead time reads them). */
export const releaseCommits = pgTable(
  'release_commits',
  {
    releaseId: uuid()
      .notNull()
      .references(() => releases.id, { onDelete: 'cascade' }),
    sha: text().notNull(),
    committedAt: ts().notNull(),
    message: text(),
  },
  (t) => [
    primaryKey({ columns: [t.releaseId, t.sha] }),
    // DORA's lead time: the earlier releases that carried a window's commit.
    index('release_commits_sha_idx').on(t.sha),
    check('release_commits_sha_hex', sql`${t.sha} ~ '^[0-9a-f]{7,40}$'`),
    check('release_commits_message_length', sql`char_length(${t.message}) <= 1000`),
  ],
);

/** A release in one environment, moving through the deployment state machine. */
export const deployments = pgTable(
  'deployments',
  {
    id: uuidKey(),
    releaseId: uuid()
      .notNull()
      .references(() => releases.id, { onDelete: 'cascade' }),
    serviceId: serviceRef(),
    environmentId: environmentRef('restrict').notNull(),
    state: text().$type<DeploymentState>().notNull(),
    /** The CI system's own id for this deployment: reports are idempotent on it per service × environment. */
    externalId: text(),
    queuedAt: ts().notNull().defaultNow(),
    startedAt: ts(),
    finishedAt: ts(),
    /** The succeeded deployment in the previous environment this one was promoted from. */
    promotedFromDeploymentId: uuid().references((): AnyPgColumn => deployments.id, { onDelete: 'set null' }),
    /** An admin promoted without the previous environment's success; the reason is required then. */
    override: boolean().notNull().default(false),
    overrideReason: text(),
    /** Set on promotions into an environment that requires approval: pending until someone else approves. */
    approval: text().$type<'pending' | 'approved'>(),
    approvedByUserId: text().references(() => users.id, { onDelete: 'set null' }),
    approvedAt: ts(),
    ...createdBy(),
  },
  (t) => [
    check('deployments_state', sql.raw(`state in (${stateList})`)),
    check('deployments_override_reason', sql`not ${t.override} or ${t.overrideReason} is not null`),
    check('deployments_approval', sql`${t.approval} in ('pending', 'approved')`),
    check('deployments_external_id_length', sql`char_length(${t.externalId}) between 1 and 200`),
    uniqueIndex('deployments_external_id_idx')
      .on(t.serviceId, t.environmentId, t.externalId)
      .where(sql`${t.externalId} is not null`),
    // What runs where: the newest deployment per service × environment.
    index('deployments_latest_idx').on(t.serviceId, t.environmentId, t.queuedAt, t.id),
    // Time-window reads (DORA, markers): finished deployments of an environment.
    index('deployments_env_finished_idx').on(t.environmentId, t.finishedAt),
    // One service's finished deployments per environment: DORA per service and an incident's latest earlier one.
    index('deployments_service_env_finished_idx').on(t.serviceId, t.environmentId, t.finishedAt),
    // Promotion's check: this release's deployments in one environment.
    index('deployments_release_env_idx').on(t.releaseId, t.environmentId),
    // The unfiltered list, newest first.
    index('deployments_queued_idx').on(t.queuedAt, t.id),
  ],
);

/**
 * Per service and commit, its first succeeded production deployment (DORA's lead time), kept by
 * services/commit-first-deploys.ts in the transaction that changes a deployment, so the lead-time read scans the
 * window (commit_first_deploys_deployed_idx), not the whole history.
 */
export const commitFirstDeploys = pgTable(
  'commit_first_deploys',
  {
    serviceId: serviceRef(),
    sha: text().notNull(),
    /** The commit time on the first deployment's release. */
    committedAt: ts().notNull(),
    deploymentId: uuid()
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    /** The first deployment's finish time. */
    deployedAt: ts().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.serviceId, t.sha] }),
    index('commit_first_deploys_deployed_idx').on(t.deployedAt),
    index('commit_first_deploys_deployment_idx').on(t.deploymentId),
  ],
);
