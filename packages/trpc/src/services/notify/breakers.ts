/**
 * Per-endpoint circuit breakers and rate limits (spec A8), the one writer of endpoint_breakers. State lives in
 * Postgres so every instance sees one breaker: a claim locks the endpoint's row, so exactly one instance takes the
 * half-open probe (`probe_owner` + `probe_until`). The open decision is cockatiel's ConsecutiveBreaker and
 * CountBreaker, fed from the row and written back; the state machine and its timers are ours, in SQL.
 */
import type { Queries, Sql } from '@sextant/db';
import { CircuitState, ConsecutiveBreaker, CountBreaker } from 'cockatiel';

/** Spec A8 "our retry policy": the breaker's numbers. */
export const BREAKER_POLICY = {
  consecutiveFailures: 5,
  window: 20,
  failureRatio: 0.5,
  openMs: 30_000,
  maxOpenMs: 600_000,
} as const;

/** The rate limit: `perMinute` tokens a minute per endpoint (0 = none), at most `burst` saved up. */
export interface RateLimit {
  perMinute: number;
  burst: number;
}

/** Slack documents 1 message a second per incoming webhook; a short burst of 10 rides out a tick's fan-out. */
export function rateLimitOf(perMinute: number): RateLimit {
  return { perMinute, burst: Math.max(1, Math.ceil(perMinute / 6)) };
}

/** What one claim may send to one endpoint now. */
export interface Admission {
  /** Rows that may go now (the probe counts as one). */
  allowed: number;
  /** This claim holds the half-open probe: its one row decides whether the breaker closes. */
  probe: boolean;
  /** Why the rest wait, and from when the i-th of them (0-based) may be tried again. */
  wait: { reason: 'breaker_open' | 'rate_limited'; at: (i: number) => number } | null;
}

interface Row {
  endpoint: string;
  state: 'closed' | 'open' | 'half_open';
  consecutiveFailures: number;
  recent: boolean[];
  openUntil: Date | null;
  openWindowMs: number;
  probeOwner: string | null;
  probeUntil: Date | null;
  tokens: number;
  tokensAt: Date | null;
}

const COLUMNS = `endpoint, state, consecutive_failures as "consecutiveFailures", recent, open_until as "openUntil",
  open_window_ms as "openWindowMs", probe_owner as "probeOwner", probe_until as "probeUntil", tokens,
  tokens_at as "tokensAt"`;

/**
 * The endpoints' rows, creating missing ones full. Rows a claim may change (any breaker not closed, or any with a rate
 * limit to count down) are locked in a stable order (no deadlock between two claims); a closed, unlimited endpoint is
 * only read, so claims and completions to one busy endpoint do not queue on its row.
 */
async function lockRows(tx: Queries, endpoints: string[], now: Date, limit: RateLimit) {
  const sorted = [...new Set(endpoints)].sort();
  const read = await tx<Row[]>`
    select ${tx.unsafe(COLUMNS)} from endpoint_breakers where endpoint = any(${sorted}::text[])`;
  const rows = new Map(read.map((r) => [r.endpoint, r]));
  const locking = sorted.filter((e) => limit.perMinute > 0 || rows.get(e)?.state !== 'closed');
  if (locking.length === 0) return rows;
  await tx`
    insert into endpoint_breakers (endpoint, tokens, tokens_at, updated_at)
    select e, ${limit.burst}, ${now}, ${now} from unnest(${locking}::text[]) as e
    on conflict (endpoint) do nothing`;
  const locked = await tx<Row[]>`
    select ${tx.unsafe(COLUMNS)} from endpoint_breakers where endpoint = any(${locking}::text[])
    order by endpoint for update`;
  for (const r of locked) rows.set(r.endpoint, r);
  return rows;
}

/**
 * Admits up to `want` rows per endpoint at `nowMs` inside the caller's claim transaction: an open breaker admits
 * none until its window ends, then one probe, claimed here by `owner` until the endpoint's `probeUntilMs`; a closed one admits as
 * many as the token bucket holds. Nothing is failed here: the caller reschedules the rest to `wait.at(i)`.
 */
