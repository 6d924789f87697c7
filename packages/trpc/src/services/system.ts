import type { Context } from '../context';

export interface DatabaseHealth {
  status: 'up' | 'down';
  latencyMs: number | null;
  error: string | null;
}

export async function checkDatabase(ctx: Pick<Context, 'runtime'>): Promise<DatabaseHealth> {
  const started = performance.now();
  try {
    await ctx.runtime.pingDatabase();
    return { status: 'up', latencyMs: Math.round((performance.now() - started) * 10) / 10, error: null };
  } catch (err) {
    return { status: 'down', latencyMs: null, error: err instanceof Error ? err.message : String(err) };
  }
}

export async function systemInfo(ctx: Pick<Context, 'runtime'>) {
  const db = await checkDatabase(ctx);
  const migrations = db.status === 'up' ? await ctx.runtime.migrationStatus().catch(() => null) : null;
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
