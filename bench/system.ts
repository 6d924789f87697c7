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
  // Where the gap comes from: the API's plugin stack alone, then plus one Postgres round trip, then plus tRPC.
  const healthz = await load('API /healthz (no tRPC, no DB)', `${api}/healthz`, settings);
  const readyz = await load('API /readyz (no tRPC, 1 query)', `${api}/readyz`, settings);
  const info = await load('system.info (tRPC, 1 query)', infoUrl, settings);
  const rows = [baseline, healthz, readyz, info];
  printTable('system.info vs. bare Fastify', rows, baseline);

  const failed = rows.filter((r) => r.failures > 0);
  if (failed.length > 0) {
    throw new Error(
      `non-2xx answers or errors under load: ${failed.map((r) => `${r.target} ${r.failures}`).join(', ')}`,
    );
  }
}
