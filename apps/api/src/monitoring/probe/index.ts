import { classifyError } from './classify';
import { createDeadline } from './deadline';
import { hostOf, probeHttp } from './http';
import { probeTcp } from './tcp';
import { type CheckConfig, DEFAULT_MAX_BODY_BYTES, type ProbeOptions, type ProbeResult } from './types';

export { createDeadline } from './deadline';
export { ProbeError } from './errors';
export { httpGet } from './http';
export * from './types';

/** Executes one check and classifies the outcome; never throws, never leaves a socket or timer behind. */
export async function probe(
  config: CheckConfig,
  options: ProbeOptions,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const timeoutMs = Number.isFinite(config.timeoutMs) && config.timeoutMs > 0 ? config.timeoutMs : 10_000;
  const deadline = createDeadline(timeoutMs, signal);
  try {
    const policy = options.outbound;
    const maxBodyBytes =
      options.maxBodyBytes !== undefined && options.maxBodyBytes >= 0
        ? options.maxBodyBytes
        : DEFAULT_MAX_BODY_BYTES;
    if (config.kind === 'http') return await probeHttp(config, { policy, maxBodyBytes, deadline });
    if (config.kind === 'tcp') return await probeTcp(config, { policy, deadline });
    return failure(`unsupported check kind ${JSON.stringify((config as { kind: unknown }).kind)}`);
  } catch (err) {
    // Only reached for unexpected errors: the kind probes classify their own failures.
    const host = config.kind === 'tcp' ? config.host : config.kind === 'http' ? hostOf(config.url) : '';
    const { errorClass, message } = classifyError(err, { host, timeoutMs });
    return { ok: false, latencyMs: null, httpStatus: null, errorClass, message, tlsExpiresAt: null };
  } finally {
    deadline.dispose();
  }
}

function failure(message: string): ProbeResult {
  return { ok: false, latencyMs: null, httpStatus: null, errorClass: 'network', message, tlsExpiresAt: null };
}
