import { createTestDatabase, startTestCluster } from '@sextant/db/testing';
import type { Cleanup } from './cleanup';

/** A throwaway cluster (with extra server settings) plus one fresh migrated database; returns its URL. */
export async function startDatabase(cleanup: Cleanup, settings?: Record<string, string>): Promise<string> {
  // startTestCluster reuses DATABASE_URL when set; a bench must never load someone's dev db, so only TEST_DATABASE_URL may opt in.
  const devUrl = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  try {
    const cluster = await startTestCluster({ settings });
    cleanup.add('postgres', () => cluster.stop());
    return await createTestDatabase(cluster.adminUrl);
  } finally {
    if (devUrl !== undefined) process.env.DATABASE_URL = devUrl;
  }
}