export async function admitEndpoints(
  tx: Queries,
  want: Map<string, { rows: number; probeUntilMs: number }>,
  nowMs: number,
  owner: string,
  limit: RateLimit,
): Promise<Map<string, Admission>> {
  const now = new Date(nowMs);
  const rows = await lockRows(tx, [...want.keys()], now, limit);
  const out = new Map<string, Admission>();
  for (const [endpoint, { rows: n, probeUntilMs }] of want) {
    const row = rows.get(endpoint)!;
    const probeHeld =
      row.state === 'half_open' && row.probeUntil !== null && row.probeUntil.getTime() > nowMs;
    if (row.state === 'open' && row.openUntil !== null && row.openUntil.getTime() > nowMs) {
      const at = row.openUntil.getTime();
      out.set(endpoint, { allowed: 0, probe: false, wait: { reason: 'breaker_open', at: () => at } });
    } else if (probeHeld) {
      const at = row.probeUntil!.getTime();
      out.set(endpoint, { allowed: 0, probe: false, wait: { reason: 'breaker_open', at: () => at } });
    } else if (row.state !== 'closed') {
      // The window is over (or the last prober died): this claim probes, the others wait for its answer.
      await tx`
        update endpoint_breakers set state = 'half_open', probe_owner = ${owner},
          probe_until = ${new Date(probeUntilMs)}, updated_at = ${now}
        where endpoint = ${endpoint}`;
      out.set(endpoint, {
        allowed: 1,
        probe: true,
        wait: n > 1 ? { reason: 'breaker_open', at: () => probeUntilMs } : null,
      });
    } else out.set(endpoint, await takeTokens(tx, row, n, nowMs, limit));
  }
  return out;
}

async function takeTokens(
  tx: Queries,
  row: Row,
  n: number,
  nowMs: number,
  limit: RateLimit,
): Promise<Admission> {
  if (limit.perMinute <= 0) return { allowed: n, probe: false, wait: null };
  const msPerToken = 60_000 / limit.perMinute;
  const since = row.tokensAt ? nowMs - row.tokensAt.getTime() : Number.POSITIVE_INFINITY;
  const tokens = Math.min(limit.burst, row.tokens + Math.max(0, since) / msPerToken);
  const allowed = Math.min(n, Math.floor(tokens));
  const left = tokens - allowed;
  await tx`
    update endpoint_breakers set tokens = ${left}, tokens_at = ${new Date(nowMs)}, updated_at = ${new Date(nowMs)}
    where endpoint = ${row.endpoint}`;
  if (allowed === n) return { allowed, probe: false, wait: null };
  // The i-th waiting row goes when the bucket has refilled to its token: spread out, not all at once.
  const at = (i: number) => nowMs + Math.ceil((i + 1 - left) * msPerToken);
  return { allowed, probe: false, wait: { reason: 'rate_limited', at } };
}

/** cockatiel's two breakers, loaded with the row's counts; `recent` is the CountBreaker's window, oldest first. */
function breakersOf(row: Pick<Row, 'consecutiveFailures' | 'recent'>) {
  const consecutive = new ConsecutiveBreaker(BREAKER_POLICY.consecutiveFailures);
  consecutive.state = row.consecutiveFailures;
  const count = new CountBreaker({ threshold: BREAKER_POLICY.failureRatio, size: BREAKER_POLICY.window });
  for (const ok of row.recent.slice(-BREAKER_POLICY.window))
    ok ? count.success(CircuitState.Closed) : count.failure(CircuitState.Closed);
  return { consecutive, count };
}

/** The CountBreaker's samples in call order (its ring buffer unrolled), for the `recent` column. */
function recentOf(count: CountBreaker): boolean[] {
  const { samples, currentSample } = count.state as { samples: (boolean | null)[]; currentSample: number };
  return [...samples.slice(currentSample), ...samples.slice(0, currentSample)].filter(
    (s): s is boolean => s !== null,
  );
}

/** A failed probe doubles the open window, up to 10 min. */
const nextWindow = (windowMs: number) => Math.min(windowMs * 2, BREAKER_POLICY.maxOpenMs);

/** One answer from an endpoint: `healthy` is false only for a retryable failure (a permanent 4xx means it answered). */
export interface EndpointAnswer {
  endpoint: string;
  healthy: boolean;
  nowMs: number;
}

/** What an answer did to its endpoint's breaker: `closed` when the probe succeeded, so the endpoint's queued rows go. */
export interface BreakerChange {
  opened: boolean;
  closed: boolean;
}

type Counts = Pick<Row, 'state' | 'consecutiveFailures' | 'recent' | 'openUntil' | 'openWindowMs'>;

