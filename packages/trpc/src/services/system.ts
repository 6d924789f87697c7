import type { Context } from '../context';

export interface DatabaseHealth {
  status: 'up' | 'down';
  latencyMs: number | null;
  /** Generic on purpose (anyone may read it); the driver's own message is logged with the request id. */
  error: string | null;
}

/** What the public hears when the database probe fails, here and from /readyz. */
export const DATABASE_DOWN = 'database unreachable';

async function checkDatabase(ctx: Pick<Context, 'runtime' | 'logger'>) {
  const started = performance.now();
  try {
    const migrations = await ctx.runtime.checkDatabase();
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return { db: { status: 'up', latencyMs, error: null } satisfies DatabaseHealth, migrations };
  } catch (err) {
    ctx.logger.warn({ err }, 'database check failed');
    const db = { status: 'down', latencyMs: null, error: DATABASE_DOWN } satisfies DatabaseHealth;
    return { db, migrations: null };
  }
}

/** Public: no runtime versions or error text, nothing that helps pick an exploit. */
export async function systemInfo(ctx: Pick<Context, 'runtime' | 'logger'>) {
  const { db, migrations } = await checkDatabase(ctx);
  return {
    name: 'Sextant',
    version: ctx.runtime.version,
    startedAt: ctx.runtime.startedAt,
    uptimeSeconds: Math.floor((Date.now() - ctx.runtime.startedAt.getTime()) / 1000),
    db,
    migrations,
  };
}

export type SystemInfo = Awaited<ReturnType<typeof systemInfo>>;
