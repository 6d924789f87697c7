import { startTestCluster } from '@sextant/db/testing';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const cluster = await startTestCluster();
  project.provide('adminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
