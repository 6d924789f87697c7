import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encode } from '@auth/core/jwt';
import { createSession, generateApiKey, hashPassword, type Role, schema } from '@sextant/db';
import { createTestDatabase } from '@sextant/db/testing';
import type { Runtime } from '@sextant/trpc';
import { createClient, TRPCClientError } from '@sextant/trpc/client';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { loadConfig, seriesLimits } from '../src/config';
import { createRuntime, openDatabase } from '../src/database';
import type { FlagEdgeOptions } from '../src/routes/flags';
import { buildServer } from '../src/server';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-test';
export const TEST_ORIGIN = 'http://127.0.0.1:3000';

export interface TestApi {
  app: FastifyInstance;
  /** What the server hands every request (its sendNotification sends under the database's outbound lists). */
  runtime: Runtime;
  baseUrl: string;
  databaseUrl: string;
  /** A small pool on the server's database for the test's own reads and writes (connects on first use). */
  sql: postgres.Sql;
  /** This server's own `.sextant/` (a temp folder), so tests never write into the workspace's. */
  stateDir: string;
  /** Anonymous client. */
  client: ReturnType<typeof createClient>;
  /** A new user with this role, signed in through the session registry, calling with the console's cookie. */
  asUser(role: Role, email?: string): Promise<SignedIn>;
  /** A new API key with this role, owned by `ownerId` or by a new user of the same role (keys always have an owner). */
  withKey(
    role: Role,
    ownerId?: string,
  ): Promise<{ client: ReturnType<typeof createClient>; key: string; id: string; ownerId: string }>;
  /** A client calling with this API key. */
  keyClient(key: string): ReturnType<typeof createClient>;
  /** The server's own shutdown, as in production, then the database. */
  close(): Promise<void>;
}

export interface SignedIn {
  client: ReturnType<typeof createClient>;
  userId: string;
  email: string;
  cookie: string;
  sessionToken: string;
}

export interface TestApiOptions {
  /** Collects the server's JSON log lines (at LOG_LEVEL, default silent) instead of discarding them. */
  logs?: Record<string, unknown>[];
  /** Serves the flag edges from this source (the real FlagSnapshotCache is wired in main). */
  flags?: FlagEdgeOptions;
}

/** A real API server on a random port over its own fresh database. */
export async function startTestApi(
  env: Record<string, string> = {},
  options: TestApiOptions = {},
): Promise<TestApi> {
  const databaseUrl = env.DATABASE_URL ?? (await createTestDatabase(inject('adminUrl')));
  const stateDir = await mkdtemp(path.join(tmpdir(), 'sextant-api-state-'));
  const config = {
    ...loadConfig({
      API_PORT: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      AUTH_SECRET: TEST_SECRET,
      ...env,
      DATABASE_URL: databaseUrl,
    }),
    stateDir,
  };
  const logs = options.logs;
  const logger = logs
    ? pino({ level: env.LOG_LEVEL ?? 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) })
    : pino({ level: config.LOG_LEVEL });
  const db = await openDatabase(config, logger);
  const runtime = createRuntime(db, 'test', { metricLimits: seriesLimits(config) });
  const app = await buildServer({ config, logger, db, runtime, flags: options.flags });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  const url = `${baseUrl}/trpc`;
  const sql = postgres(databaseUrl, { max: 4, onnotice: () => {} });
  let n = 0;
  return {
    app,
    runtime,
    baseUrl,
    databaseUrl,
    sql,
    stateDir,
    client: createClient({ url }),
    async asUser(role, email = `${role}-${++n}-${Date.now()}@test.local`) {
      const [user] = await db.database.primary
        .insert(schema.users)
        .values({ email, role, passwordHash: await hashPassword('correct horse battery') })
        .returning();
      const { token } = await createSession(db.database.primary, {
        userId: user!.id,
        provider: 'credentials',
      });
      const cookie = `authjs.session-token=${await encode({ token: { sid: token, sub: user!.id }, secret: TEST_SECRET, salt: 'authjs.session-token' })}`;
      return {
        client: createClient({ url, headers: { cookie, origin: TEST_ORIGIN } }),
        userId: user!.id,
        email,
        cookie,
        sessionToken: token,
      };
    },
    async withKey(role, ownerId) {
      const owner =
        ownerId ??
        (
          await db.database.primary
            .insert(schema.users)
            .values({ email: `key-owner-${++n}-${Date.now()}@test.local`, role })
            .returning()
        )[0]!.id;
      const { key, prefix, keyHash } = generateApiKey();
      const [row] = await db.database.primary
        .insert(schema.apiKeys)
        .values({ name: `${role} key`, prefix, keyHash, role, createdBy: owner })
        .returning();
      return { client: createClient({ url, apiKey: key }), key, id: row!.id, ownerId: owner };
    },
    keyClient: (key) => createClient({ url, apiKey: key }),
    async close() {
      await sql.end();
      await app.close();
      await db.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/**
 * One server for the whole file: started before its tests and closed after them. The object is filled in by
 * `beforeAll`, so read its fields inside hooks and tests, not at the top level.
 */
export function useTestApi(env: Record<string, string> = {}, options: TestApiOptions = {}): TestApi {
  const api = {} as TestApi;
  beforeAll(async () => {
    Object.assign(api, await startTestApi(env, options));
  });
  afterAll(async () => {
    await api.close?.();
  });
  return api;
}

/** A user of this role for the whole file, signed in once the file's server is up (see `useTestApi`). */
export function useUser(api: TestApi, role: Role): SignedIn {
  const user = {} as SignedIn;
  beforeAll(async () => {
    Object.assign(user, await api.asUser(role));
  });
  return user;
}

type CheckInput = Parameters<SignedIn['client']['checks']['create']['mutate']>[0]['check'];

/** A new service with one check, both created through the API by `user`, as the console does. */
export async function createServiceWithCheck(user: SignedIn, serviceName: string, check: CheckInput) {
  const service = await user.client.services.create.mutate({ name: serviceName });
  return { service, check: await user.client.checks.create.mutate({ service: service.id, check }) };
}

/** The `data` the API's error formatter puts on every refused call. */
export interface RefusalData {
  code: string;
  appCode: string;
  httpStatus: number;
  zodError: {
    fieldErrors: Record<string, string[]>;
    issues: { path: string; message: string }[];
  } | null;
}

/** The error a tRPC call was refused with; the test fails when the call succeeds or fails some other way. */
export async function refused(call: Promise<unknown>): Promise<{ data: RefusalData; message: string }> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCClientError);
  const e = err as TRPCClientError<never>;
  return { data: e.data as unknown as RefusalData, message: e.message };
}

/** The `data` of the error a tRPC call was refused with (see `refused`). */
export async function failure(call: Promise<unknown>): Promise<RefusalData> {
  return (await refused(call)).data;
}
