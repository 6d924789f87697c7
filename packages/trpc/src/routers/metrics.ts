import { writeAuditSql } from '@sextant/db';
import { actorOf } from '../context';
import { batchSchema, queryInput } from '../schemas/metrics';
import { timeWindow } from '../schemas/time-range';
import { fleet, listTargets } from '../services/metrics/fleet';
import { ingestBatch } from '../services/metrics/ingest';
import { runQuery } from '../services/metrics/query';
import { authedProcedure, createTRPCRouter, roleProcedure } from '../trpc';

export const metricsRouter = createTRPCRouter({
  /** Small batches from TypeScript services; high volume goes to `POST /v1/metrics`. Durable before it returns. */
  push: roleProcedure('maintainer')
    .input(batchSchema)
    .mutation(({ ctx, input }) =>
      ingestBatch(ctx.sql, input, (tx) =>
        writeAuditSql(tx, {
          actor: actorOf(ctx.identity),
          action: 'metrics.push',
          targetType: 'metrics',
          after: { points: input.points.length, histograms: input.histograms.length },
          requestId: ctx.requestId,
          ip: ctx.ip,
        }),
      ),
    ),
  query: authedProcedure.input(queryInput).query(({ ctx, input }) => runQuery(ctx.sql, input)),
  targets: authedProcedure.query(({ ctx }) => listTargets(ctx.sql)),
  fleet: authedProcedure.input(timeWindow).query(({ ctx, input }) => fleet(ctx.sql, input.from, input.to)),
});
