/** Inputs of `dora.*` and the incident ↔ deployment links; shared by the server and the console. */
import { z } from 'zod';
import { DORA_LIMITS, DORA_WINDOW_DAYS } from '../limits';
import { serviceRef } from './refs';

export const doraDays = z.union(
  DORA_WINDOW_DAYS.map((d) => z.literal(d)) as [z.ZodLiteral<7>, z.ZodLiteral<30>, z.ZodLiteral<90>],
);

/** One service (slug or id), one team (services.owner), or neither for everything; never both. */
export const doraGetInput = z
  .object({
    service: serviceRef.optional(),
    team: z.string().trim().min(1).max(DORA_LIMITS.teamLength).optional(),
    days: doraDays,
  })
  .refine((v) => !(v.service && v.team), { message: 'Name a service or a team, not both.', path: ['team'] });
export type DoraGetInput = z.infer<typeof doraGetInput>;

export const doraOverviewInput = z.object({ days: doraDays });

export const incidentDeploymentLinkInput = z.object({ incidentId: z.uuid(), deploymentId: z.uuid() });
export type IncidentDeploymentLinkInput = z.infer<typeof incidentDeploymentLinkInput>;
