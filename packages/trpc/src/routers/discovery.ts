import { z } from 'zod';
import { byId, serviceRef } from '../schemas/refs';
import {
  deregisterInstance,
  heartbeatInstance,
  listInstances,
  registerInstance,
} from '../services/discovery';
import { authedProcedure, createTRPCRouter, maintainerProcedure } from '../trpc';

export const discoveryRouter = createTRPCRouter({
  /** Instances register themselves with a maintainer-role API key (or a maintainer's session). */
  register: maintainerProcedure
    .input(
      z.object({
        service: serviceRef,
        environment: z.string().trim().min(1).max(64),
        host: z
          .string()
          .trim()
          .min(1)
          .max(253)
          .regex(/^[A-Za-z0-9.:[\]-]+$/, 'Enter a host name or IP address.'),
        port: z.number().int().min(1).max(65535),
        version: z.string().trim().max(100).nullish(),
        metadata: z
          .record(z.string().max(100), z.string().max(1000))
          .refine((m) => Object.keys(m).length <= 50, 'At most 50 metadata entries.')
          .default({}),
        ttlSeconds: z.number().int().min(5).max(3600).default(30),
      }),
    )
    .mutation(({ ctx, input }) => registerInstance(ctx, input)),
  heartbeat: maintainerProcedure.input(byId).mutation(({ ctx, input }) => heartbeatInstance(ctx, input.id)),
  deregister: maintainerProcedure.input(byId).mutation(({ ctx, input }) => deregisterInstance(ctx, input.id)),
  list: authedProcedure
    .input(
      z.object({
        service: serviceRef,
        environment: z.string().trim().min(1).max(64).optional(),
      }),
    )
    .query(({ ctx, input }) => listInstances(ctx, input)),
});
