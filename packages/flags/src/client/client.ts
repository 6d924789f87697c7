// In-process flag evaluation for services: keep one environment's snapshot fresh (poll or SSE), evaluate locally.
import type { EvaluationContext } from '../context';
import { type EvaluationDetails, evaluate, type FlagValue } from '../evaluate';
import type { FlagType } from '../schema';
import type { JsonValue } from '../values';
import { createSseParser } from './sse';
import { asSnapshot, type FlagSnapshot } from './types';

export interface FlagClientOptions {
  /** The API's origin, e.g. https://sextant.example.com (no trailing path needed). */
  baseUrl: string;
  apiKey: string;
  /** Environment name, as in the console (case-insensitive). */
  environment: string;
  mode: 'poll' | 'stream';
  /** Poll mode: time between two snapshot requests. Default 15 s. */
  pollIntervalMs?: number;
  /** Stream mode: reconnect backoff, doubled per failed attempt up to `max`, full jitter. Default 500 ms … 30 s. */
  reconnectDelayMs?: { initial: number; max: number };
  fetch?: typeof fetch;
  /** Transport and server errors; the client keeps its last snapshot and keeps trying (except on 401/403/404). */
  onError?: (error: FlagClientError) => void;
  /** Uniform in [0, 1); for backoff jitter (and tests). */
  random?: () => number;
}

export class FlagClientError extends Error {
  constructor(
    message: string,
    /** HTTP status when the server answered, else undefined (network, parse). */
    readonly status?: number,
    /** True when retrying cannot help (bad key, unknown environment): the client stops. */
    readonly fatal = false,
  ) {
    super(message);
    this.name = 'FlagClientError';
  }
}

export interface FlagClient {
  /** Resolves with the first snapshot; rejects on a fatal error (401, 403, unknown environment) or close(). */
  ready(): Promise<void>;
  getBooleanDetails(
    key: string,
    defaultValue: boolean,
    context?: EvaluationContext,
  ): EvaluationDetails<boolean>;
  getStringDetails(key: string, defaultValue: string, context?: EvaluationContext): EvaluationDetails<string>;
  getNumberDetails(key: string, defaultValue: number, context?: EvaluationContext): EvaluationDetails<number>;
  getObjectDetails(
    key: string,
    defaultValue: JsonValue,
    context?: EvaluationContext,
  ): EvaluationDetails<JsonValue>;
  getBooleanValue(key: string, defaultValue: boolean, context?: EvaluationContext): boolean;
  getStringValue(key: string, defaultValue: string, context?: EvaluationContext): string;
  getNumberValue(key: string, defaultValue: number, context?: EvaluationContext): number;
  getObjectValue(key: string, defaultValue: JsonValue, context?: EvaluationContext): JsonValue;
  /** Called with each new snapshot (a different ETag); returns the unsubscribe function. */
  onChange(listener: (snapshot: FlagSnapshot) => void): () => void;
  /** The snapshot evaluations use now, or undefined before the first one. */
  snapshot(): FlagSnapshot | undefined;
  /** Stops polling or streaming; evaluations keep answering from the last snapshot. */
  close(): void;
}

const NOT_READY = Object.freeze({});

