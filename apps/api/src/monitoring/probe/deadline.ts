import { ProbeError } from './errors';

export interface Deadline {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** Milliseconds since the probe started. */
  elapsed(): number;
  /** Milliseconds left, at least 1 (undici treats 0 as "no timeout"). */
  remaining(): number;
  dispose(): void;
}

/** One hard deadline for the whole probe (DNS, connect, every redirect hop, body), also fed by the caller's signal. */
export function createDeadline(timeoutMs: number, outer?: AbortSignal): Deadline {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new ProbeError('timeout', `timed out after ${timeoutMs} ms`)),
    timeoutMs,
  );
  const onOuterAbort = () => controller.abort(new ProbeError('network', 'probe aborted'));
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    timeoutMs,
    elapsed: () => Math.round(performance.now() - started),
    remaining: () => Math.max(1, Math.ceil(timeoutMs - (performance.now() - started))),
    dispose() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}

/** Rejects with the signal's reason as soon as it aborts (dns.lookup itself can't be cancelled). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
