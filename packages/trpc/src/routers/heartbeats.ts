import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { heartbeatInput } from '../schemas/monitoring';
import {
  createHeartbeat,
  deleteHeartbeat,
  rotateHeartbeatToken,
  setHeartbeatPaused,
  updateHeartbeat,
} from '../services/heartbeats';
import { createTRPCRouter, roleProcedure } from '../trpc';

const maintainer = roleProcedure('maintainer');

/** Cron syntax and time zone are checked here so a bad schedule is a field error, not a stuck monitor. */
const validated = heartbeatInput.superRefine((h, ctx) => {
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
});

function normalise(h: z.infer<typeof validated>) {
  return {
    name: h.name,
    environmentId: h.environmentId ?? null,
    periodSeconds: h.periodSeconds ?? null,
    cron: h.cron || null,
    timezone: h.timezone,
    graceSeconds: h.graceSeconds,
  };
}

export const heartbeatsRouter = createTRPCRouter({
  create: maintainer
    .input(z.object({ service: z.string().trim().min(1).max(100), heartbeat: validated }))
    .mutation(({ ctx, input }) => createHeartbeat(ctx, input.service, normalise(input.heartbeat))),
  update: maintainer
    .input(z.object({ id: z.uuid(), heartbeat: validated }))
    .mutation(({ ctx, input }) => updateHeartbeat(ctx, input.id, normalise(input.heartbeat))),
  setPaused: maintainer
    .input(z.object({ id: z.uuid(), paused: z.boolean() }))
    .mutation(({ ctx, input }) => setHeartbeatPaused(ctx, input.id, input.paused)),
  delete: maintainer
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => deleteHeartbeat(ctx, input.id)),
  /** A new ping URL, shown once; the old one stops working. */
  rotateToken: maintainer
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => rotateHeartbeatToken(ctx, input.id)),
});
