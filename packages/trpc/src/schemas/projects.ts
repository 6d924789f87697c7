import { PROJECT_HEALTHS } from '@sextant/db/enums';
import { z } from 'zod';
import { PROJECT_LIMITS as L } from '../limits';
import { intIn } from './int';

export { PROJECT_LIMITS } from '../limits';

/** A calendar day, `YYYY-MM-DD` (projects and milestones are planned in days, not instants). */
export const daySchema = z.iso.date('Enter a date as YYYY-MM-DD.');

const name = z.string().trim().min(1, 'Give it a name.').max(L.nameLength);
const description = z.string().trim().max(L.descriptionLength).nullish();
const userId = z.string().trim().min(1).max(100);

/** The settings of spec D: thresholds the progress rules read. */
const settings = {
  defaultEstimate: intIn(L.defaultEstimate),
  riskGapPercent: intIn(L.riskGapPercent),
  stallDays: intIn(L.stallDays),
};

const projectFields = {
  name,
  description,
  ownerUserId: userId.nullish(),
  startDate: daySchema,
  targetDate: daySchema.nullish(),
};

export const projectInput = z.object({
  ...projectFields,
  defaultEstimate: settings.defaultEstimate.default(1),
  riskGapPercent: settings.riskGapPercent.default(20),
  stallDays: settings.stallDays.default(14),
});
export type ProjectInput = z.infer<typeof projectInput>;

/**
 * A patch: fields left out keep their stored values; null clears an optional one. `digestIntegrationId` is the email
 * integration the weekly digest goes through (null: no digest).
 */
export const projectPatch = z
  .object({ ...projectFields, ...settings, digestIntegrationId: z.uuid().nullable() })
  .partial();
export type ProjectPatch = z.infer<typeof projectPatch>;

export const projectRef = z.object({ id: z.uuid() });
export const projectListInput = z
  .object({ includeArchived: z.boolean().default(false) })
  .default({ includeArchived: false });

export const memberInput = z.object({ userId, digest: z.boolean().default(true) });
export const setMembersInput = z.object({
  projectId: z.uuid(),
  members: z
    .array(memberInput)
    .max(L.members)
    .refine((m) => new Set(m.map((x) => x.userId)).size === m.length, 'List each person once.'),
});
export const addMemberInput = z.object({ projectId: z.uuid(), ...memberInput.shape });
export const removeMemberInput = z.object({ projectId: z.uuid(), userId });
export const setServicesInput = z.object({
  projectId: z.uuid(),
  serviceIds: z
    .array(z.uuid())
    .max(L.services)
    .refine((s) => new Set(s).size === s.length, 'List each service once.'),
});

export const projectUpdateInput = z.object({
  projectId: z.uuid(),
  health: z.enum(PROJECT_HEALTHS).nullish(),
  note: z.string().trim().min(1, 'Write a note.').max(L.noteLength),
});
export const listUpdatesInput = z.object({
  projectId: z.uuid(),
  limit: z.number().int().min(1).max(L.updatesPage).default(20),
});

export const milestoneInput = z.object({ name, description, dueDate: daySchema.nullish() });
export type MilestoneInput = z.infer<typeof milestoneInput>;
export const milestonePatch = milestoneInput.partial();
export type MilestonePatch = z.infer<typeof milestonePatch>;
export const milestoneCreateInput = z.object({ projectId: z.uuid(), milestone: milestoneInput });
export const milestoneUpdateInput = z.object({ id: z.uuid(), milestone: milestonePatch });
export const milestoneReorderInput = z.object({
  projectId: z.uuid(),
  ids: z
    .array(z.uuid())
    .min(1)
    .max(L.milestones)
    .refine((s) => new Set(s).size === s.length, 'List each milestone once.'),
});

export const shareLinkCreateInput = z.object({
  projectId: z.uuid(),
  label: z.string().trim().max(L.shareLabelLength).nullish(),
  /** How long the link works, from now. */
  expiresInHours: intIn(L.shareLinkHours),
});
