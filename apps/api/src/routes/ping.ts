import type { Sql } from '@sextant/db';
import type { PingKind } from '@sextant/db/enums';
import { recordPing } from '@sextant/trpc';
import type { FastifyInstance } from 'fastify';

const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

/** healthchecks.io-style ping URLs, plain HTTP so `curl` from a cron job is enough. */
export function registerPingRoutes(app: FastifyInstance, sql: Sql) {
  const handle = async (
    token: string,
    kind: PingKind,
    exitCode: number | null,
    ip: string,
    reply: import('fastify').FastifyReply,
  ) => {
    const result = TOKEN.test(token) ? await recordPing(sql, token, kind, exitCode, ip) : null;
    if (!result) return reply.code(404).send({ ok: false, error: 'No heartbeat monitor has this ping URL.' });
    return reply.send({
      ok: true,
      status: result.status,
      ...(result.durationMs !== null ? { durationMs: result.durationMs } : {}),
    });
  };

  for (const method of ['GET', 'POST'] as const) {
    app.route<{ Params: { token: string } }>({
      method,
      url: '/ping/:token',
      handler: (req, reply) => handle(req.params.token, 'success', null, req.ip, reply),
    });
    app.route<{ Params: { token: string; signal: string } }>({
      method,
      url: '/ping/:token/:signal',
      handler: (req, reply) => {
        const { token, signal } = req.params;
        if (signal === 'start') return handle(token, 'start', null, req.ip, reply);
        if (signal === 'fail') return handle(token, 'fail', null, req.ip, reply);
        if (/^\d{1,3}$/.test(signal) && Number(signal) <= 255) {
          const code = Number(signal);
          return handle(token, code === 0 ? 'success' : 'fail', code, req.ip, reply);
        }
        return reply.code(404).send({ ok: false, error: 'Use /start, /fail or an exit code 0-255.' });
      },
    });
  }
}