export function createFlagClient(options: FlagClientOptions): FlagClient {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const random = options.random ?? Math.random;
  const base = options.baseUrl.replace(/\/+$/, '');
  const query = `environment=${encodeURIComponent(options.environment)}`;
  const headers = { authorization: `Bearer ${options.apiKey}` };
  const listeners = new Set<(snapshot: FlagSnapshot) => void>();
  const abort = new AbortController();
  let current: FlagSnapshot | undefined;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settle: { resolve(): void; reject(e: Error): void } | undefined;
  const readyPromise = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A rejection nobody awaits must not crash the process: ready() hands out the same promise.
  readyPromise.catch(() => {});

  const report = (error: FlagClientError) => {
    try {
      options.onError?.(error);
    } catch {
      // A throwing error handler must not stop the refresh loop.
    }
  };
  const accept = (snapshot: FlagSnapshot) => {
    if (current?.etag === snapshot.etag) return;
    current = snapshot;
    settle?.resolve();
    for (const listener of [...listeners]) {
      try {
        listener(snapshot);
      } catch (error) {
        report(new FlagClientError(`an onChange listener threw: ${String(error)}`));
      }
    }
  };
  const stop = (error: FlagClientError) => {
    closed = true;
    abort.abort();
    if (timer !== undefined) clearTimeout(timer);
    settle?.reject(error);
  };
  const refused = async (res: Response): Promise<FlagClientError> => {
    const body = (await res.json().catch(() => null)) as { message?: unknown } | null;
    const message = typeof body?.message === 'string' ? body.message : `HTTP ${res.status}`;
    const fatal = res.status === 401 || res.status === 403 || res.status === 404;
    return new FlagClientError(message, res.status, fatal);
  };
  const later = (ms: number, run: () => void) => {
    if (!closed) timer = setTimeout(run, ms);
  };

  async function poll() {
    try {
      const res = await doFetch(`${base}/v1/flags/snapshot?${query}`, {
        headers: current ? { ...headers, 'if-none-match': `"${current.etag}"` } : headers,
        signal: abort.signal,
      });
      if (res.status === 200) {
        const snapshot = asSnapshot(await res.json());
        if (snapshot) accept(snapshot);
        else report(new FlagClientError('the snapshot response is not a snapshot', 200));
      } else if (res.status !== 304) {
        const error = await refused(res);
        report(error);
        if (error.fatal) return stop(error);
      }
    } catch (error) {
      if (closed) return;
      report(new FlagClientError(`polling failed: ${String(error)}`));
    }
    later(options.pollIntervalMs ?? 15_000, poll);
  }

  const backoff = options.reconnectDelayMs ?? { initial: 500, max: 30_000 };
  let attempt = 0;
  async function stream() {
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    try {
      const res = await doFetch(`${base}/v1/flags/stream?${query}`, {
        headers: { ...headers, accept: 'text/event-stream' },
        signal: abort.signal,
      });
      if (res.status !== 200 || res.body === null) {
        const error = await refused(res);
        report(error);
        if (error.fatal) return stop(error);
      } else {
        const parser = createSseParser((event) => {
          if (event.event !== 'snapshot') return;
          const snapshot = asSnapshot(JSON.parse(event.data));
          if (!snapshot) throw new FlagClientError('a stream event is not a snapshot');
          attempt = 0; // a working stream resets the backoff
          accept(snapshot);
        });
        reader = res.body.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.push(decoder.decode(value, { stream: true }));
        }
        if (!closed) report(new FlagClientError('the stream ended; reconnecting'));
      }
    } catch (error) {
      reader?.cancel().catch(() => {}); // a bad event: drop this connection, then reconnect
      if (closed) return;
      report(
        error instanceof FlagClientError ? error : new FlagClientError(`streaming failed: ${String(error)}`),
      );
    }
    // Full jitter: many clients cut off by one restart do not come back in lockstep.
    const ceiling = Math.min(backoff.max, backoff.initial * 2 ** Math.min(attempt++, 30));
    later(Math.floor(random() * ceiling), stream);
  }

  if (options.mode === 'stream') void stream();
  else void poll();

  function details<T extends FlagType>(
    type: T,
    key: string,
    defaultValue: FlagValue<T>,
    context?: EvaluationContext,
  ): EvaluationDetails<FlagValue<T>> {
    const snapshot = current;
    if (snapshot === undefined) {
      return {
        flagKey: key,
        value: defaultValue,
        reason: 'ERROR',
        errorCode: 'PROVIDER_NOT_READY',
        errorMessage: 'no flag snapshot has been received yet',
        flagMetadata: NOT_READY,
      };
    }
    // Own keys only: "__proto__" or "toString" are unknown flags, not prototype members.
    const flag = Object.hasOwn(snapshot.flags, key) ? snapshot.flags[key] : undefined;
    return evaluate(key, flag, type, defaultValue, context);
  }

  return {
    ready: () => readyPromise,
    getBooleanDetails: (key, d, context) => details('boolean', key, d, context),
    getStringDetails: (key, d, context) => details('string', key, d, context),
    getNumberDetails: (key, d, context) => details('number', key, d, context),
    getObjectDetails: (key, d, context) => details('json', key, d, context),
    getBooleanValue: (key, d, context) => details('boolean', key, d, context).value,
    getStringValue: (key, d, context) => details('string', key, d, context).value,
    getNumberValue: (key, d, context) => details('number', key, d, context).value,
    getObjectValue: (key, d, context) => details('json', key, d, context).value,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot: () => current,
    close() {
      if (!closed) stop(new FlagClientError('the flag client was closed before its first snapshot'));
    },
  };
}
