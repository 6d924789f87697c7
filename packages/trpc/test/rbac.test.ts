import { type Role, roleAtLeast } from '@sextant/db';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../src/context';
import { appRouter } from '../src/root';
import { type Access, createCallerFactory } from '../src/trpc';
import { createFixture, type Fixture } from './fixtures';

type Caller = 'anonymous' | 'viewer' | 'maintainer' | 'admin' | 'api key (maintainer)';
const CALLERS: Caller[] = ['anonymous', 'viewer', 'maintainer', 'admin', 'api key (maintainer)'];

type Outcome = 'allowed' | 'UNAUTHORIZED' | 'FORBIDDEN';

/** What the declared policy says should happen; the test then checks the code does exactly that. */
function expected(access: Access, caller: Caller): Outcome {
  if (access.kind === 'public') return 'allowed';
  if (caller === 'anonymous') return 'UNAUTHORIZED';
  if (caller.startsWith('api key')) {
    if (access.sessionOnly) return 'FORBIDDEN';
    return roleAtLeast('maintainer', access.minRole) ? 'allowed' : 'FORBIDDEN';
  }
  return roleAtLeast(caller as Role, access.minRole) ? 'allowed' : 'FORBIDDEN';
}

const procedures = Object.entries(
  (appRouter._def as unknown as { procedures: Record<string, { _def: { meta?: { access?: Access } } }> })
    .procedures,
);

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});
afterAll(async () => {
  await fx?.close();
});

function identityFor(caller: Caller): Identity | null {
  if (caller === 'anonymous') return null;
  if (caller.startsWith('api key')) return fx.apiKey('maintainer');
  return fx.user(caller as Role);
}

async function call(path: string, identity: Identity | null): Promise<Outcome | string> {
  const caller = createCallerFactory(appRouter)(fx.ctx(identity));
  // biome-ignore lint/suspicious/noExplicitAny: walking the router by path string
  const fn = path.split('.').reduce<any>((node, key) => node[key], caller);
  try {
    // No input: an allowed call stops at input validation (BAD_REQUEST) or returns; it never reaches a write.
    await fn(undefined);
    return 'allowed';
  } catch (err) {
    if (!(err instanceof TRPCError)) throw err;
    if (err.code === 'UNAUTHORIZED' || err.code === 'FORBIDDEN') return err.code;
    return 'allowed';
  }
}

describe('RBAC matrix over every procedure of AppRouter', () => {
  it('finds the procedures', () => {
    expect(procedures.length).toBeGreaterThan(10);
  });

  it('every procedure declares an access policy', () => {
    const undeclared = procedures.filter(([, p]) => !p._def.meta?.access).map(([path]) => path);
    expect(undeclared, `procedures without a declared policy: ${undeclared.join(', ')}`).toEqual([]);
  });

  for (const [path, procedure] of procedures) {
    it(`${path} behaves as declared for every caller`, async () => {
      const access = procedure._def.meta?.access;
      if (!access) throw new Error(`${path} has no declared policy`);
      const actual: Record<string, Outcome | string> = {};
      const want: Record<string, Outcome> = {};
      for (const caller of CALLERS) {
        actual[caller] = await call(path, identityFor(caller));
        want[caller] = expected(access, caller);
      }
      expect(actual).toEqual(want);
    });
  }
});
