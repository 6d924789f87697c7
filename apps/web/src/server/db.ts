import 'server-only';
import { createDatabase, type Database, embeddedDatabaseUrl } from '@sextant/db';
import { serverEnv } from '~/env';

// One pool per server process; survives hot reloads in development.
const globalForDb = globalThis as unknown as { sextantDb?: Database };

/** The console's own connection, used only by sign-in and the session check. */
export function getDb(): Database {
  if (!globalForDb.sextantDb) {
    const env = serverEnv();
    globalForDb.sextantDb = createDatabase(env.DATABASE_URL ?? embeddedDatabaseUrl(env.SEXTANT_PG_PORT), {
      max: 5,
      applicationName: 'sextant-web',
    });
  }
  return globalForDb.sextantDb;
}
