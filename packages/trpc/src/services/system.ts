import type { Context } from '../context';

export interface DatabaseHealth {
  status: 'up' | 'down';
  latencyMs: number | null;
  error: string | null;
}

async function checkDatabase(ctx: Pick<Context, 'runtime'>) {
  const started = performance.now();
  try {
    const migrations = await ctx.runtime.checkDatabase();
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return { db: { status: 'up', latencyMs, error: null } satisfies DatabaseHealth, migrations };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { db: { status: 'down', latencyMs: null, error } satisfies DatabaseHealth, migrations: null };
  }
}

export async function systemInfo(ctx: Pick<Context, 'runtime'>) {
  const { db, migrations } = await checkDatabase(ctx);
  return {
    name: 'Sextant',
    version: ctx.runtime.version,
    node: process.version,
    startedAt: ctx.runtime.startedAt,
    uptimeSeconds: Math.floor((Date.now() - ctx.runtime.startedAt.getTime()) / 1000),
    db,
    migrations,
  };
}

export type SystemInfo = Awaited<ReturnType<typeof systemInfo>>;

export async function listEnvironments(ctx: Pick<Context, 'db'>) {
  return ctx.db.query.environments.findMany({ orderBy: (e, { asc }) => [asc(e.position)] });
}
