import { createTestDatabase } from '@sextant/db/testing';
import { createClient } from '@sextant/trpc/client';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { inject } from 'vitest';
import { loadConfig } from '../src/config';
import { createRuntime, openDatabase } from '../src/database';
import { buildServer } from '../src/server';

export interface TestApi {
  app: FastifyInstance;
  baseUrl: string;
  databaseUrl: string;
  client: ReturnType<typeof createClient>;
  close(): Promise<void>;
}

/** A real API server on a random port over its own fresh database. */
export async function startTestApi(env: Record<string, string> = {}): Promise<TestApi> {
  const databaseUrl = env.DATABASE_URL ?? (await createTestDatabase(inject('adminUrl')));
  const config = loadConfig({ API_PORT: '0', LOG_LEVEL: 'silent', ...env, DATABASE_URL: databaseUrl });
  const logger = pino({ level: config.LOG_LEVEL });
  const db = await openDatabase(config, logger);
  const runtime = createRuntime(db, 'test');
  const app = await buildServer({ config, logger, db, runtime });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    baseUrl,
    databaseUrl,
    client: createClient({ url: `${baseUrl}/trpc` }),
    async close() {
      await app.close();
      await db.close();
    },
  };
}