/** One answer applied to a breaker's counts in memory; `openedAt` is set when this answer opened it. */
function applyAnswer(row: Counts, healthy: boolean, nowMs: number) {
  const { consecutive, count } = breakersOf(row);
  const circuit = row.state === 'closed' ? CircuitState.Closed : CircuitState.HalfOpen;
  if (healthy) {
    consecutive.success();
    count.success(circuit);
    const closing = row.state !== 'closed';
    const next: Counts = {
      state: 'closed',
      consecutiveFailures: consecutive.state as number,
      recent: recentOf(count),
      openWindowMs: closing ? BREAKER_POLICY.openMs : row.openWindowMs,
      openUntil: closing ? null : row.openUntil,
    };
    return { next, openedAt: null, change: { opened: false, closed: closing } };
  }
  const trips = [consecutive.failure(), count.failure(circuit)].some(Boolean);
  // A late answer from before the breaker opened changes the counts but not the window already running.
  const opening = row.state === 'half_open' || (row.state === 'closed' && trips);
  const windowMs = row.state === 'half_open' ? nextWindow(row.openWindowMs) : row.openWindowMs;
  const next: Counts = {
    state: opening ? 'open' : row.state,
    consecutiveFailures: consecutive.state as number,
    recent: recentOf(count),
    openWindowMs: windowMs,
    openUntil: opening ? new Date(nowMs + windowMs) : row.openUntil,
  };
  return { next, openedAt: opening ? new Date(nowMs) : null, change: { opened: opening, closed: false } };
}

const sameCounts = (a: Counts, b: Counts) =>
  a.state === b.state &&
  a.consecutiveFailures === b.consecutiveFailures &&
  a.openWindowMs === b.openWindowMs &&
  a.openUntil?.getTime() === b.openUntil?.getTime() &&
  JSON.stringify(a.recent) === JSON.stringify(b.recent);

/**
 * Records a batch of answers, in order, in the caller's completion transaction: the endpoints' rows are locked once
 * (stable order), the answers applied in memory, and only rows whose counts changed written back, in one statement.
 * A steady healthy endpoint (closed, full window of successes) costs one locking read per batch and no write.
 */
export async function recordEndpointOutcomes(
  tx: Queries,
  answers: readonly EndpointAnswer[],
): Promise<BreakerChange[]> {
  const none = { opened: false, closed: false };
  if (answers.length === 0) return [];
  const sorted = [...new Set(answers.map((a) => a.endpoint))].sort();
  const rows = await tx<Row[]>`
    select ${tx.unsafe(COLUMNS)} from endpoint_breakers where endpoint = any(${sorted}::text[])
    order by endpoint for update`;
  const current = new Map(rows.map((r) => [r.endpoint, { ...r, probeHeld: r.probeOwner !== null }]));
  const writes = new Map<string, Counts & { openedAt: Date | null; at: Date }>();
  const changes = answers.map((a) => {
    const row = current.get(a.endpoint);
    if (!row) return none;
    const { next, openedAt, change } = applyAnswer(row, a.healthy, a.nowMs);
    // Any answer ends a probe; a row is written only when something it holds changed.
    if (!sameCounts(row, next) || row.probeHeld || openedAt)
      writes.set(a.endpoint, {
        ...next,
        openedAt: openedAt ?? writes.get(a.endpoint)?.openedAt ?? null,
        at: new Date(a.nowMs),
      });
    current.set(a.endpoint, { ...row, ...next, probeHeld: false });
    return change;
  });
  if (writes.size > 0) {
    const json = [...writes].map(([endpoint, w]) => ({
      endpoint,
      state: w.state,
      consecutive_failures: w.consecutiveFailures,
      recent: w.recent,
      open_window_ms: w.openWindowMs,
      open_until: w.openUntil?.toISOString() ?? null,
      opened_at: w.openedAt?.toISOString() ?? null,
      at: w.at.toISOString(),
    }));
    await tx`
      update endpoint_breakers b set state = u.state::breaker_state, consecutive_failures = u.consecutive_failures,
        recent = u.recent, open_window_ms = u.open_window_ms, open_until = u.open_until,
        opened_at = coalesce(u.opened_at, b.opened_at), probe_owner = null, probe_until = null, updated_at = u.at
      from jsonb_to_recordset(${JSON.stringify(json)}::jsonb) as u(endpoint text, state text, consecutive_failures int,
        recent jsonb, open_window_ms int, open_until timestamptz, opened_at timestamptz, at timestamptz)
      where b.endpoint = u.endpoint`;
  }
  return changes;
}

/** Endpoints by breaker state, for the breaker gauge. */
export async function breakerStates(sql: Sql): Promise<{ state: Row['state']; n: number }[]> {
  return sql<{ state: Row['state']; n: number }[]>`
    select state, count(*)::int as n from endpoint_breakers group by state`;
}
