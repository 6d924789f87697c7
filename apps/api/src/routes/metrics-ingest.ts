import { batchSchema, type MetricBatch, parseBatchFast } from '@sextant/trpc';
import type { FastifyInstance } from 'fastify';
import { type IngestDeps, IngestRefusal, registerIngestRoute } from './ingest-edge';

/**
 * High-volume ingest as plain HTTP: `POST /v1/metrics` with `Authorization: Bearer <api key>` (acting as a
 * maintainer), JSON, optionally gzip. The batch is validated whole and written in one transaction before the 2xx.
 * With an `Idempotency-Key` header, a retry of an accepted request is answered 200 `replayed` and stores nothing.
 * A batch that would create series beyond the limits is answered 422 naming the metric (or service) and label.
 */
export function registerMetricsIngest(app: FastifyInstance, deps: IngestDeps) {
  registerIngestRoute(app, deps, {
    path: '/v1/metrics',
    format: 'json',
    mediaTypes: ['application/json'],
    encodings: ['gzip'],
    implicitIdempotency: false,
    onLimit: 'refuse',
    decode: (body) => ({ batch: validBatch(body), skipped: 0, notes: [] }),
    reply: {
      stored: (reply, r) => reply.code(202).send({ accepted: r.stored }),
      replayed: (reply, accepted) => reply.send({ accepted, replayed: true }),
      refused: (reply, e) => reply.send({ error: e.message, ...e.details }),
    },
  });
}

/** The one validation of every ingest format's batch: native JSON's rules and wording; throws a 400 IngestRefusal. */
export function validBatch(body: unknown): MetricBatch {
  // Same answer as zod, minus its per-point cost; zod still decides, and words the 400, when the fast path balks.
  const fast = parseBatchFast(body);
  if (fast) return fast;
  const parsed = batchSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const { issues } = parsed.error;
  throw new IngestRefusal(
    400,
    `The batch was rejected (${issues.length} problem${issues.length === 1 ? '' : 's'}); nothing was stored.`,
    { issues: issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })) },
  );
}
