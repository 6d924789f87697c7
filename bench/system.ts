// system.info over real tRPC + Postgres vs. a bare Fastify route: the cost of our stack per request.
import type { Cleanup } from './lib/cleanup';
import { startDatabase } from './lib/database';
import { load, loadSettings } from './lib/load';
import { printContext, printTable } from './lib/report';
import { startApi, startBaseline } from './lib/targets';

export const description = 'GET /trpc/system.info on the built API vs. a bare Fastify route';

export async function run(cleanup: Cleanup): Promise<void> {
  const settings = loadSettings();
  const databaseUrl = await startDatabase(cleanup);
  const api = await startApi(cleanup, databaseUrl);
  const infoUrl = `${api}/trpc/system.info`;

  // One real answer first: proves the route works and gives the baseline a body of the same shape and size.
  const res = await fetch(infoUrl);
  if (!res.ok) throw new Error(`${infoUrl} answered ${res.status}: ${await res.text()}`);
  const body: unknown = await res.json();
  const baselineUrl = await startBaseline(cleanup, body);

  printContext(settings);
  console.log(`payload:  ${JSON.stringify(body).length} bytes of JSON from both targets`);
  // Sequential, never concurrent: the two servers must not compete for the same cores.
  const baseline = await load('bare fastify (baseline)', baselineUrl, settings);
  const info = await load('system.info', infoUrl, settings);
  printTable('system.info vs. bare Fastify', [baseline, info], baseline);

  const failed = [baseline, info].filter((r) => r.failures > 0);
  if (failed.length > 0) {
    throw new Error(
      `non-2xx answers or errors under load: ${failed.map((r) => `${r.target} ${r.failures}`).join(', ')}`,
    );
  }
}
