import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgEnum, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ROLES } from '../identity/roles';
import { timestamps, ts, uuidKey } from './columns';

export const roleEnum = pgEnum('role', ROLES);

/** People who sign in. Column names follow what @auth/drizzle-adapter expects, plus our own. */
export const users = pgTable(
  'users',
  {
    id: text()
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    name: text(),
    email: text().notNull(),
    emailVerified: ts(),
    image: text(),
    role: roleEnum().notNull().default('viewer'),
    /** argon2id PHC string; null for users who only sign in through an identity provider. */
    passwordHash: text(),
    mustChangePassword: boolean().notNull().default(false),
    disabledAt: ts(),
    lastSignInAt: ts(),
    ...timestamps(),
  },
  (t) => [uniqueIndex('users_email_lower_idx').on(sql`lower(${t.email})`)],
);

/** OAuth / OIDC links, managed by the Auth.js adapter. */
export const accounts = pgTable(
  'accounts',
  {
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text().$type<'oauth' | 'oidc' | 'email' | 'webauthn'>().notNull(),
    provider: text().notNull(),
    providerAccountId: text().notNull(),
    refresh_token: text(),
    access_token: text(),
    expires_at: integer(),
    token_type: text(),
    scope: text(),
    id_token: text(),
    session_state: text(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] })],
);

/** Required by the adapter's interface; unused with JWT sessions. */
export const verificationTokens = pgTable(
  'verification_tokens',
  {
    identifier: text().notNull(),
    token: text().notNull(),
    expires: ts().notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

/**
 * The session registry: JWT cookies cannot be revoked, so each carries a random session id
 * whose SHA-256 lives here; the console and the API both check it on every request.
 */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: uuidKey(),
    tokenHash: text().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: text().notNull(),
    createdAt: ts().notNull().defaultNow(),
    lastSeenAt: ts().notNull().defaultNow(),
    idleExpiresAt: ts().notNull(),
    absoluteExpiresAt: ts().notNull(),
    revokedAt: ts(),
    revokedReason: text(),
    ip: text(),
    userAgent: text(),
  },
  (t) => [
    uniqueIndex('auth_sessions_token_hash_idx').on(t.tokenHash),
    index('auth_sessions_user_idx').on(t.userId),
  ],
);

/** Machine credentials: only the SHA-256 of the key is kept, plus a short prefix to recognise it. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuidKey(),
    name: text().notNull(),
    prefix: text().notNull(),
    keyHash: text().notNull(),
    role: roleEnum().notNull(),
    createdBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts().notNull().defaultNow(),
    expiresAt: ts(),
    lastUsedAt: ts(),
    revokedAt: ts(),
  },
  (t) => [uniqueIndex('api_keys_key_hash_idx').on(t.keyHash)],
);

/** Fixed-window counters (sign-in attempts per client address), shared by every instance. */
export const rateLimits = pgTable('rate_limits', {
  key: text().primaryKey(),
  windowStart: ts().notNull(),
  count: integer().notNull(),
});

/**
 * Sign-in attempts per account (the normalised email, whether or not such a user exists): each attempt counts
 * as a failure until it succeeds, and past a few failures the next attempt must wait a growing delay.
 */
export const signInThrottle = pgTable('sign_in_throttle', {
  account: text().primaryKey(),
  failures: integer().notNull(),
  lastFailureAt: ts().notNull(),
  /** Null while no delay applies. */
  nextAttemptAt: ts(),
});
