/**
 * Inputs of `releases.*` and `deployments.*` and the deployment state machine. Client-safe (zod only), so the
 * console and the REST edge validate with exactly the server's rules and limits.
 */
import { DEPLOYMENT_STATES, type DeploymentState } from '@sextant/db/enums';
import { z } from 'zod';
import { DELIVERY_LIMITS } from '../limits';
import { environmentName } from './environments';
import { serviceRef } from './refs';
import { boundedDate } from './time-range';

/**
 * Legal state moves: queued → in_progress → succeeded | failed | rolled_back, queued → failed (never started),
 * succeeded → rolled_back (undone later). Anything else, same-state moves included, is refused with
 * DEPLOYMENT_ILLEGAL_TRANSITION and changes nothing.
 */
export const DEPLOYMENT_TRANSITIONS: Record<DeploymentState, readonly DeploymentState[]> = {
  queued: ['in_progress', 'failed'],
  in_progress: ['succeeded', 'failed', 'rolled_back'],
  succeeded: ['rolled_back'],
  failed: [],
  rolled_back: [],
};

export const isLegalDeploymentTransition = (from: DeploymentState, to: DeploymentState) =>
  DEPLOYMENT_TRANSITIONS[from].includes(to);

/** States after which nothing more happens to a deployment but a rollback of a success. */
export const FINISHED_STATES: readonly DeploymentState[] = ['succeeded', 'failed', 'rolled_back'];

export const deploymentState = z.enum(DEPLOYMENT_STATES);

/** A git SHA, short (7) to full (40), stored lower-case. */
export const commitSha = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{7,40}$/, 'A commit SHA is 7 to 40 hexadecimal characters.')
  .transform((s) => s.toLowerCase());

export const releaseVersion = z
  .string()
  .trim()
  .min(1, 'A release needs a version.')
  .max(DELIVERY_LIMITS.versionLength, `A version is at most ${DELIVERY_LIMITS.versionLength} characters.`);

export const releaseCommit = z.object({
  sha: commitSha,
  committedAt: boundedDate,
  message: z.string().max(DELIVERY_LIMITS.commitMessageLength).optional(),
});

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'An artifact link is an http or https URL.' })
  .max(DELIVERY_LIMITS.artifactUrlLength);

/** An environment named as people write it (DEV, fat …); matched case-insensitively. */
export const environmentRef = environmentName;

/** What CI reports (requirement 1): the release (made if missing) and the deployment's state in one environment. */
export const deploymentReportInput = z.object({
  service: serviceRef,
  environment: environmentRef,
  version: releaseVersion,
  commitSha: commitSha.optional(),
  commits: z
    .array(releaseCommit)
    .max(DELIVERY_LIMITS.commits, `A report carries at most ${DELIVERY_LIMITS.commits} commits.`)
    .optional(),
  notes: z
    .string()
    .max(DELIVERY_LIMITS.notesLength, `Release notes are at most ${DELIVERY_LIMITS.notesLength} characters.`)
    .optional(),
  artifactUrl: httpUrl.optional(),
  state: deploymentState,
  /** The CI system's id for this deployment; a report with the same one is a replay or the next state. */
  externalId: z.string().trim().min(1).max(DELIVERY_LIMITS.externalIdLength).optional(),
  /** When the state was reached; now when left out. */
  at: boundedDate.optional(),
});

export type DeploymentReportInput = z.infer<typeof deploymentReportInput>;

export const deploymentTransitionInput = z.object({
  id: z.uuid(),
  state: deploymentState,
  at: boundedDate.optional(),
});

/** Issue 16 point 3: the deployment to roll back (and its confirm dialog's preview). */
export const deploymentRollbackInput = z.object({ deploymentId: z.uuid() });

/** Requirement 2: a release into one environment; `override` (admins only) skips the previous-success rule. */
export const deploymentPromoteInput = z.object({
  releaseId: z.uuid(),
  environment: environmentRef,
  override: z
    .object({ reason: z.string().trim().min(1, 'Say why.').max(DELIVERY_LIMITS.overrideReasonLength) })
    .optional(),
});

export type DeploymentPromoteInput = z.infer<typeof deploymentPromoteInput>;

const pageLimit = z
  .number()
  .int()
  .min(1)
  .max(DELIVERY_LIMITS.pageSize)
  .default(DELIVERY_LIMITS.defaultPageSize);

/** Keyset position of the last row of a page: newest first, id breaking ties. */
export const deploymentCursor = z.object({ queuedAt: boundedDate, id: z.uuid() });

export const deploymentListInput = z.object({
  service: serviceRef.optional(),
  environment: environmentRef.optional(),
  cursor: deploymentCursor.optional(),
  limit: pageLimit,
});

export type DeploymentListInput = z.infer<typeof deploymentListInput>;

export const releaseCursor = z.object({ createdAt: boundedDate, id: z.uuid() });

export const releaseListInput = z.object({
  service: serviceRef,
  cursor: releaseCursor.optional(),
  limit: pageLimit,
});

export type ReleaseListInput = z.infer<typeof releaseListInput>;
