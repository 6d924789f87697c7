import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/** A ping URL is its heartbeat's only credential: logs show `/ping/<token>` instead of the secret. */
export function redactUrl(url: string): string {
  return url.replace(/^\/ping\/[^/?#]+/, '/ping/<token>');
}

/** Fastify's own request serializer, with the URL redacted. */
export function serializeRequest(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactUrl(req.url),
    version: req.headers?.['accept-version'],
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** The "Route … not found" line carries the raw URL, not the serialized request. */
export class RedactingLogController extends LogController {
  override routeNotFound(request: FastifyRequest, _reply: FastifyReply) {
    if (this.isLogDisabled(request)) return;
    request.log.info(`Route ${request.raw.method}:${redactUrl(request.raw.url ?? '')} not found`);
  }
}
