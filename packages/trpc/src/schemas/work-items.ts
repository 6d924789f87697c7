import { WORK_ITEM_STATUSES } from '@sextant/db/enums';
import { z } from 'zod';
import { WORK_ITEM_LIMITS as L } from '../limits';
import { intIn } from './int';
import { patchOf } from './patch';
import { daySchema } from './projects';

export const workItemStatus = z.enum(WORK_ITEM_STATUSES);

/** A label: no `;` or `|`, which separate labels in a CSV cell, and no leading/trailing blanks. */
export const workItemLabel = z
  .string()
  .trim()
  .min(1, 'A label cannot be empty.')
  .max(L.labelLength, `At most ${L.labelLength} characters.`)
  .regex(/^[^;|\r\n]+$/, 'A label cannot contain ; or | or a line break.');

export const workItemFields = z.object({
  title: z
    .string()
    .trim()
    .min(1, 'Enter a title.')
    .max(L.titleLength, `At most ${L.titleLength} characters.`),
  /** Points; null = un-estimated. */
  estimate: intIn(L.estimate).nullable().default(null),
  status: workItemStatus.default('todo'),
  milestoneId: z.uuid().nullable().default(null),
  assigneeUserId: z.string().min(1).max(100).nullable().default(null),
  labels: z
    .array(workItemLabel)
    .max(L.labels, `At most ${L.labels} labels.`)
    .transform((ls) => [...new Set(ls)])
    // Outermost, so patchOf drops it and a patch without labels keeps the stored ones.
    .default([]),
  releaseId: z.uuid().nullable().default(null),
  /** A day, not before the project's start (WORK_ITEM_DUE_BEFORE_START). */
  dueDate: daySchema.nullable().default(null),
});
export type WorkItemFields = z.output<typeof workItemFields>;

export const workItemCreate = workItemFields.extend({ projectId: z.uuid() });
export type WorkItemCreate = z.output<typeof workItemCreate>;

/** A patch: fields left out keep their stored values (never defaulted). */
export const workItemPatch = patchOf(workItemFields);
export type WorkItemPatch = z.output<typeof workItemPatch>;

export const workItemList = z.object({
  projectId: z.uuid(),
  status: z.array(workItemStatus).max(WORK_ITEM_STATUSES.length).optional(),
  /** A milestone's id, or null for items without one. */
  milestoneId: z.uuid().nullable().optional(),
  assigneeUserId: z.string().min(1).max(100).nullable().optional(),
  label: workItemLabel.optional(),
  limit: z.number().int().min(1).max(L.pageSize).default(50),
  /** The last item's id of the previous page (items are ordered by creation, then id). */
  cursor: z.uuid().optional(),
});
export type WorkItemList = z.output<typeof workItemList>;

export const workItemBulkStatus = z.object({
  projectId: z.uuid(),
  ids: z.array(z.uuid()).min(1).max(L.bulkIds, `At most ${L.bulkIds} items at once.`),
  status: workItemStatus,
});

export const IMPORT_FORMATS = ['csv', 'github'] as const;
export const workItemImport = z.object({
  projectId: z.uuid(),
  format: z.enum(IMPORT_FORMATS),
  // A hard bound on characters; the service refuses above importBytes bytes with its own code.
  content: z.string().max(L.importBytes * 2, 'The file is too large.'),
});
export type WorkItemImport = z.output<typeof workItemImport>;
