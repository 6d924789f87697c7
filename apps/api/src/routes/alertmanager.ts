import type { Db, Sql } from '@sextant/db';
import {
  ALERTS_RECEIVE_ROLE,
  AppError,
  alertsQuerySchema,
  ExternalAlertsRefused,
  getAlertsV2,
  receiveAlerts,
  receiveExternalAlerts,
} from '@sextant/trpc';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { httpError } from '../http-error';
import { requireApiKey } from './ingest-edge';

export interface AlertmanagerDeps {
  db: Db;
  sql: Sql;
  /** Alertmanager's resolve_timeout: how long an alert posted without endsAt stays firing unless refreshed. */
  resolveTimeoutMs: number;
}

const isJson = (req: FastifyRequest) =>
  (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';

/**
 * Alertmanager's v2 alerts API, so Prometheus, Grafana or amtool can use Sextant as their Alertmanager:
 * `POST /api/v2/alerts` (maintainer key; a batch is validated whole and stored in one transaction, spec A3) and
 * `GET /api/v2/alerts` (any key). The key is checked before the body is read; the body limit is the API's.
 */
export function registerAlertmanagerApi(app: FastifyInstance, deps: AlertmanagerDeps) {
  if (!app.hasRequestDecorator('ingestKey')) app.decorateRequest('ingestKey', null);
  app.post(
    '/api/v2/alerts',
    {
      preParsing: async (req, _reply, payload) => {
        req.ingestKey = await requireApiKey(deps.db, req, ALERTS_RECEIVE_ROLE, 'Posting alerts');
        // Alertmanager takes plain JSON only; an encoded body must not be read as if it were plain.
        const encoding = req.headers['content-encoding'];
        if (encoding && encoding !== 'identity')
          throw httpError(
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            'Send the alerts uncompressed (no Content-Encoding).',
          );
        return payload;
      },
    },
    async (req, reply) => {
      if (!isJson(req)) return reply.code(415).send({ error: 'Send the alerts as application/json.' });
      const now = Date.now();
      try {
        const alerts = receiveAlerts(req.body, now, deps.resolveTimeoutMs);
        const summary = await receiveExternalAlerts(
          deps.sql,
          { identity: req.ingestKey!, requestId: req.id, ip: req.ip },
          alerts,
          now,
        );
        return reply.code(200).send(summary);
      } catch (err) {
        if (err instanceof ExternalAlertsRefused)
          return reply.code(400).send({ error: err.message, issues: err.problems });
        throw err;
      }
    },
  );

  app.get('/api/v2/alerts', async (req, reply) => {
    await requireApiKey(deps.db, req, 'viewer', 'Listing alerts');
    const query = alertsQuerySchema.safeParse(req.query);
    if (!query.success)
      return reply.code(400).send({
        error: 'Invalid query parameters.',
        issues: query.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    try {
      return reply.send(await getAlertsV2(deps.db, deps.sql, query.data, Date.now()));
    } catch (err) {
      if (err instanceof AppError && err.appCode === 'VALIDATION_FAILED')
        return reply
          .code(400)
          .send({ error: err.message, issues: [{ path: (err.path ?? []).join('.'), message: err.message }] });
      throw err;
    }
  });
}
