import { encode } from '@auth/core/jwt';
import {
  createDatabase,
  createSession,
  type Database,
  generateApiKey,
  hashPassword,
  type Role,
  roleAtLeast,
  schema,
} from '@sextant/db';
import { createTestDatabase } from '@sextant/db/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { authenticate } from '../src/auth/authenticate';
import type { Context } from '../src/context';
import { appRouter } from '../src/root';
import { DEFAULT_SERIES_LIMITS } from '../src/services/metrics/limits';
import {
  createFixtures,
  FIXTURE_PASSWORD,
  type Fixtures,
  type InputBuilder,
  PROCEDURES,
} from '../src/testing';
import { type Access, createCallerFactory } from '../src/trpc';

const SECRET = 'rbac-test-secret-rbac-test-secret-rbac';
const COOKIE = 'authjs.session-token';

type Caller =
  | { name: 'anonymous'; kind: 'anonymous' }
  | { name: string; kind: 'user' | 'key'; role: Role; mustChange?: true };
const ROLES: Role[] = ['viewer', 'maintainer', 'admin'];
const CALLERS: Caller[] = [
  { name: 'anonymous', kind: 'anonymous' },
  ...ROLES.map((role): Caller => ({ name: `${role} user`, kind: 'user', role })),
  ...ROLES.map((role): Caller => ({ name: `${role} key`, kind: 'key', role })),
  // An admin who has not yet replaced a temporary password may do nothing else.
  { name: 'admin who must change password', kind: 'user', role: 'admin', mustChange: true },
];

type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN';

/** Requirement 24: a key never does admin work, whatever role its row says (an admin key acts as a maintainer). */
const KEY_CAP: Role = 'maintainer';

/** The expected answer, from the checked-in table only. */
function expected(path: string, caller: Caller, needs: Role): Outcome {
  const rule = PROCEDURES[path]!;
  if (rule.min === 'public') return 'ok';
  if (caller.kind === 'anonymous') return 'UNAUTHORIZED';
  if (caller.kind === 'key' && rule.sessionOnly) return 'FORBIDDEN';
  if (caller.kind === 'user' && caller.mustChange && !rule.duringPasswordChange) return 'FORBIDDEN';
  const role = caller.kind === 'key' && roleAtLeast(caller.role, KEY_CAP) ? KEY_CAP : caller.role;
  return roleAtLeast(role, needs) ? 'ok' : 'FORBIDDEN';
}

const procedures = (
  appRouter._def as unknown as {
    procedures: Record<string, { _def: { type: 'query' | 'mutation'; meta?: { access?: Access } } }>;
  }
).procedures;

let database: Database;
let fixtures: Fixtures;
let passwordHash: string;
let n = 0;

beforeAll(async () => {
  database = createDatabase(await createTestDatabase(inject('adminUrl')), { max: 4 });
  fixtures = await createFixtures(database);
  passwordHash = await hashPassword(FIXTURE_PASSWORD);
});
afterAll(async () => {
  await database?.close();
});

/** Headers as the API would receive them from this caller: a real session cookie or a real key, each fresh. */
async function headersFor(caller: Caller): Promise<{ authorization?: string; cookie?: string }> {
  if (caller.kind === 'anonymous') return {};
  const db = database.primary;
  const [user] = await db
    .insert(schema.users)
    .values({
      email: `${caller.kind}-${caller.role}-${++n}@rbac.test`,
      role: caller.role,
      passwordHash,
      mustChangePassword: caller.mustChange ?? false,
    })
    .returning();
  if (caller.kind === 'key') {
    const { key, prefix, keyHash } = generateApiKey();
    await db
      .insert(schema.apiKeys)
      .values({ name: `${caller.role} key`, prefix, keyHash, role: caller.role, createdBy: user!.id });
    return { authorization: `Bearer ${key}` };
  }
  const { token } = await createSession(db, { userId: user!.id, provider: 'credentials' });
  const jwt = await encode({ token: { sid: token, sub: user!.id }, secret: SECRET, salt: COOKIE });
  return { cookie: `${COOKIE}=${jwt}` };
}

async function callerFor(caller: Caller) {
  const auth = await authenticate(database.primary, await headersFor(caller), { secret: SECRET });
  expect(auth.error, `${caller.name} must authenticate`).toBeNull();
  const ctx: Context = {
    db: database.db,
    sql: database.sql,
    requestId: 'rbac',
    ip: '127.0.0.1',
    logger: { info() {}, warn() {}, error() {}, debug() {} },
    runtime: {
      version: 'test',
      startedAt: new Date(),
      checkDatabase: async () => ({ applied: 1, expected: 1, current: true, level: 'test' }),
      metricLimits: DEFAULT_SERIES_LIMITS,
      // receivers.test sends through it; access is what is under test here, not the transport.
      sendNotification: async () => ({
        class: 'success',
        status: 200,
        retryAfterMs: null,
        error: null,
        durationMs: 1,
      }),
    },
    identity: auth.identity,
    authError: null,
  };
  return createCallerFactory(appRouter)(ctx);
}

