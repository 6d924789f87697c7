import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Db } from '@sextant/db';
import {
  type AppErrorCode,
  appCodeOf,
  desiredState,
  findInputProblem,
  ROLLOUTS_WRITE_ROLE,
  reportApplied,
  rolloutEdgeInput,
  rolloutReportInput,
  toTRPCError,
} from '@sextant/trpc';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { httpError } from '../http-error';
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

const CODE_BY_STATUS: Record<number, AppErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

type Issue = { path: string; message: string };
const refuse = (reply: FastifyReply, status: number, code: AppErrorCode, message: string, issues?: Issue[]) =>
  reply.code(status).send({ code, message, ...(issues ? { issues } : {}) });

const isJson = (req: FastifyRequest) =>
  (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';

type Params = { service: string; environment: string };

/** A service refusal mapped as tRPC maps it (code → status); anything unexpected rethrown as a 500. */
function refuseService(reply: FastifyReply, err: unknown) {
  const mapped = toTRPCError(
    err instanceof TRPCError ? err : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: err }),
  );
  const status = getHTTPStatusCodeFromError(mapped);
  if (status >= 500 && mapped.code === 'INTERNAL_SERVER_ERROR') throw err;
  return refuse(reply, status, appCodeOf(mapped), mapped.message);
}

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
    scope.setErrorHandler(
      (err: { statusCode?: number; appCode?: AppErrorCode; message: string }, req, reply) => {
        const status = err.statusCode ?? 500;
        if (!req.raw.complete) deps.drain(req.raw, reply);
        if (status >= 500) {
          req.log.error({ err }, 'rollout edge failed');
          return refuse(reply, status, 'INTERNAL', 'Internal server error.');
        }
        const message =
          status === 413
            ? `The request body is larger than the ${REPORT_BODY_BYTES}-byte limit.`
            : err.message;
        return refuse(reply, status, err.appCode ?? CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED', message);
      },
    );
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
        preParsing: async (req, _reply, payload) => {
          // The key first: nobody without one makes us read a byte of the body.
          req.ingestKey = await requireApiKey(deps.authDb, req, ROLLOUTS_WRITE_ROLE, 'Reporting a rollout');
          const encoding = req.headers['content-encoding'];
          if (encoding && encoding !== 'identity')
            throw httpError(
              415,
              'UNSUPPORTED_MEDIA_TYPE',
              'Send the report uncompressed (no Content-Encoding).',
            );
          return payload;
        },
      },
      async (req, reply) => {
        if (!isJson(req))
          return refuse(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the report as application/json.');
        const problem = findInputProblem(req.body);
        if (problem) return refuse(reply, 400, 'VALIDATION_FAILED', problem.message);
        const parsed = rolloutReportInput.safeParse({ ...(req.body as object), ...req.params });
        if (!parsed.success)
          return refuse(
            reply,
            400,
            'VALIDATION_FAILED',
            'Invalid report; nothing was stored.',
            parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })),
          );
        const ctx = { db: deps.db, identity: req.ingestKey, requestId: req.id, ip: req.ip ?? null };
        try {
          const { body, etag } = desiredBody(await reportApplied(ctx, parsed.data));
          return reply.header('etag', etag).type('application/json').send(body);
        } catch (err) {
          return refuseService(reply, err);
        }
      },
    );
  });
}
