import { createGunzip } from 'node:zlib';
import { type Db, type Sql, verifyApiKey, writeAuditSql } from '@sextant/db';
import { batchSchema, bearerToken, ingestBatch, parseBatchFast } from '@sextant/trpc';
import type { FastifyInstance } from 'fastify';

/**
 * High-volume ingest as plain HTTP: `POST /v1/metrics` with `Authorization: Bearer <api key>` (maintainer or
 * admin), JSON, optionally gzip. The batch is validated whole and written in one transaction before the 2xx.
 */
export function registerMetricsIngest(app: FastifyInstance, deps: { db: Db; sql: Sql; bodyLimit: number }) {
  app.post(
    '/v1/metrics',
    {
      bodyLimit: deps.bodyLimit,
      // Decompress before parsing; the body limit then applies to the inflated size (no gzip bombs).
      preParsing: async (req, _reply, payload) => {
        const encoding = req.headers['content-encoding'];
        if (!encoding || encoding === 'identity') return payload;
        if (encoding !== 'gzip')
          throw Object.assign(new Error('Only gzip content encoding is accepted.'), { statusCode: 415 });
        delete req.headers['content-length'];
        return payload.pipe(createGunzip());
      },
    },
    async (req, reply) => {
      const token = bearerToken(req.headers.authorization);
      const key = token ? await verifyApiKey(deps.db, token) : null;
      if (!key)
        return reply.code(401).send({ error: 'Send a valid API key as "Authorization: Bearer <key>".' });
      if (key.role === 'viewer')
        return reply.code(403).send({ error: 'Ingest needs an API key with the maintainer or admin role.' });
      if (!req.headers['content-type']?.startsWith('application/json')) {
        return reply.code(415).send({ error: 'Send the batch as application/json.' });
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
      const result = await ingestBatch(deps.sql, batch, (tx) =>
        writeAuditSql(tx, {
          actor: { type: 'api_key', id: key.keyId, label: key.name },
          action: 'metrics.ingest',
          targetType: 'metrics',
          after: { points: batch.points.length, histograms: batch.histograms.length },
          requestId: req.id,
          ip: req.ip,
        }),
      ).catch((err: { code?: string }) => {
        // No partition for a timestamp: the sample is outside the stored range (nothing was written).
        if (err.code === '23514') return null;
        throw err;
      });
      if (!result)
        return reply
          .code(400)
          .send({ error: 'A timestamp falls outside the stored time range; nothing was stored.' });
      return reply.code(202).send({ accepted: result });
    },
  );
}
