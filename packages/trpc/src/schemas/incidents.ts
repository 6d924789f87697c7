/**
 * Inputs of `incidents.*` and the status transition table. Client-safe (zod only), so the console offers exactly
 * the moves the server accepts, with the same limits.
 */
import {
  INCIDENT_IMPACTS,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  INCIDENT_UPDATE_VISIBILITIES,
  type IncidentStatus,
} from '@sextant/db/enums';
import { z } from 'zod';
import { INCIDENT_LIMITS } from '../limits';
import { boundedDate } from './time-range';

/**
 * Legal status moves: forward, skips included; back only resolved → investigating (a reopen). Anything else,
 * same-status moves included, is refused with INCIDENT_ILLEGAL_TRANSITION.
 */
export const INCIDENT_TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
  investigating: ['identified', 'monitoring', 'resolved'],
  identified: ['monitoring', 'resolved'],
  monitoring: ['resolved'],
  resolved: ['investigating'],
};

export const isLegalTransition = (from: IncidentStatus, to: IncidentStatus) =>
  INCIDENT_TRANSITIONS[from].includes(to);

/** The list's status filter: not yet resolved, or resolved. */
export const INCIDENT_LIST_STATES = ['open', 'resolved'] as const;

const characters = (n: number) => n.toLocaleString('en-US');

export const incidentTitle = z
  .string()
  .trim()
  .min(1, 'An incident needs a title.')
  .max(INCIDENT_LIMITS.titleLength, `A title is at most ${INCIDENT_LIMITS.titleLength} characters.`);

/** Markdown of one timeline update; the message says how long the refused one was. */
export const incidentUpdateBody = z
  .string()
  .trim()
  .min(1, 'An update needs some text.')
  .max(INCIDENT_LIMITS.updateBodyLength, {
    error: (issue) =>
      `An update is at most ${characters(INCIDENT_LIMITS.updateBodyLength)} characters; this one has ${characters(
        (issue.input as string).length,
      )}.`,
  });

const postmortemText = z
  .string()
  .trim()
  .max(
    INCIDENT_LIMITS.postmortemLength,
    `At most ${characters(INCIDENT_LIMITS.postmortemLength)} characters.`,
  )
  .nullable()
  // A cleared form field means "no postmortem text yet", stored as null rather than ''.
  .transform((v) => v || null);

const userId = z.string().trim().min(1).max(INCIDENT_LIMITS.userIdLength);

export const incidentImpactInput = z.object({
  serviceId: z.uuid(),
  environmentId: z.uuid(),
  impact: z.enum(INCIDENT_IMPACTS),
});

/** At most one impact per service × environment pair. */
export const incidentImpacts = z
  .array(incidentImpactInput)
  .max(
    INCIDENT_LIMITS.impacts,
    `An incident affects at most ${INCIDENT_LIMITS.impacts} service × environment pairs.`,
  )
  .superRefine((impacts, ctx) => {
    const seen = new Set<string>();
    impacts.forEach((i, index) => {
      const key = `${i.serviceId}/${i.environmentId}`;
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: [index, 'serviceId'],
          message: 'This service and environment are already listed.',
        });
      seen.add(key);
    });
  });

export const incidentUpdateInput = z.object({
  body: incidentUpdateBody,
  visibility: z.enum(INCIDENT_UPDATE_VISIBILITIES).default('public'),
});

export const incidentCreateInput = z.object({
  title: incidentTitle,
  severity: z.enum(INCIDENT_SEVERITIES),
  commanderId: userId.nullable().optional(),
  /** When impact began and when it was noticed; both default to now. */
  startedAt: boundedDate.optional(),
  detectedAt: boundedDate.optional(),
  impacts: incidentImpacts.default([]),
  /** The first timeline entry, carrying status `investigating`. */
  update: incidentUpdateInput.optional(),
});

export type IncidentCreateInput = z.infer<typeof incidentCreateInput>;

/** Fields left out keep their stored values; status moves go through `transition`. */
export const incidentPatch = z
  .object({
    title: incidentTitle,
    severity: z.enum(INCIDENT_SEVERITIES),
    commanderId: userId.nullable(),
    startedAt: boundedDate,
    detectedAt: boundedDate,
    postmortemSummary: postmortemText,
    postmortemRootCause: postmortemText,
  })
  .partial()
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'Change at least one field.');

export type IncidentPatch = z.infer<typeof incidentPatch>;

export const incidentTransitionInput = z.object({
  id: z.uuid(),
  status: z.enum(INCIDENT_STATUSES),
  /** The timeline entry for the change; without one, a short public note names the new status. */
  update: incidentUpdateInput.optional(),
});

export type IncidentUpdateInput = z.infer<typeof incidentUpdateInput>;

export const incidentPostUpdateInput = incidentUpdateInput.extend({ id: z.uuid() });

/** A calendar day, `YYYY-MM-DD`, this century. */
const dueOn = z.iso
  .date('Use a date, YYYY-MM-DD.')
  .refine((d) => d >= '2000-01-01' && d < '2100-01-01', 'A date in this century.');

const actionItemFields = z.object({
  title: z
    .string()
    .trim()
    .min(1, 'An action item needs a title.')
    .max(
      INCIDENT_LIMITS.actionItemTitleLength,
      `A title is at most ${INCIDENT_LIMITS.actionItemTitleLength} characters.`,
    ),
  ownerId: userId.nullable(),
  dueOn: dueOn.nullable(),
});

/** A postmortem follow-up as the form sends it; owner and due day may be left empty. */
export const incidentActionItemAddInput = actionItemFields
  .partial({ ownerId: true, dueOn: true })
  .extend({ incidentId: z.uuid() });

/** Fields left out keep their stored values; `done` stamps or clears the done time. */
export const incidentActionItemPatchInput = z.object({
  id: z.uuid(),
  patch: actionItemFields
    .extend({ done: z.boolean() })
    .partial()
    .refine((p) => Object.values(p).some((v) => v !== undefined), 'Change at least one field.'),
});

export type IncidentActionItemAddInput = z.infer<typeof incidentActionItemAddInput>;
export type IncidentActionItemPatch = z.infer<typeof incidentActionItemPatchInput>['patch'];

export const incidentSetImpactsInput = z.object({ id: z.uuid(), impacts: incidentImpacts });

/** Keyset position of the last row of a page: newest start first, id breaking ties. */
export const incidentCursor = z.object({ startedAt: boundedDate, id: z.uuid() });

export const incidentListInput = z.object({
  state: z.enum(INCIDENT_LIST_STATES).optional(),
  severity: z.array(z.enum(INCIDENT_SEVERITIES)).min(1).max(INCIDENT_SEVERITIES.length).optional(),
  cursor: incidentCursor.optional(),
  limit: z.number().int().min(1).max(INCIDENT_LIMITS.pageSize).default(INCIDENT_LIMITS.defaultPageSize),
});

export type IncidentListInput = z.infer<typeof incidentListInput>;

/** The windows per-service incident figures are offered for. */
export const INCIDENT_STATS_DAYS = [7, 30, 90] as const;

export const incidentStatsInput = z.object({
  days: z.union(INCIDENT_STATS_DAYS.map((d) => z.literal(d))).default(30),
  serviceId: z.uuid().optional(),
});

export type IncidentStatsInput = z.infer<typeof incidentStatsInput>;
