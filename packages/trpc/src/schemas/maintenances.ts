import { z } from 'zod';
import { MAINTENANCE_LIMITS as L } from '../limits';
import { intIn } from './int';
import { patchOf } from './patch';

/** Window times stay within this century, so every zone's rules and the RRULE library can read them. */
const when = z
  .date()
  .min(new Date('2000-01-01T00:00:00Z'), 'After the year 2000.')
  .max(new Date('2100-01-01T00:00:00Z'), 'Before the year 2100.');

/** One service in one environment that a window covers. */
export const maintenanceTarget = z.object({ serviceId: z.uuid(), environmentId: z.uuid() });

/**
 * A maintenance window as the console's form sends it. startsAt/endsAt are the first occurrence; the RRULE value
 * (e.g. "FREQ=WEEKLY;BYDAY=SU;COUNT=10") repeats it in timeZone. Schedule rules (zone, duration, RRULE) are
 * checked by the server's maintenance-schedule module, which answers with a reason.
 */
export const maintenanceInput = z.object({
  title: z.string().trim().min(1, 'Give the window a title.').max(L.titleLength),
  description: z.string().trim().max(L.descriptionLength).default(''),
  startsAt: when,
  endsAt: when,
  rrule: z
    .string()
    .trim()
    .max(L.rruleLength)
    .nullish()
    .transform((r) => r || null),
  timeZone: z.string().trim().min(1, 'Pick a time zone.').max(L.timeZoneLength),
  announceAheadMinutes: intIn(L.announceAheadMinutes).default(1440),
  targets: z
    .array(maintenanceTarget)
    .min(1, 'Pick at least one service and environment.')
    .max(L.targets)
    .refine((ts) => new Set(ts.map((t) => `${t.serviceId}/${t.environmentId}`)).size === ts.length, {
      message: 'Each service and environment once.',
    }),
});
export type MaintenanceInput = z.output<typeof maintenanceInput>;

/** An update: fields left out keep their stored values; `targets`, when sent, replaces the whole set. */
export const maintenancePatch = patchOf(maintenanceInput);
export type MaintenancePatch = z.output<typeof maintenancePatch>;

/** What the form's schedule preview sends: the schedule fields alone, bounded like the full input. */
export const maintenancePreviewInput = maintenanceInput.pick({
  startsAt: true,
  endsAt: true,
  rrule: true,
  timeZone: true,
});

export const MAINTENANCE_STATES = ['upcoming', 'active', 'past'] as const;
export const maintenanceListInput = z.object({ state: z.enum(MAINTENANCE_STATES) });
