import { z } from 'zod';
import { heartbeatPatch, heartbeatSettings } from '../schemas/monitoring';
import { byId, pauseInput, serviceRef } from '../schemas/refs';
import {
  createHeartbeat,
  deleteHeartbeat,
  rotateHeartbeatToken,
  setHeartbeatPaused,
  updateHeartbeat,
} from '../services/heartbeats';
import { createTRPCRouter, roleProcedure } from '../trpc';

const maintainer = roleProcedure('maintainer');

export const heartbeatsRouter = createTRPCRouter({
  create: maintainer
    .input(z.object({ service: serviceRef, heartbeat: heartbeatSettings }))
    .mutation(({ ctx, input }) => createHeartbeat(ctx, input.service, input.heartbeat)),
  /** A patch: fields left out keep their stored values. */
  update: maintainer
    .input(z.object({ id: z.uuid(), heartbeat: heartbeatPatch }))
    .mutation(({ ctx, input }) => updateHeartbeat(ctx, input.id, input.heartbeat)),
  setPaused: maintainer
    .input(pauseInput)
    .mutation(({ ctx, input }) => setHeartbeatPaused(ctx, input.id, input.paused)),
  delete: maintainer.input(byId).mutation(({ ctx, input }) => deleteHeartbeat(ctx, input.id)),
  /** A new ping URL, shown once; the old one stops working. */
  rotateToken: maintainer.input(byId).mutation(({ ctx, input }) => rotateHeartbeatToken(ctx, input.id)),
});
