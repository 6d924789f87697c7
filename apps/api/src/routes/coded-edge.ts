/**
 * What the JSON write edges of issue 16 (`POST /v1/deployments`, `POST /v1/rollouts/…/status`) share: the API key
 * checked before a byte of the body is read, JSON `{code, message, issues?}` on every refusal (also those Fastify
 * makes before the handler), and service refusals mapped to statuses exactly as tRPC maps them.
 */
import type { IncomingMessage } from 'node:http';
import type { Db, Role } from '@sextant/db';
import { type AppErrorCode, appCodeOf, findInputProblem, toTRPCError } from '@sextant/trpc';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { FastifyReply, FastifyRequest, preParsingAsyncHookHandler } from 'fastify';
import type { z } from 'zod';
import { httpError } from '../http-error';
import { requireApiKey } from './ingest-edge';

const CODE_BY_STATUS: Record<number, AppErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

type Issue = { path: string; message: string };

export const refuse = (
  reply: FastifyReply,
  status: number,
  code: AppErrorCode,
  message: string,
  issues?: Issue[],
) => reply.code(status).send({ code, message, ...(issues ? { issues } : {}) });

/** The scope's error handler: refusals before the handler (key, size, bad JSON) answer coded JSON too. */
export function codedErrorHandler(
  drain: (raw: IncomingMessage, reply: FastifyReply) => void,
  bodyLimitBytes: number,
  what: string,
) {
  return (
    err: { statusCode?: number; appCode?: AppErrorCode; message: string },
    req: FastifyRequest,
    reply: FastifyReply,
  ) => {
    const status = err.statusCode ?? 500;
    if (!req.raw.complete) drain(req.raw, reply);
    if (status >= 500) {
      req.log.error({ err }, `${what} failed`);
      return refuse(reply, status, 'INTERNAL', 'Internal server error.');
    }
    const message =
      status === 413 ? `The request body is larger than the ${bodyLimitBytes}-byte limit.` : err.message;
    return refuse(reply, status, err.appCode ?? CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED', message);
  };
}

/** preParsing: the key and its role first (nobody without one makes us read the body), then no compression. */
export function keyBeforeBody(authDb: Db, role: Role, what: string): preParsingAsyncHookHandler {
  return async (req, _reply, payload) => {
    req.ingestKey = await requireApiKey(authDb, req, role, what);
    const encoding = req.headers['content-encoding'];
    if (encoding && encoding !== 'identity')
      throw httpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the report uncompressed (no Content-Encoding).');
    return payload;
  };
}

const isJson = (req: FastifyRequest) =>
  (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';

/** The JSON body checked against `schema`; on a refusal the reply is sent and `undefined` returned. */
export function parseReport<S extends z.ZodType>(
  req: FastifyRequest,
  reply: FastifyReply,
  schema: S,
  extra: Record<string, unknown> = {},
): z.output<S> | undefined {
  if (!isJson(req)) {
    refuse(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the report as application/json.');
    return undefined;
  }
  const problem = findInputProblem(req.body);
  if (problem) {
    refuse(reply, 400, 'VALIDATION_FAILED', problem.message, [
      { path: problem.path.join('.'), message: problem.message },
    ]);
    return undefined;
  }
  // Only a JSON object is a report; its fields never override the route's own (`extra`).
  const body = req.body !== null && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : {};
  const parsed = schema.safeParse({ ...body, ...extra });
  if (parsed.success) return parsed.data;
  refuse(
    reply,
    400,
    'VALIDATION_FAILED',
    'Invalid report; nothing was stored.',
    parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })),
  );
  return undefined;
}

/** A service refusal mapped as tRPC maps it (code → status); anything unexpected rethrown as a 500. */
export function refuseService(reply: FastifyReply, err: unknown) {
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
