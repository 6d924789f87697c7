/** Inputs of `releases.board`, `deployments.markers` and `deployments.approve`. Client-safe (zod only). */
import { z } from 'zod';
import { BOARD_LIMITS } from '../limits';
import { environmentName } from './environments';
import { serviceRef } from './refs';
import { boundedDate } from './time-range';

const DAY_MS = 86_400_000;

/** One page of the board: services by slug, after `cursor` (the last slug shown), optionally matching `search`. */
export const releaseBoardInput = z.object({
  cursor: z.string().trim().min(1).max(100).optional(),
  limit: z.number().int().min(1).max(BOARD_LIMITS.pageSize).default(BOARD_LIMITS.defaultPageSize),
  search: z.string().trim().max(BOARD_LIMITS.searchLength).optional(),
});
export type ReleaseBoardInput = z.infer<typeof releaseBoardInput>;

/** A service's deployments in a chart's range (at most `markersSpanDays`), optionally of one environment. */
export const deploymentMarkersInput = z
  .object({
    service: serviceRef,
    environment: environmentName.optional(),
    from: boundedDate,
    to: boundedDate,
  })
  .superRefine((w, ctx) => {
    const span = w.to.getTime() - w.from.getTime();
    if (span <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must be after `from`.' });
    else if (span > BOARD_LIMITS.markersSpanDays * DAY_MS)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `Markers are read for at most ${BOARD_LIMITS.markersSpanDays} days.`,
      });
  });
export type DeploymentMarkersInput = z.infer<typeof deploymentMarkersInput>;

/** A service page's deployment timeline: its newest deployments. */
export const deploymentTimelineInput = z.object({
  service: serviceRef,
  limit: z.number().int().min(1).max(BOARD_LIMITS.timeline).default(20),
});
