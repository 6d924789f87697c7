// The query bench calls metrics.query three ways: the procedure in this process, the API's Fastify server in
// this process (inject: no sockets), and the built API over HTTP in its own process.
import http from 'node:http';
import { loadConfig, seriesLimits } from '@sextant/api/config';
import { createRuntime, type OpenDatabase, openDatabase } from '@sextant/api/database';
import { buildServer } from '@sextant/api/server';
import { appRouter, authenticate, createCallerFactory, type Runtime, transformer } from '@sextant/trpc';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Cleanup } from './cleanup';

export interface QueryInput {
  selector: { name: string; matchers: { label: string; op: '='; value: string }[] };
  from: Date;
  to: Date;
  step: number;
  fn: 'avg';
}

export interface Answer {
  tier: string;
  values: (number | null)[];
}

/** Turns one input into a repeatable call (anything per-input is built once, outside the timing). */
export type Caller = (input: QueryInput) => () => Promise<Answer>;

const silent = {
  level: 'silent',
  fatal() {},
  error() {},
  warn() {},
  info() {},
  debug() {},
  trace() {},
  silent() {},
  child() {
    return silent;
  },
} as unknown as FastifyBaseLogger;

export interface InProcessApi {
  db: OpenDatabase;
  runtime: Runtime;
  app: FastifyInstance;
}

/** The API's own database handle, runtime and Fastify server, opened in this process as `main` does (no workers). */
export async function inProcessApi(
  cleanup: Cleanup,
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
): Promise<InProcessApi> {
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    API_PORT: '0',
    API_RATE_LIMIT_PER_MIN: '0',
    SEXTANT_SEED: 'false',
    SEXTANT_SCHEDULER: 'false',
    ...extraEnv,
  });
  const db = await openDatabase(config, silent);
  const runtime = createRuntime(db, 'bench', { metricLimits: seriesLimits(config) });
  const app = await buildServer({ config, logger: silent, db, runtime });
  await app.ready();
  cleanup.add('in-process API', async () => {
    await app.close();
    await db.close();
  });
  return { db, runtime, app };
}

/**
 * metrics.query as the API runs it minus Fastify: the API key checked against the database, the input
 * validated, the procedure's role check, the query, and the answer serialized to the JSON tRPC would send.
 */
export function procedureCaller({ db, runtime }: InProcessApi, key: string): Caller {
  const { database } = db;
  const createCaller = createCallerFactory(appRouter);
  return (input) => async () => {
    const auth = await authenticate(
      database.primary,
      { authorization: `Bearer ${key}` },
      { secret: 'bench-has-no-cookies-bench-has-no-cookies' },
    );
    const caller = createCaller({
      db: database.db,
      sql: database.sql,
      requestId: 'bench',
      ip: null,
      logger: silent,
      runtime,
      identity: auth.identity,
      authError: auth.error,
    });
    const answer = await caller.metrics.query(input);
    JSON.stringify({ result: { data: transformer.output.serialize(answer) } });
    return answer;
  };
}

const queryUrl = (input: QueryInput) =>
  `/trpc/metrics.query?input=${encodeURIComponent(JSON.stringify(transformer.input.serialize(input)))}`;

function answerOf(status: number, text: string): Answer {
  if (status !== 200) throw new Error(`metrics.query answered ${status}: ${text.slice(0, 500)}`);
  return (JSON.parse(text) as { result: { data: { json: Answer } } }).result.data.json;
}

/** The API's own server (every hook and plugin, tRPC's Fastify adapter) in this process, called with inject. */
export function injectCaller({ app }: InProcessApi, key: string): Caller {
  const headers = { authorization: `Bearer ${key}` };
  return (input) => {
    const url = queryUrl(input);
    return async () => {
      const res = await app.inject({ method: 'GET', url, headers });
      return answerOf(res.statusCode, res.body);
    };
  };
}

/** GET /trpc/metrics.query on one keep-alive connection, with node:http (undici's fetch adds ~0.3 ms a request). */
export function httpCaller(cleanup: Cleanup, base: string, key: string): Caller {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  cleanup.add('bench http agent', async () => agent.destroy());
  const headers = { authorization: `Bearer ${key}` };
  return (input) => {
    const url = `${base}${queryUrl(input)}`;
    return () =>
      new Promise<Answer>((resolve, reject) => {
        http
          .get(url, { agent, headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              try {
                resolve(answerOf(res.statusCode ?? 0, Buffer.concat(chunks).toString()));
              } catch (err) {
                reject(err);
              }
            });
          })
          .on('error', reject);
      });
  };
}
