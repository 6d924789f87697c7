import { httpConfig, tcpConfig } from '@sextant/db/check-config';
import { CHECK_KINDS, SERVICE_RANGES, SERVICE_TIERS } from '@sextant/db/enums';
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { CHECK_LIMITS, HEARTBEAT_LIMITS, SERVICE_LIMITS } from '../limits';
import { intIn } from './int';
import { patchOf } from './patch';

const slugSchema = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lowercase letters, digits and single dashes.');

export const serviceInput = z.object({
  name: z.string().trim().min(1, 'Give the service a name.').max(SERVICE_LIMITS.nameLength),
  slug: slugSchema.optional(),
  description: z.string().trim().max(SERVICE_LIMITS.descriptionLength).nullish(),
  owner: z.string().trim().max(SERVICE_LIMITS.ownerLength).nullish(),
  tier: z.enum(SERVICE_TIERS).default('standard'),
  repositoryUrl: z
    .url({ protocol: /^https?$/, error: 'Enter an http(s) URL.' })
    .max(SERVICE_LIMITS.repositoryUrlLength)
    .nullish(),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  isPublic: z.boolean().default(false),
});

const checkCommon = {
  name: z.string().trim().min(1, 'Give the check a name.').max(CHECK_LIMITS.nameLength),
  environmentId: z.uuid('Pick an environment.'),
  intervalSeconds: intIn(CHECK_LIMITS.intervalSeconds, {
    min: 'At least 10 seconds.',
    max: 'At most 24 hours.',
  }).default(60),
  timeoutMs: intIn(CHECK_LIMITS.timeoutMs, { min: 'At least 100 ms.', max: 'At most 60 s.' }).default(10_000),
  failureThreshold: intIn(CHECK_LIMITS.threshold).default(2),
  successThreshold: intIn(CHECK_LIMITS.threshold).default(1),
  latencyThresholdMs: intIn(CHECK_LIMITS.latencyThresholdMs)
    .nullish()
    .transform((v) => v ?? null),
};

export const checkInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('http'), ...checkCommon, config: httpConfig }),
  z.object({ kind: z.literal('tcp'), ...checkCommon, config: tcpConfig }),
]);

export type CheckInput = z.infer<typeof checkInput>;

/** A change to a check: any of its fields; `config` fields merge into the stored config when the kind stays. */
export const checkPatch = z.object({
  kind: z.enum(CHECK_KINDS).optional(),
  ...patchOf(z.object(checkCommon)).shape,
  // Strict, so a TCP config is not read as an HTTP one with its fields stripped.
  config: z.union([patchOf(httpConfig).strict(), patchOf(tcpConfig).strict()]).optional(),
});
export type CheckPatch = z.infer<typeof checkPatch>;

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

export const rangeSchema = z.enum(SERVICE_RANGES);
export type Range = z.infer<typeof rangeSchema>;
