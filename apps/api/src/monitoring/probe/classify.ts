import { ProbeError } from './errors';
import type { ErrorClass } from './types';

export interface Classified {
  errorClass: ErrorClass;
  message: string;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'ENODATA']);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const TLS_MESSAGES: Record<string, string> = {
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the certificate chain',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate issuer not trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'certificate issuer not found',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
  CERT_REVOKED: 'certificate revoked',
  ERR_SSL_WRONG_VERSION_NUMBER: 'server did not answer with TLS',
};
const NETWORK_MESSAGES: Record<string, string> = {
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed unexpectedly',
  UND_ERR_CLOSED: 'connection closed unexpectedly',
};

function isTlsCode(code: string): boolean {
  return (
    code in TLS_MESSAGES ||
    code === 'EPROTO' ||
    /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|ERR_OSSL_)/.test(code) ||
    code.includes('SELF_SIGNED') ||
    code.includes('CERT_SIGNATURE')
  );
}

/** Codes of the error, its cause chain and AggregateError members (happy-eyeballs connects). */
function codesOf(err: unknown, seen = new Set<unknown>()): string[] {
  if (typeof err !== 'object' || err === null || seen.has(err)) return [];
  seen.add(err);
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof e.code === 'string' ? [e.code] : [];
  const members = Array.isArray(e.errors) ? e.errors.flatMap((m) => codesOf(m, seen)) : [];
  return [...own, ...codesOf(e.cause, seen), ...members];
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line || 'unknown error';
}

/** Maps any thrown value to an error class and a short message; never throws. */
export function classifyError(err: unknown, context: { host: string; timeoutMs: number }): Classified {
  if (err instanceof ProbeError) return { errorClass: err.errorClass, message: err.message };
  const codes = codesOf(err);
  const has = (set: Set<string>) => codes.find((c) => set.has(c));
  if (has(DNS_CODES)) return { errorClass: 'dns', message: `could not resolve host ${context.host}` };
  if (codes.includes('ECONNREFUSED')) return { errorClass: 'refused', message: 'connection refused' };
  if (has(TIMEOUT_CODES))
    return { errorClass: 'timeout', message: `timed out after ${context.timeoutMs} ms` };
  const tls = codes.find(isTlsCode);
  if (tls !== undefined) {
    const known = TLS_MESSAGES[tls];
    return {
      errorClass: 'tls',
      message: `${known ?? 'TLS error'} (${tls})`,
    };
  }
  const net = codes.find((c) => c in NETWORK_MESSAGES);
  if (net !== undefined) return { errorClass: 'network', message: `${NETWORK_MESSAGES[net]} (${net})` };
  return { errorClass: 'network', message: firstLine(err) };
}
