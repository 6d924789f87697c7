/** One notification POST over a vetted keep-alive connection: no redirects followed, the answer's body capped. */
import type { HttpRequest, OutboundPolicy } from '@sextant/trpc';
import type { Deadline } from '../monitoring/probe/deadline';
import { readCapped } from '../monitoring/probe/http';
import type { VettedPools } from './pool';

/** Enough for Slack's "ok" or an error word; the rest of a large answer is never read (the socket is destroyed). */
export const NOTIFY_MAX_BODY_BYTES = 64 * 1024;

export interface PostAnswer {
  status: number;
  retryAfter: string | null;
  /** At most the cap, read only when the request expects a success body; never returned to callers. */
  body: Buffer;
}

export interface PostContext {
  pools: VettedPools;
  policy: OutboundPolicy;
  deadline: Deadline;
  maxBodyBytes: number;
  /** PEM trust anchors replacing the default roots (private CAs, tests). */
  ca?: string;
  /** Set as soon as the status line arrives, so a body that then times out still reports it. */
  onStatus?: (status: number) => void;
}

export async function postVetted(request: HttpRequest, ctx: PostContext): Promise<PostAnswer> {
  const url = new URL(request.url);
  const pool = await ctx.pools.get(url, { policy: ctx.policy, deadline: ctx.deadline, ca: ctx.ca });
  // undici never follows a redirect here: a 3xx comes back as the answer and is classified permanent.
  const res = await pool.request({
    path: `${url.pathname}${url.search}`,
    method: 'POST',
    headers: request.headers,
    body: request.body,
    signal: ctx.deadline.signal,
    headersTimeout: ctx.deadline.remaining(),
    bodyTimeout: ctx.deadline.remaining(),
  });
  ctx.onStatus?.(res.statusCode);
  res.body.on('error', () => {}); // destroyed early on purpose at the cap
  const retryAfter = res.headers['retry-after'];
  // Only a service that defines its success body (Slack) is read; any other body is drained up to the cap so the
  // connection can be reused, and past the cap the connection is dropped.
  let body: Buffer = Buffer.alloc(0);
  if (request.expectBody === undefined)
    await res.body.dump({ limit: ctx.maxBodyBytes, signal: ctx.deadline.signal });
  else body = (await readCapped(res.body, ctx.maxBodyBytes)).bytes;
  return {
    status: res.statusCode,
    retryAfter: (Array.isArray(retryAfter) ? retryAfter[0] : retryAfter) ?? null,
    body,
  };
}