async function call(
  path: string,
  caller: Awaited<ReturnType<typeof callerFor>>,
  input: (() => unknown) | undefined,
): Promise<string> {
  // biome-ignore lint/suspicious/noExplicitAny: walking the router by its path string
  const fn = path.split('.').reduce<any>((node, key) => node[key], caller);
  try {
    await fn(await input?.());
    return 'ok';
  } catch (err) {
    if (!(err instanceof TRPCError)) throw err;
    // Anything but an access decision means the table's input was not valid: say so rather than pass.
    return err.code === 'UNAUTHORIZED' || err.code === 'FORBIDDEN' ? err.code : `${err.code}: ${err.message}`;
  }
}

async function matrix(path: string, input: InputBuilder | undefined, needs: Role) {
  const actual: Record<string, string> = {};
  const want: Record<string, string> = {};
  // Each caller is fresh and independent of the others, so all are made at once; inputs and calls stay in turn.
  const callers = await Promise.all(CALLERS.map(callerFor));
  // A refused call and a query change nothing, so their input serves the next caller too; only an accepted mutation
  // may have used it up (deleted its object, taken its name), and the next caller then gets a new one.
  const mutation = procedures[path]?._def.type === 'mutation';
  let built: Promise<unknown> | undefined;
  const build = input && (() => (built ??= Promise.resolve(input(fixtures))));
  for (const [i, caller] of CALLERS.entries()) {
    actual[caller.name] = await call(path, callers[i]!, build);
    want[caller.name] = expected(path, caller, needs);
    if (mutation && actual[caller.name] === 'ok') built = undefined;
  }
  expect(actual).toEqual(want);
}

describe('RBAC: every procedure of AppRouter against the checked-in table', () => {
  it('the table names exactly the procedures of the router', () => {
    const routed = Object.keys(procedures).sort();
    expect(Object.keys(PROCEDURES).sort()).toEqual(routed);
    expect(routed.length).toBeGreaterThan(40);
  });

  it('each procedure declares the policy the table expects', () => {
    const declared = Object.fromEntries(Object.entries(procedures).map(([p, v]) => [p, v._def.meta?.access]));
    const want = Object.fromEntries(
      Object.entries(PROCEDURES).map(([p, r]) => [
        p,
        r.min === 'public'
          ? { kind: 'public' }
          : {
              kind: 'role',
              minRole: r.min,
              sessionOnly: r.sessionOnly ?? false,
              duringPasswordChange: r.duringPasswordChange ?? false,
            },
      ]),
    );
    expect(declared).toEqual(want);
  });

  it('every admin procedure is for signed-in people only, never an API key', () => {
    const admin = Object.entries(PROCEDURES).filter(([, r]) => r.min === 'admin');
    expect(admin.length).toBeGreaterThan(10);
    expect(admin.filter(([, r]) => !r.sessionOnly).map(([path]) => path)).toEqual([]);
  });

  it('apiKeys.create refuses an admin key, even to an admin', async () => {
    const admin = await callerFor({ name: 'admin user', kind: 'user', role: 'admin' });
    const err = await admin.apiKeys.create({ name: fixtures.unique('key'), role: 'admin' as never }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe('BAD_REQUEST');
    const maintainer = await callerFor({ name: 'maintainer user', kind: 'user', role: 'maintainer' });
    const { apiKey } = await maintainer.apiKeys.create({ name: fixtures.unique('key'), role: 'maintainer' });
    expect(apiKey.role).toBe('maintainer');
  });

  it("no mutation is public but a status page subscriber's own (subscribe, and the links of its mails)", () => {
    const mutations = Object.entries(procedures).filter(
      ([, p]) => (p._def as unknown as { type: string }).type === 'mutation',
    );
    expect(mutations.length).toBeGreaterThan(20);
    expect(
      mutations
        .filter(([path]) => PROCEDURES[path]?.min === 'public')
        .map(([path]) => path)
        .sort(),
    ).toEqual(['statusPages.confirmSubscription', 'statusPages.subscribe', 'statusPages.unsubscribe']);
  });

  it('apiKeys.list, an object-scoped read, shows a maintainer only their own keys', async () => {
    const { id } = await fixtures.apiKey();
    const listed = async (caller: Caller) =>
      (await (await callerFor(caller)).apiKeys.list()).map((k) => k.id);
    expect(await listed({ name: 'maintainer user', kind: 'user', role: 'maintainer' })).not.toContain(id);
    expect(await listed({ name: 'maintainer key', kind: 'key', role: 'maintainer' })).not.toContain(id);
    expect(await listed({ name: 'admin user', kind: 'user', role: 'admin' })).toContain(id);
  });

  for (const [path, rule] of Object.entries(PROCEDURES)) {
    const base: Role = rule.min === 'public' ? 'viewer' : rule.min;
    const needs = rule.othersNeed && !roleAtLeast(base, rule.othersNeed) ? rule.othersNeed : base;
    it(`${path}${rule.othersNeed ? ' on an object someone else owns' : ''}`, () =>
      matrix(path, rule.input, needs));
    for (const [field, guarded] of Object.entries(rule.fields ?? {})) {
      it(`${path} setting ${field}`, () => matrix(path, guarded.input, guarded.needs));
    }
  }
});
