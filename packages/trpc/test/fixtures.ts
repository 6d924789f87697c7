import { createDatabase, type Database, hashPassword, type Role, schema } from '@sextant/db';
import { createTestDatabase } from '@sextant/db/testing';
import { TRPCError } from '@trpc/server';
import { expect, inject } from 'vitest';
import { ZodError } from 'zod';
import type { Context, Identity } from '../src/context';
import { AppError, appCodeOf } from '../src/errors';
import { DEFAULT_SERIES_LIMITS } from '../src/services/metrics/limits';

export interface Fixture {
  database: Database;
  users: Record<Role, { id: string; email: string }>;
  ctx(identity: Identity | null): Context;
  user(role: Role): Identity;
  apiKey(role: Role): Identity;
  close(): Promise<void>;
}

const runtime = {
  version: 'test',
  startedAt: new Date(),
  checkDatabase: async () => ({ applied: 1, expected: 1, current: true, level: 'test' }),
  metricLimits: DEFAULT_SERIES_LIMITS,
};
const silent = { info() {}, warn() {}, error() {}, debug() {} };

/** A fresh database with one user per role, and contexts as the API would build them. */
export async function createFixture(): Promise<Fixture> {
  const database = createDatabase(await createTestDatabase(inject('adminUrl')), { max: 4 });
  const passwordHash = await hashPassword('correct horse battery');
  const rows = await database.primary
    .insert(schema.users)
    .values(
      (['viewer', 'maintainer', 'admin'] as const).map((role) => ({
        email: `${role}@test.local`,
        role,
        passwordHash,
      })),
    )
    .returning();
  const users = Object.fromEntries(
    rows.map((u) => [u.role, { id: u.id, email: u.email }]),
  ) as Fixture['users'];
  return {
    database,
    users,
    ctx: (identity) => ({
      db: database.db,
      sql: database.sql,
      requestId: 'test-request',
      ip: '127.0.0.1',
      logger: silent,
      runtime,
      identity,
      authError: null,
    }),
    user: (role) => ({
      type: 'user',
      userId: users[role].id,
      email: users[role].email,
      name: null,
      role,
      sessionId: '00000000-0000-4000-8000-000000000000',
      mustChangePassword: false,
    }),
    apiKey: (role) => ({
      type: 'api_key',
      keyId: '00000000-0000-4000-8000-000000000001',
      name: `${role} key`,
      role,
      createdBy: users[role].id,
    }),
    close: () => database.close(),
  };
}

/** A refused call's appCode, the field it names (a zod issue's or an AppError's path) and its message. */
export function refusalOf(err: unknown) {
  expect(err).toBeInstanceOf(TRPCError);
  const cause = (err as TRPCError).cause;
  const path =
    cause instanceof ZodError
      ? cause.issues[0]!.path.join('.')
      : cause instanceof AppError
        ? cause.path?.join('.')
        : undefined;
  return { code: appCodeOf(err as TRPCError), path, message: (err as TRPCError).message };
}
