// The snapshot contract of the flag edges, and what the OFREP and snapshot routes share (ETags, evaluation).
import { createHash } from 'node:crypto';
import { type EvaluationContext, evaluate, FLAG_TYPES, type FlagType } from '@sextant/flags';
import type { FlagSnapshot } from '@sextant/trpc';

export type { FlagSnapshot };

/** What the edges read: `FlagSnapshotCache` (slice A) satisfies it; tests hand an in-memory one. */
export interface FlagSnapshotSource {
  /** Undefined when no such environment exists (names compare case-insensitively). */
  get(environment: string): Promise<FlagSnapshot | undefined>;
  /** The snapshot when it is at hand without waiting; undefined means ask `get`. */
  peek?(environment: string): FlagSnapshot | undefined;
  /** Called after every change of the environment's flags; returns the unsubscribe function. */
  subscribe(environment: string, listener: (snapshot: FlagSnapshot) => void): () => void;
}

/** One definition per limit of the plain-HTTP flag edges. */
export const FLAG_EDGE_LIMITS = {
  /** An OFREP body is `{context}`; the evaluator refuses contexts over 32,768 characters anyway. */
  bodyBytes: 65_536,
  /** Open SSE streams per API instance (the bench runs 1,000); more answer 503 with Retry-After. */
  maxStreams: 2_000,
  retryAfterSeconds: 5,
  /** Proxies drop idle connections; a comment line every 15 s keeps the stream alive. */
  heartbeatMs: 15_000,
  /** A client this far behind is cut off rather than buffered without end; it reconnects and resyncs. */
  maxStreamBacklogBytes: 8 * 1_048_576,
  maxEnvironmentLength: 200,
} as const;

/** The HTTP form of a snapshot's ETag: strong and quoted. */
export const httpEtag = (etag: string) => (etag.startsWith('"') ? etag : `"${etag}"`);

/** If-None-Match (a list, or `*`) against a strong ETag; weak validators compare weakly, as RFC 9110 says. */
export function notModified(header: string | string[] | undefined, etag: string): boolean {
  if (typeof header !== 'string' || header.length > 4_096) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

// Each snapshot object is immutable by contract, so its JSON is serialized once, not per request.
const serialized = new WeakMap<FlagSnapshot, string>();
export function snapshotJson(snapshot: FlagSnapshot): string {
  let json = serialized.get(snapshot);
  if (json === undefined) {
    json = JSON.stringify(snapshot);
    serialized.set(snapshot, json);
  }
  return json;
}

/** A bulk answer depends on the snapshot and the context, so its ETag hashes both (none if it cannot be serialized). */
export function bulkEtag(snapshot: FlagSnapshot, context: unknown): string | undefined {
  let json: string;
  try {
    json = JSON.stringify(context ?? {});
  } catch {
    // Nesting deep enough to overflow the stack: the evaluator never reads nested values, so answer uncached.
    return undefined;
  }
  const hash = createHash('sha256').update(snapshot.etag).update('\0').update(json);
  return `"${hash.digest('base64url').slice(0, 32)}"`;
}

export type OfrepSuccess = {
  key: string;
  value?: unknown;
  reason: string;
  variant?: string;
  metadata: Readonly<Record<string, string | number | boolean>>;
};
export type OfrepFailure = { key: string; errorCode: string; errorDetails?: string };

// Stands for "the caller's code default": an answer still holding it leaves `value` out (OFREP ADR 0006).
const CODE_DEFAULT = Object.freeze({ codeDefault: true });
const isType = (type: unknown): type is FlagType => (FLAG_TYPES as readonly unknown[]).includes(type);

/** Status of an OFREP failure: unknown flag 404, the server's own trouble 500, the rest the request's (400). */
export const failureStatus = (errorCode: string) =>
  errorCode === 'FLAG_NOT_FOUND' ? 404 : errorCode === 'GENERAL' ? 500 : 400;

/** An OFREP answer and whether the snapshot holds the flag (only those are counted), from one lookup. */
export type OfrepEvaluation = { answer: OfrepSuccess | OfrepFailure; found: boolean };

/** OFREP has no expected type: the flag is evaluated as its own type, so TYPE_MISMATCH is the SDK's to find. */
export function evaluateOfrep(
  snapshot: FlagSnapshot,
  key: string,
  context: EvaluationContext | undefined,
): OfrepEvaluation {
  const found = Object.hasOwn(snapshot.flags, key);
  const flag = found ? snapshot.flags[key] : undefined;
  const type = isType(flag?.type) ? flag.type : 'boolean';
  const d = evaluate(key, flag, type, CODE_DEFAULT as never, context);
  if (d.errorCode !== undefined)
    return { answer: { key, errorCode: d.errorCode, errorDetails: d.errorMessage }, found };
  const answer: OfrepSuccess = { key, reason: d.reason, metadata: d.flagMetadata };
  if ((d.value as unknown) !== CODE_DEFAULT) answer.value = d.value;
  if (d.variant !== undefined) answer.variant = d.variant;
  return { answer, found };
}
