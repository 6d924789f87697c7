/**
 * The dedup decision (spec A7), pure: what one integration is told at a tick, given what the notification log says
 * it was told before. Alertmanager's needsUpdate (notify/dedup_stage.go) with our rules: the log's timestamp is the
 * tick, so a repeat is due exactly at last tick + repeat interval; a partial resolve without send_resolved updates
 * the log silently; a resolve owed to an alert notified as firing is sent even when the alert is muted.
 */

/** What the log says one integration of one group was last told (notification_log). */
export interface LogEntry {
  /** Fingerprints notified as firing. */
  firing: readonly string[];
  resolved: readonly string[];
  /** Epoch ms of the tick of the last message: the repeat clock. */
  tickAt: number;
  sequence: number;
  /** Epoch ms; an expired entry counts as none (Alertmanager's nflog retention). */
  expiresAt: number;
}

/** One member of the group at the tick, after suppression (spec A6). */
export interface TickAlert {
  fingerprint: string;
  /** endsAt <= tick (spec A3.1). */
  resolved: boolean;
  /** Inhibited, silenced, or the route is muted at the tick. */
  suppressed: boolean;
  /** One of the silences muting it asks to suppress the resolve too. */
  suppressResolve: boolean;
}

/** AM's reasons (notification_reason), plus ours for what AM does not record. */
export const REASONS = {
  first: 'first notification',
  added: 'new alerts added',
  allResolved: 'all alerts resolved',
  someResolved: 'some alerts resolved',
  repeat: 'repeat interval elapsed',
  nothingNew: 'nothing new',
  onlyResolved: 'only resolved',
  silent: 'log updated silently',
  muted: 'muted',
} as const;

export type Reason = (typeof REASONS)[keyof typeof REASONS];

/** The log entry as the decision reads it at `tickMs`: an expired one is none. */
export const liveEntry = (entry: LogEntry | null, tickMs: number): LogEntry | null =>
  entry && entry.expiresAt > tickMs ? entry : null;

/** One integration's view of a tick: what it may be told, and which alerts it was told fire but resolved since. */
export interface Batch {
  firing: string[];
  resolved: string[];
  /** Fingerprints in the log's firing set that are resolved at the tick, muted or not. */
  lapsed: string[];
}

/**
 * One integration's batch (spec A6 then our A7 rule): unsuppressed firing alerts, and resolved alerts that are
 * unsuppressed or owed — notified as firing (in the log) and muted now, unless a silence suppresses resolves.
 */
export function batchFor(alerts: readonly TickAlert[], entry: LogEntry | null): Batch {
  const told = new Set(entry?.firing ?? []);
  const batch: Batch = { firing: [], resolved: [], lapsed: [] };
  for (const a of alerts) {
    if (!a.resolved) {
      if (!a.suppressed) batch.firing.push(a.fingerprint);
      continue;
    }
    if (told.has(a.fingerprint)) batch.lapsed.push(a.fingerprint);
    if (!a.suppressed || (!a.suppressResolve && told.has(a.fingerprint))) batch.resolved.push(a.fingerprint);
  }
  return batch;
}

const subset = (a: readonly string[], b: ReadonlySet<string>) => a.every((x) => b.has(x));

export interface Decision {
  notify: boolean;
  reason: Reason;
  /** write: the log takes this tick's sets, its tick and a new sequence; silent: the sets only (no message; the
   * repeat clock and sequence kept); none: the log is left as it is. */
  log: 'write' | 'silent' | 'none';
  /** The sets the log takes (write, silent). */
  firing: string[];
  resolved: string[];
}

/**
 * Spec A7's decision for one integration at `tickMs`, given a non-empty batch (an empty one is a silent success
 * before the decision, spec A6) and a live entry (liveEntry). AM's steps in AM's order; our silent update sits
 * where AM would do nothing, our repeat test replaces AM's.
 */
export function needsUpdate(
  entry: LogEntry | null,
  batch: Batch,
  o: { sendResolved: boolean; tickMs: number; repeatMs: number },
): Decision {
  const { firing, resolved } = batch;
  const write = (reason: Reason): Decision => ({ notify: true, reason, log: 'write', firing, resolved });
  const keep = (reason: Reason): Decision => ({ notify: false, reason, log: 'none', firing, resolved });
  if (!entry) return firing.length > 0 ? write(REASONS.first) : keep(REASONS.onlyResolved);
  const told = new Set(entry.firing);
  if (!subset(firing, told)) return write(told.size === 0 ? REASONS.first : REASONS.added);
  // Our rule (B9, B8): the receiver no longer believes in alerts that resolved unannounced; the log says so
  // without a message, keeping the alerts it was told fire and are only muted now.
  const lapsed = new Set(batch.lapsed);
  const silent = (): Decision => ({
    notify: false,
    reason: REASONS.silent,
    log: 'silent',
    firing: entry.firing.filter((f) => !lapsed.has(f)),
    resolved,
  });
  if (firing.length === 0) {
    if (told.size === 0) return keep(REASONS.nothingNew);
    // AM: send_resolved=false sends nothing but succeeds, which clears the log (the fix of AM #1063).
    return o.sendResolved ? write(REASONS.allResolved) : silent();
  }
  if (o.sendResolved && !subset(resolved, new Set(entry.resolved))) return write(REASONS.someResolved);
  if (!o.sendResolved && lapsed.size > 0) return silent();
  // Our rule: the log holds the tick, so the repeat lands exactly on last tick + ri (B5: 4h00m30s, not 4h05m30s).
  if (entry.tickAt + o.repeatMs <= o.tickMs) return write(REASONS.repeat);
  return keep(REASONS.nothingNew);
}
