import type { HttpConfig, TcpConfig } from '@sextant/db/check-config';
import type { OutboundPolicy } from '@sextant/trpc';

export type { HttpMethod } from '@sextant/db/enums';

/** A stored config (its zod schema's output) plus what the probe needs from the row. */
export type HttpCheckConfig = HttpConfig & {
  kind: 'http';
  timeoutMs: number;
  /** PEM trust anchors replacing the default roots (private CAs, tests). */
  ca?: string;
};

export type TcpCheckConfig = TcpConfig & { kind: 'tcp'; timeoutMs: number };

export type CheckConfig = HttpCheckConfig | TcpCheckConfig;

export type ErrorClass =
  | 'timeout'
  | 'dns'
  | 'refused'
  | 'tls'
  | 'assertion'
  | 'status'
  | 'denied'
  | 'network';

export interface ProbeResult {
  /** Passed every assertion. */
  ok: boolean;
  /** Wall time from probe start to the end of the body read (http) or connect (tcp); null when no response/connection happened. */
  latencyMs: number | null;
  /** Final response status, also when the body read then failed (e.g. timed out). */
  httpStatus: number | null;
  errorClass: ErrorClass | null;
  /** Short human message, no stack. */
  message: string | null;
  /** https only: the last peer certificate's valid_to (also set when that certificate was rejected). */
  tlsExpiresAt: Date | null;
}

export interface ProbeOptions {
  /** What may be reached: checked against every resolved address and port, on every redirect hop. */
  outbound: OutboundPolicy;
  /** Response body read cap; default 1 MiB. */
  maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
