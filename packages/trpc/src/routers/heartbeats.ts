import { z } from 'zod';
import { heartbeatPatch, heartbeatSettings } from '../schemas/heartbeats';
import { byId, serviceRef } from '../schemas/refs';
import {
  createHeartbeat,
  deleteHeartbeat,
  rotateHeartbeatToken,
  setHeartbeatPaused,
  updateHeartbeat,
} from '../services/heartbeats';
import { createTRPCRouter, maintainerProcedure } from '../trpc';
import { pauseAndDelete } from './monitor-procedures';

export const heartbeatsRouter = createTRPCRouter({
  create: maintainerProcedure
    .input(z.object({ service: serviceRef, heartbeat: heartbeatSettings }))
    .mutation(({ ctx, input }) => createHeartbeat(ctx, input.service, input.heartbeat)),
  /** A patch: fields left out keep their stored values. */
  update: maintainerProcedure
    .input(z.object({ id: z.uuid(), heartbeat: heartbeatPatch }))
    .mutation(({ ctx, input }) => updateHeartbeat(ctx, input.id, input.heartbeat)),
  /** A new ping URL, shown once; the old one stops working. */
  rotateToken: maintainerProcedure
    .input(byId)
    .mutation(({ ctx, input }) => rotateHeartbeatToken(ctx, input.id)),
  ...pauseAndDelete(setHeartbeatPaused, deleteHeartbeat),
});
