import { containsApiKey, isCredentialName, maskApiKeys } from '@sextant/db';
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Polled by machines (health probes, Prometheus, the self-scrape): its request lines log at debug. */
    quietLog?: boolean;
  }
}

const REDACTED = '<redacted>';

/**
 * A query parameter named like a credential, or holding a whole API key anywhere (`Bearer sxt_…`, JSON input);
 * such requests are refused, and never logged. A key's 12-character prefix alone is no credential.
 */
export function isCredentialParam(name: string, value: string): boolean {
  return isCredentialName(name) || containsApiKey(name) || containsApiKey(value);
}

/**
 * A ping URL is its heartbeat's only credential: logs show `/ping/<token>`. Credential-named query values and
 * any whole API key, in the path or the query, show `<redacted>`.
 */
function redactUrl(url: string): string {
  const redacted = url.replace(/^\/ping\/[^/?#]+/, '/ping/<token>');
  const q = redacted.indexOf('?');
  const rawPath = q < 0 ? redacted : redacted.slice(0, q);
  const decodedPath = safeDecode(rawPath);
  const path = containsApiKey(decodedPath) ? maskApiKeys(decodedPath, REDACTED) : rawPath;
  if (q < 0) return path;
  const query = new URLSearchParams(redacted.slice(q + 1));
  const masked = new URLSearchParams();
  let changed = false;
  for (const [name, value] of query) {
    const shown = isCredentialParam(name, value)
      ? [maskApiKeys(name, REDACTED), isCredentialName(name) ? REDACTED : maskApiKeys(value, REDACTED)]
      : [name, value];
    changed ||= shown[0] !== name || shown[1] !== value;
    masked.append(shown[0]!, shown[1]!);
  }
  return `${path}?${changed ? masked : redacted.slice(q + 1)}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
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

/**
 * One line per request, at its end, naming method, redacted URL, status and time; machine-polled routes and
 * the "incoming request" line log at debug. The "Route … not found" line carries the raw URL, so it is redacted.
 */
export class RedactingLogController extends LogController {
  override incomingRequest(request: FastifyRequest, _reply: FastifyReply) {
    if (this.isLogDisabled(request)) return;
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    if (this.isLogDisabled(request)) return;
    const log = reply.log as typeof reply.log & { isLevelEnabled?(level: string): boolean };
    const enabled = (level: string) => log.isLevelEnabled?.(level) ?? true;
    // Nothing is built for a line that will not be written (debug is below info): redacting parses the query.
    if (!error && !enabled('info')) return;
    const level = error
      ? 'error'
      : request.routeOptions.config.quietLog && reply.statusCode < 500
        ? 'debug'
        : 'info';
    if (!enabled(level)) return;
    const ms = Math.round(reply.elapsedTime * 10) / 10;
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    const msg = `${request.method} ${redactUrl(request.url)} ${reply.statusCode} ${ms} ms`;
    if (error) log.error({ ...line, err: error }, `${msg} (errored)`);
    else log[level](line, msg);
  }

  override routeNotFound(request: FastifyRequest, _reply: FastifyReply) {
    if (this.isLogDisabled(request)) return;
    request.log.info(`Route ${request.raw.method}:${redactUrl(request.raw.url ?? '')} not found`);
  }
}
