import { startTestCluster } from '@sextant/db/testing';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
  }
}

/** One throwaway Postgres per test run; each test takes its own database from it. */
export default async function setup(project: TestProject) {
  const cluster = await startTestCluster();
  project.provide('adminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
