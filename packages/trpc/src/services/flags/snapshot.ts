import { createHash } from 'node:crypto';
import type { DbOrTx, Sql } from '@sextant/db';
import type { FlagConfigInput } from '@sextant/flags';
import { sql as raw } from 'drizzle-orm';

/** The channel every flag write notifies inside its transaction; the payload is an environment id or '*'. */
export const FLAGS_CHANNEL = 'sextant_flags';

/** Every live flag of one environment, as clients and `flags.evaluate` evaluate it. Immutable once built. */
export interface FlagSnapshot {
  /** The environment's name as stored. */
  environment: string;
  /** Strong: a hash of `flags`, so it changes whenever any flag of the environment changes. */
  etag: string;
  generatedAt: string;
  /** Key → configuration; archived flags are left out. */
  flags: Record<string, FlagConfigInput>;
}

interface SnapshotRow {
  environment_id: string;
  environment_name: string;
  key: string | null;
  type: FlagConfigInput['type'] | null;
  enabled: boolean | null;
  strategies: FlagConfigInput['strategies'] | null;
  variants: FlagConfigInput['variants'] | null;
  variant_stickiness: string | null;
  version: number | null;
}

const freeze = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) freeze(v);
    Object.freeze(value);
  }
  return value;
};

/** Builds one environment's snapshot (undefined when no environment has that name, case-insensitively). */
export async function loadFlagSnapshot(
  db: DbOrTx,
  environment: string,
): Promise<(FlagSnapshot & { environmentId: string }) | undefined> {
  // A flag without a row for the environment (made before the environment existed) is there, disabled.
  const rows = (await db.execute(raw`
    select e.id as environment_id, e.name as environment_name, f.key, f.type,
      coalesce(fe.enabled, false) as enabled, coalesce(fe.strategies, '[]'::jsonb) as strategies,
      coalesce(fe.variants, '[]'::jsonb) as variants,
      coalesce(fe.variant_stickiness, 'default') as variant_stickiness, coalesce(fe.version, 0) as version
    from environments e
    left join flags f on f.archived_at is null
    left join flag_environments fe on fe.flag_id = f.id and fe.environment_id = e.id
    where lower(e.name) = lower(${environment})
    order by f.key`)) as unknown as SnapshotRow[];
  const first = rows[0];
  if (!first) return undefined;
  const flags: Record<string, FlagConfigInput> = {};
  for (const r of rows) {
    if (r.key === null || r.type === null) continue;
    flags[r.key] = {
      key: r.key,
      type: r.type,
      enabled: r.enabled ?? false,
      strategies: r.strategies ?? [],
      variants: r.variants ?? [],
      variantStickiness: r.variant_stickiness ?? 'default',
      version: r.version ?? 0,
      environment: first.environment_name,
    };
  }
  const etag = `"${createHash('sha256').update(JSON.stringify(flags)).digest('base64url').slice(0, 27)}"`;
  return freeze({
    environment: first.environment_name,
    environmentId: first.environment_id,
    etag,
    generatedAt: new Date().toISOString(),
    flags,
  });
}

type Loaded = (FlagSnapshot & { environmentId: string }) | undefined;
type Loader = (environment: string) => Promise<Loaded>;

/**
 * One API instance's snapshots, by lower-cased environment name. Kept only while this instance hears the
 * database's NOTIFY (before that every `get` reads afresh); a notification reloads the environments it names.
 */
export class FlagSnapshotCache {
  private readonly entries = new Map<string, Promise<Loaded>>();
  /** The settled value of each current entry, for `peek`. */
  private readonly settled = new Map<string, FlagSnapshot>();
  private readonly listeners = new Map<string, Set<(s: FlagSnapshot) => void>>();
  private readonly load: Loader;
  private listening = false;
  private heard!: () => void;
  /** Resolves once LISTEN is in place (from then on snapshots are kept). */
  readonly ready = new Promise<void>((resolve) => {
    this.heard = resolve;
  });

  constructor(db: DbOrTx, load?: Loader) {
    this.load = load ?? ((environment) => loadFlagSnapshot(db, environment));
  }

  /** The environment's snapshot; undefined when there is no such environment. */
  get(environment: string): Promise<FlagSnapshot | undefined> {
    const name = environment.toLowerCase();
    if (!this.listening) return this.load(name);
    let entry = this.entries.get(name);
    if (!entry) entry = this.reload(name);
    return entry;
  }

  /** The environment's current snapshot when it is loaded and kept, without a promise (the evaluation hot path). */
  peek(environment: string): FlagSnapshot | undefined {
    return this.listening ? this.settled.get(environment.toLowerCase()) : undefined;
  }

  /** Called with the new snapshot after every change of the environment; returns the unsubscribe. */
  subscribe(environment: string, listener: (s: FlagSnapshot) => void): () => void {
    const name = environment.toLowerCase();
    const set = this.listeners.get(name) ?? new Set();
    this.listeners.set(name, set);
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(name) === set) this.listeners.delete(name);
    };
  }

  private reload(name: string): Promise<Loaded> {
    const entry = this.load(name);
    this.entries.set(name, entry);
    // Until it settles, readers wait for the new one, as `get` makes them.
    this.settled.delete(name);
    entry.then(
      (snapshot) => {
        if (this.entries.get(name) !== entry) return;
        if (!snapshot) {
          // No such environment: not kept, so one made later is found.
          this.entries.delete(name);
          this.settled.delete(name);
          return;
        }
        this.settled.set(name, snapshot);
        for (const l of this.listeners.get(name) ?? []) l(snapshot);
      },
      () => {
        if (this.entries.get(name) !== entry) return;
        this.entries.delete(name);
        this.settled.delete(name);
      },
    );
    return entry;
  }

  /** Reloads the cached or subscribed environments `payload` names (an environment id, or '*' for all). */
  private async changed(payload: string) {
    const names = new Set([...this.entries.keys(), ...this.listeners.keys()]);
    // In parallel: one slow environment's load does not hold back another's reload.
    await Promise.all(
      [...names].map(async (name) => {
        const cached = await this.entries.get(name)?.catch(() => undefined);
        if (payload === '*' || !cached || cached.environmentId === payload) void this.reload(name);
      }),
    );
  }

  /**
   * LISTENs on `sql`'s own connection; postgres.js listens again after a reconnect, and every (re)listen reloads
   * everything, since notifications sent while disconnected are lost.
   */
  async listen(sql: Sql): Promise<{ unlisten(): Promise<void> }> {
    const sub = await sql.listen(
      FLAGS_CHANNEL,
      (payload) => void this.changed(payload),
      () => {
        this.listening = true;
        void this.changed('*');
        this.heard();
      },
    );
    return {
      unlisten: async () => {
        this.listening = false;
        this.entries.clear();
        this.settled.clear();
        await sub.unlisten();
      },
    };
  }
}
