import type { IncomingMessage } from 'node:http';
import type { Db } from '@sextant/db';
import {
  DELIVERY_LIMITS,
  DEPLOYMENTS_WRITE_ROLE,
  deploymentReportInput,
  reportDeployment,
} from '@sextant/trpc';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { codedErrorHandler, keyBeforeBody, parseReport, refuseService } from './coded-edge';

export interface DeploymentsEdgeDeps {
  /** The primary, where API keys are checked (a revocation is never hidden by replica lag). */
  authDb: Db;
  /** What tRPC procedures write through. */
  db: Db;
  /** Reads and drops a refused body so the sender gets the answer (the server's drainBody). */
  drain(raw: IncomingMessage, reply: FastifyReply): void;
}

/**
 * `POST /v1/deployments` for CI that is not TypeScript: the body of `deployments.report`, the same service call
 * (and so the same idempotency, limits, audit and codes). The API key is checked before the body is read; answers
 * are JSON `{code, message}` on refusal, 201 with the deployment when this call made it, 200 for a replay or a move.
 */
export function registerDeploymentsEdge(app: FastifyInstance, deps: DeploymentsEdgeDeps) {
  if (!app.hasRequestDecorator('ingestKey')) app.decorateRequest('ingestKey', null);
  app.register(async (scope) => {
    scope.setErrorHandler(
      codedErrorHandler(deps.drain, DELIVERY_LIMITS.reportBodyBytes, 'deployment report'),
    );
    scope.post(
      '/v1/deployments',
      {
        bodyLimit: DELIVERY_LIMITS.reportBodyBytes,
        preParsing: keyBeforeBody(deps.authDb, DEPLOYMENTS_WRITE_ROLE, 'Reporting deployments'),
      },
      async (req, reply) => {
        const input = parseReport(req, reply, deploymentReportInput);
        if (!input) return reply;
        const ctx = { db: deps.db, identity: req.ingestKey, requestId: req.id, ip: req.ip ?? null };
        try {
          const result = await reportDeployment(ctx, input);
          return reply.code(result.created ? 201 : 200).send(result);
        } catch (err) {
          return refuseService(reply, err);
        }
      },
    );
  });
}
