import type { IncomingMessage } from 'node:http';
import type { Db } from '@sextant/db';
import {
  type AppErrorCode,
  appCodeOf,
  DELIVERY_LIMITS,
  DEPLOYMENTS_WRITE_ROLE,
  deploymentReportInput,
  findInputProblem,
  reportDeployment,
  toTRPCError,
} from '@sextant/trpc';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { httpError } from '../http-error';
import { requireApiKey } from './ingest-edge';

export interface DeploymentsEdgeDeps {
  /** The primary, where API keys are checked (a revocation is never hidden by replica lag). */
  authDb: Db;
  /** What tRPC procedures write through. */
  db: Db;
  /** Reads and drops a refused body so the sender gets the answer (the server's drainBody). */
  drain(raw: IncomingMessage, reply: FastifyReply): void;
}

const CODE_BY_STATUS: Record<number, AppErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

const isJson = (req: FastifyRequest) =>
  (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';

type Issue = { path: string; message: string };
const refuse = (reply: FastifyReply, status: number, code: AppErrorCode, message: string, issues?: Issue[]) =>
  reply.code(status).send({ code, message, ...(issues ? { issues } : {}) });

/**
 * `POST /v1/deployments` for CI that is not TypeScript: the body of `deployments.report`, the same service call
 * (and so the same idempotency, limits, audit and codes). The API key is checked before the body is read; answers
 * are JSON `{code, message}` on refusal, 201 with the deployment when this call made it, 200 for a replay or a move.
 */
export function registerDeploymentsEdge(app: FastifyInstance, deps: DeploymentsEdgeDeps) {
  if (!app.hasRequestDecorator('ingestKey')) app.decorateRequest('ingestKey', null);
  app.register(async (scope) => {
    // This edge answers {code, message} even for refusals before the handler (key, body size, bad JSON).
    scope.setErrorHandler(
      (err: { statusCode?: number; appCode?: AppErrorCode; message: string }, req, reply) => {
        const status = err.statusCode ?? 500;
        if (!req.raw.complete) deps.drain(req.raw, reply);
        if (status >= 500) {
          req.log.error({ err }, 'deployment report failed');
          return refuse(reply, status, 'INTERNAL', 'Internal server error.');
        }
        const message =
          status === 413
            ? `The request body is larger than the ${DELIVERY_LIMITS.reportBodyBytes}-byte limit.`
            : err.message;
        return refuse(reply, status, err.appCode ?? CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED', message);
      },
    );
    scope.post(
      '/v1/deployments',
      {
        bodyLimit: DELIVERY_LIMITS.reportBodyBytes,
        preParsing: async (req, _reply, payload) => {
          // The key first: nobody without one makes us read a byte of the body.
          req.ingestKey = await requireApiKey(
            deps.authDb,
            req,
            DEPLOYMENTS_WRITE_ROLE,
            'Reporting deployments',
          );
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
        if (problem)
          return refuse(reply, 400, 'VALIDATION_FAILED', problem.message, [
            { path: problem.path.join('.'), message: problem.message },
          ]);
        const parsed = deploymentReportInput.safeParse(req.body);
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
          const result = await reportDeployment(ctx, parsed.data);
          return reply.code(result.created ? 201 : 200).send(result);
        } catch (err) {
          // The same mapping as tRPC's: coded service refusals and database errors, each to its status.
          const mapped = toTRPCError(
            err instanceof TRPCError ? err : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: err }),
          );
          const status = getHTTPStatusCodeFromError(mapped);
          if (status >= 500 && mapped.code === 'INTERNAL_SERVER_ERROR') throw err;
          const path = (mapped.cause as { path?: readonly (string | number)[] } | undefined)?.path;
          return refuse(
            reply,
            status,
            appCodeOf(mapped),
            mapped.message,
            path ? [{ path: path.join('.'), message: mapped.message }] : undefined,
          );
        }
      },
    );
  });
}
