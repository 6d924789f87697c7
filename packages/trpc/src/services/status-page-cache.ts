import { createHash } from 'node:crypto';
import type { Sql } from '@sextant/db';
import { STATUS_PAGE_LIMITS } from '../limits';
import { markStableAnswer } from '../transformer';
import { nextBoundary, type StatusPageView } from './status-page-view';

const versions = new WeakMap<StatusPageView, string>();

/**
 * A view's content hash, its build time left out: every instance that built the same page answers the same
 * version (the edges' ETags, the console's HTML cache), so three API instances do not make readers re-fetch.
 */
export function viewVersion(view: StatusPageView): string {
  let version = versions.get(view);
  if (version === undefined) {
    const { generatedAt: _, ...content } = view;
    version = createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 22);
    versions.set(view, version);
  }
  return version;
}

/** The channel the migration's statement triggers notify on any change that can alter a status page. */
export const STATUS_CHANNEL = 'sextant_status';

interface Entry {
  view: Promise<StatusPageView>;
  expiresAt: number;
}

/**
 * Built status page views of one API instance, by key (a page's slug, or a key of the virtual page). Cleared
 * whole on every NOTIFY (changes are rare next to reads); an entry also expires after the TTL ("today"'s uptime
 * moves) and at the next maintenance start or end it shows.
 */
export class StatusPageCache {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(reason: string) => void>();
  /** Nothing is kept until this instance hears change notifications: before that, every view is built. */
  private listening = false;
  private heard!: () => void;
  /** Resolves once LISTEN is in place. */
  readonly ready = new Promise<void>((resolve) => {
    this.heard = resolve;
  });

  constructor(
    private readonly ttlMs: number = STATUS_PAGE_LIMITS.cacheTtlMs,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The cached view, or `build`'s; concurrent misses share one build, and a failed build is not kept. */
  get(key: string, build: () => Promise<StatusPageView>): Promise<StatusPageView> {
    if (!this.listening) return build();
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.view;
    const entry: Entry = { view: build(), expiresAt: now + this.ttlMs };
    this.entries.set(key, entry);
    entry.view.then(
      (view) => {
        // Handed to every visitor until it expires: encoded for the wire once, not per request.
        markStableAnswer(view);
        const boundary = nextBoundary(view, new Date(now))?.getTime();
        if (boundary !== undefined) entry.expiresAt = Math.min(entry.expiresAt, boundary);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.view;
  }

  /** Drops every entry, in-flight builds included (they may have read the data before the change). */
  clear(reason = 'clear') {
    this.entries.clear();
    for (const l of this.listeners) l(reason);
  }

  get size() {
    return this.entries.size;
  }

  /** Called after each clear with its reason (the notifying table); returns the unsubscribe. */
  onClear(listener: (reason: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * LISTENs on `sql`'s own connection; postgres.js listens again after a reconnect, and every (re)listen clears,
   * since notifications sent while disconnected are lost (entries kept meanwhile still expire by the TTL).
   */
  async listen(sql: Sql): Promise<{ unlisten(): Promise<void> }> {
    const sub = await sql.listen(
      STATUS_CHANNEL,
      (payload) => this.clear(payload),
      () => {
        this.listening = true;
        this.clear('listen');
        this.heard();
      },
    );
    return { unlisten: () => sub.unlisten() };
  }
}
