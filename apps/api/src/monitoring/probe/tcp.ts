import { connect } from 'node:net';
import type { OutboundPolicy } from '@sextant/trpc';
import { classifyError } from './classify';
import type { Deadline } from './deadline';
import { ProbeError } from './errors';
import type { ProbeResult, TcpCheckConfig } from './types';
import { pinnedLookup, resolveAllowed } from './vetted-lookup';

/** Runs one TCP check: ok once the connection is established, then closes it. */
export async function probeTcp(
  config: TcpCheckConfig,
  ctx: { policy: OutboundPolicy; deadline: Deadline },
): Promise<ProbeResult> {
  const { deadline } = ctx;
  try {
    if (!Number.isInteger(config.port) || config.port < 1 || config.port > 65535) {
      throw new ProbeError('network', `invalid port ${config.port}`);
    }
    const host =
      config.host.startsWith('[') && config.host.endsWith(']') ? config.host.slice(1, -1) : config.host;
    const addresses = await resolveAllowed(host, config.port, ctx.policy, deadline.signal);
    await new Promise<void>((resolve, reject) => {
      const socket = connect({
        host,
        port: config.port,
        lookup: pinnedLookup(addresses),
        autoSelectFamily: true,
      });
      const finish = (err?: unknown) => {
        deadline.signal.removeEventListener('abort', onAbort);
        socket.destroy();
        if (err === undefined) resolve();
        else reject(err);
      };
      const onAbort = () => finish(deadline.signal.reason);
      deadline.signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => finish());
      socket.once('error', (err) => finish(err));
      if (deadline.signal.aborted) onAbort();
    });
    return {
      ok: true,
      latencyMs: deadline.elapsed(),
      httpStatus: null,
      errorClass: null,
      message: null,
      tlsExpiresAt: null,
    };
  } catch (err) {
    const reason: unknown = deadline.signal.aborted ? deadline.signal.reason : err;
    const { errorClass, message } = classifyError(reason, {
      host: config.host,
      timeoutMs: deadline.timeoutMs,
    });
    return { ok: false, latencyMs: null, httpStatus: null, errorClass, message, tlsExpiresAt: null };
  }
}
