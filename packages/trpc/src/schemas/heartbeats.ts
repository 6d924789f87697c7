import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { HEARTBEAT_LIMITS } from '../limits';
import { intIn } from './int';
import { patchOf } from './patch';

export const heartbeatInput = z
  .object({
    name: z.string().trim().min(1, 'Give the monitor a name.').max(HEARTBEAT_LIMITS.nameLength),
    environmentId: z.uuid().nullish(),
    periodSeconds: intIn(HEARTBEAT_LIMITS.periodSeconds).nullish(),
    cron: z.string().trim().max(HEARTBEAT_LIMITS.cronLength).nullish(),
    timezone: z.string().trim().max(HEARTBEAT_LIMITS.timezoneLength).default('UTC'),
    graceSeconds: intIn(HEARTBEAT_LIMITS.graceSeconds, { max: 'At most 7 days.' }).default(60),
  })
  .refine((h) => (h.periodSeconds ? 1 : 0) + (h.cron ? 1 : 0) === 1, {
    message: 'Set either a period or a cron expression.',
    path: ['periodSeconds'],
  });

/** Cron syntax and time zone are checked too, so a bad schedule is a field error, not a stuck monitor. */
export const heartbeatSettings = heartbeatInput
  .superRefine((h, ctx) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: h.timezone });
    } catch {
      ctx.addIssue({ code: 'custom', path: ['timezone'], message: 'Unknown time zone.' });
      return;
    }
    if (h.cron) {
      try {
        CronExpressionParser.parse(h.cron, { tz: h.timezone });
      } catch {
        ctx.addIssue({ code: 'custom', path: ['cron'], message: 'Not a valid cron expression.' });
      }
    }
  })
  .transform((h) => ({
    name: h.name,
    environmentId: h.environmentId ?? null,
    periodSeconds: h.periodSeconds ?? null,
    cron: h.cron || null,
    timezone: h.timezone,
    graceSeconds: h.graceSeconds,
  }));

export const heartbeatPatch = patchOf(heartbeatInput);
export type HeartbeatPatch = z.infer<typeof heartbeatPatch>;
