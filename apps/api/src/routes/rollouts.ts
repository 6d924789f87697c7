import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Db } from '@sextant/db';
import {
  desiredState,
  ROLLOUTS_WRITE_ROLE,
  reportApplied,
  rolloutEdgeInput,
  rolloutReportInput,
} from '@sextant/trpc';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { codedErrorHandler, keyBeforeBody, parseReport, refuse, refuseService } from './coded-edge';
import { requireApiKey } from './ingest-edge';

export interface RolloutsEdgeDeps {
  /** The primary, where API keys are checked (a revocation is never hidden by replica lag). */
  authDb: Db;
  /** What tRPC procedures read and write through. */
  db: Db;
  drain(raw: IncomingMessage, reply: FastifyReply): void;
}

/** A report is {version, weight}: a few hundred bytes; anything larger is refused before it is read. */
const REPORT_BODY_BYTES = 4_096;

type Params = { service: string; environment: string };

/** The desired state's JSON and its strong ETag: the body's hash, so an unchanged state answers 304. */
function desiredBody(d: Awaited<ReturnType<typeof desiredState>>) {
  const body = JSON.stringify({ ...d, updatedAt: d.updatedAt.toISOString() });
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * The deploy tool's edge (README "Canary rollouts"): `GET /v1/rollouts/:service/:environment` answers the desired
 * {version, weight, stableVersion, state, rolloutId} with an ETag (304 when unchanged), any API key; `POST
 * …/status` takes {version, weight} it applied, a maintainer key checked before the body is read.
 */
export function registerRolloutsEdge(app: FastifyInstance, deps: RolloutsEdgeDeps) {
  if (!app.hasRequestDecorator('ingestKey')) app.decorateRequest('ingestKey', null);
  app.register(async (scope) => {
    scope.setErrorHandler(codedErrorHandler(deps.drain, REPORT_BODY_BYTES, 'rollout edge'));
    scope.get<{ Params: Params }>(
      '/v1/rollouts/:service/:environment',
      {
        onRequest: async (req) => {
          req.ingestKey = await requireApiKey(deps.authDb, req, 'viewer', 'Reading the desired state');
        },
      },
      async (req, reply) => {
        const parsed = rolloutEdgeInput.safeParse(req.params);
        if (!parsed.success)
          return refuse(reply, 400, 'VALIDATION_FAILED', 'Unknown service or environment form.');
        try {
          const { body, etag } = desiredBody(await desiredState(deps.db, parsed.data));
          reply.header('etag', etag).header('cache-control', 'no-cache');
          if (req.headers['if-none-match'] === etag) return reply.code(304).send();
          return reply.type('application/json').send(body);
        } catch (err) {
          return refuseService(reply, err);
        }
      },
    );
    scope.post<{ Params: Params }>(
      '/v1/rollouts/:service/:environment/status',
      {
        bodyLimit: REPORT_BODY_BYTES,
        preParsing: keyBeforeBody(deps.authDb, ROLLOUTS_WRITE_ROLE, 'Reporting a rollout'),
      },
      async (req, reply) => {
        const input = parseReport(req, reply, rolloutReportInput, req.params);
        if (!input) return reply;
        const ctx = { db: deps.db, identity: req.ingestKey, requestId: req.id, ip: req.ip ?? null };
        try {
          const { body, etag } = desiredBody(await reportApplied(ctx, input));
          return reply.header('etag', etag).type('application/json').send(body);
        } catch (err) {
          return refuseService(reply, err);
        }
      },
    );
  });
}
