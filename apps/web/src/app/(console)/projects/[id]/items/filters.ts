import { WORK_ITEM_STATUSES, type WorkItemStatus } from '@sextant/db/enums';
import { z } from 'zod';
import { firstParam, type ParamGet } from '~/lib/search-params';

/** `none` in the URL stands for "items without one" (null in the list input). */
export const NONE = 'none';

export interface ItemFilters {
  status?: WorkItemStatus;
  milestone?: string;
  assignee?: string;
  label?: string;
  /** The last item of the previous page. */
  after?: string;
}

const uuidOrNone = (v: string | undefined) =>
  v === NONE || (v && z.uuid().safeParse(v).success) ? v : undefined;

/** From the URL: `?status=todo&milestone=<id>|none&assignee=<id>|none&label=x&after=<id>`. */
export function readFilters(get: ParamGet): ItemFilters {
  const status = firstParam(get, 'status');
  const assignee = firstParam(get, 'assignee');
  const label = firstParam(get, 'label');
  const after = firstParam(get, 'after');
  return {
    status: WORK_ITEM_STATUSES.includes(status as never) ? (status as WorkItemStatus) : undefined,
    milestone: uuidOrNone(firstParam(get, 'milestone')),
    assignee: assignee && assignee.length <= 100 ? assignee : undefined,
    label: label && label.length <= 50 && !/[;|]/.test(label) ? label : undefined,
    after: after && z.uuid().safeParse(after).success ? after : undefined,
  };
}

export const PAGE_SIZE = 50;

export const toListInput = (projectId: string, f: ItemFilters) => ({
  projectId,
  status: f.status ? [f.status] : undefined,
  milestoneId: f.milestone === NONE ? null : f.milestone,
  assigneeUserId: f.assignee === NONE ? null : f.assignee,
  label: f.label,
  cursor: f.after,
  limit: PAGE_SIZE,
});

export function toSearch(f: ItemFilters): string {
  const entries = Object.entries(f).filter((e): e is [string, string] => typeof e[1] === 'string');
  return entries.length ? `?${new URLSearchParams(entries)}` : '?';
}
