import { createGunzip } from 'node:zlib';
import { type Db, roleAtLeast, type Sql } from '@sextant/db';
import {
  AlreadyAccepted,
  acceptedBefore,
  authenticateApiKey,
  batchSchema,
  CardinalityLimitError,
  type Identity,
  METRICS_PUSH_ROLE,
  parseBatchFast,
  pushMetrics,
  type SeriesLimits,
} from '@sextant/trpc';
import type { FastifyInstance } from 'fastify';
import { httpError } from '../http-error';

type IngestIdentity = Extract<Identity, { type: 'api_key' }>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified key of a `POST /v1/metrics`, set before its body is read. */
    ingestKey: IngestIdentity | null;
  }
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * High-volume ingest as plain HTTP: `POST /v1/metrics` with `Authorization: Bearer <api key>` (acting as a
 * maintainer), JSON, optionally gzip. The batch is validated whole and written in one transaction before the 2xx.
 * With an `Idempotency-Key` header, a retry of an accepted request is answered 200 `replayed` and stores nothing.
 * A batch that would create series beyond `limits` is answered 422 naming the metric (or service) and label.
 */
export function registerMetricsIngest(
  app: FastifyInstance,
  deps: { db: Db; sql: Sql; bodyLimit: number; limits: SeriesLimits },
) {
  app.decorateRequest('ingestKey', null);
  app.post(
    '/v1/metrics',
    {
      bodyLimit: deps.bodyLimit,
      preParsing: [
        // The key first: nobody without one makes us read, inflate or parse a byte of the body.
        async (req, _reply, payload) => {
          // The same key check and role bar as the `metrics.push` procedure.
          const key = (await authenticateApiKey(deps.db, req.headers.authorization))?.identity;
          if (key?.type !== 'api_key')
            throw httpError(401, 'UNAUTHORIZED', 'Send a valid API key as "Authorization: Bearer <key>".');
          // `key.role` is already capped (key, owner, maintainer) by verifyApiKey; only the bar is set here.
          if (!roleAtLeast(key.role, METRICS_PUSH_ROLE))
            throw httpError(403, 'FORBIDDEN', 'Ingest needs an API key with the maintainer role.');
          req.ingestKey = key;
          return payload;
        },
        // Decompress before parsing; the body limit then applies to the inflated size (no gzip bombs).
        async (req, _reply, payload) => {
          const encoding = req.headers['content-encoding'];
          if (!encoding || encoding === 'identity') return payload;
          if (encoding !== 'gzip')
            throw Object.assign(new Error('Only gzip content encoding is accepted.'), { statusCode: 415 });
          delete req.headers['content-length'];
          return payload.pipe(createGunzip());
        },
      ],
    },
    async (req, reply) => {
      const key = req.ingestKey!;
      if (!req.headers['content-type']?.startsWith('application/json')) {
        return reply.code(415).send({ error: 'Send the batch as application/json.' });
      }
      const idempotencyKey = req.headers['idempotency-key'];
      if (
        idempotencyKey !== undefined &&
        (typeof idempotencyKey !== 'string' || !IDEMPOTENCY_KEY.test(idempotencyKey))
      )
        return reply
          .code(400)
          .send({ error: 'Idempotency-Key must be 1 to 200 visible ASCII characters; nothing was stored.' });
      if (idempotencyKey) {
        const replay = await acceptedBefore(deps.sql, key.keyId, idempotencyKey);
        if (replay) return reply.code(200).send({ accepted: replay, replayed: true });
      }
      // Same answer as zod, minus its per-point cost; zod still decides, and words the 400, when the fast path balks.
      const fast = parseBatchFast(req.body);
      const parsed = fast ? ({ success: true, data: fast } as const) : batchSchema.safeParse(req.body);
      if (!parsed.success) {
        const issues = parsed.error.issues
          .slice(0, 20)
          .map((i) => ({ path: i.path.join('.'), message: i.message }));
        return reply.code(400).send({
          error: `The batch was rejected (${parsed.error.issues.length} problem${parsed.error.issues.length === 1 ? '' : 's'}); nothing was stored.`,
          issues,
        });
      }
      const batch = parsed.data;
      const result = await pushMetrics(deps.sql, { identity: key, requestId: req.id, ip: req.ip }, batch, {
        action: 'metrics.ingest',
        idempotency: idempotencyKey ? { apiKeyId: key.keyId, key: idempotencyKey } : undefined,
        limits: deps.limits,
      }).catch((err: { code?: string }) => {
        if (err instanceof AlreadyAccepted) return 'replay' as const;
        if (err instanceof CardinalityLimitError) return err;
        // No partition for a timestamp: the sample is outside the stored range (nothing was written).
        if (err.code === '23514') return null;
        throw err;
      });
      if (result === 'replay' && idempotencyKey)
        return reply
          .code(200)
          .send({ accepted: await acceptedBefore(deps.sql, key.keyId, idempotencyKey), replayed: true });
      if (result instanceof CardinalityLimitError)
        return reply.code(422).send({
          error: result.message,
          appCode: result.appCode,
          [result.scope]: result.key,
          label: result.label,
          limit: result.limit,
        });
      if (!result)
        return reply
          .code(400)
          .send({ error: 'A timestamp falls outside the stored time range; nothing was stored.' });
      return reply.code(202).send({ accepted: result });
    },
  );
}
