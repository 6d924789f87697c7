import type { RouterOutputs } from '~/lib/router-types';

export type Project = RouterOutputs['projects']['get'];
export type Person = RouterOutputs['users']['directory'][number];
export type Milestone = RouterOutputs['milestones']['list'][number];

/** Owner updates the settings page lists, newest first. */
export const UPDATES_SHOWN = 20;

/** What each threshold does, said once for the form and the read-only view (README "Project progress"). */
export const THRESHOLD_HINTS = {
  defaultEstimate: 'Points an un-estimated item counts in progress by estimate.',
  riskGapPercent: 'At risk when elapsed % of start→target minus done % by estimate exceeds this.',
  stallDays: 'At risk when nothing was completed for this many days with work open.',
} as const;
