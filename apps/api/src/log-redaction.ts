import { isCredentialName } from '@sextant/db';
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/** A query parameter that carries (or is named like) a credential; such requests are refused, and never logged. */
export function isCredentialParam(name: string, value: string): boolean {
  return isCredentialName(name) || value.startsWith('sxt_');
}

/** A ping URL is its heartbeat's only credential: logs show `/ping/<token>`, and credential query values `<redacted>`. */
export function redactUrl(url: string): string {
  const redacted = url.replace(/^\/ping\/[^/?#]+/, '/ping/<token>');
  const q = redacted.indexOf('?');
  if (q < 0) return redacted;
  const query = new URLSearchParams(redacted.slice(q + 1));
  let changed = false;
  for (const [name, value] of query) {
    if (isCredentialParam(name, value)) {
      query.set(name, '<redacted>');
      changed = true;
    }
  }
  return changed ? `${redacted.slice(0, q)}?${query}` : redacted;
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
