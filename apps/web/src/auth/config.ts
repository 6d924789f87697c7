import 'server-only';
import { DrizzleAdapter } from '@auth/drizzle-adapter';
import {
  createSession,
  eq,
  type Role,
  resolveAuthSecret,
  revokeSessionByToken,
  schema,
  sql,
  validateSession,
  writeAudit,
} from '@sextant/db';
import { headers } from 'next/headers';
import NextAuth, { type NextAuthConfig } from 'next-auth';
import type { Provider } from 'next-auth/providers';
import Credentials from 'next-auth/providers/credentials';
import GitHub from 'next-auth/providers/github';
import { serverEnv } from '~/env';
import { sameOriginPath } from '~/lib/safe-redirect';
import { getDb } from '~/server/db';
import { authorizeCredentials } from './credentials';
import { clientIp } from './request-info';
import { gitHubUserinfo, linkableEmail } from './verified-email';

declare module 'next-auth' {
  interface Session {
    user: { id: string; email: string; name: string | null; role: Role; mustChangePassword: boolean };
  }
  interface User {
    sid?: string;
  }
}

declare module '@auth/core/jwt' {
  interface JWT {
    sid?: string;
    role?: Role;
    mustChangePassword?: boolean;
  }
}

/** Auth.js error types caused by what a caller sent, logged as routine refusals rather than server errors. */
const CALLER_ERRORS = new Set(['CredentialsSignin', 'MissingCSRF']);

function identityProviders(): Provider[] {
  const env = serverEnv();
  const providers: Provider[] = [];
  // Identity providers only sign in people an admin already created, matched by a verified email (signIn below).
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) {
    providers.push(
      GitHub({
        clientId: env.AUTH_GITHUB_ID,
        clientSecret: env.AUTH_GITHUB_SECRET,
        userinfo: { request: gitHubUserinfo },
        allowDangerousEmailAccountLinking: true,
      }),
    );
  }
  if (env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_CLIENT_ID && env.AUTH_OIDC_CLIENT_SECRET) {
    providers.push({
      id: 'oidc',
      name: env.AUTH_OIDC_NAME,
      type: 'oidc',
      issuer: env.AUTH_OIDC_ISSUER,
      clientId: env.AUTH_OIDC_CLIENT_ID,
      clientSecret: env.AUTH_OIDC_CLIENT_SECRET,
      allowDangerousEmailAccountLinking: true,
    });
  }
  return providers;
}

export function externalProviders() {
  return identityProviders().map((p) => {
    const provider = typeof p === 'function' ? p() : p;
    return { id: provider.id, name: provider.name };
  });
}

function config(): NextAuthConfig {
  const env = serverEnv();
  const db = getDb().primary;
  const policy = {
    idleMinutes: env.AUTH_SESSION_IDLE_MINUTES,
    absoluteHours: env.AUTH_SESSION_ABSOLUTE_HOURS,
  };
  return {
    secret: resolveAuthSecret(env.AUTH_SECRET),
    // Self-hosted: the Host header is the console's own address.
    trustHost: true,
    adapter: DrizzleAdapter(db, {
      usersTable: schema.users,
      accountsTable: schema.accounts,
      verificationTokensTable: schema.verificationTokens,
    }),
    session: { strategy: 'jwt', maxAge: policy.absoluteHours * 3600 },
    // One JSON line per problem; a wrong password or a form posted without its CSRF token is the caller's doing.
    logger: {
      error(error) {
        const kind = (error as { type?: string }).type ?? error.name;
        const routine = CALLER_ERRORS.has(kind);
        console[routine ? 'log' : 'error'](
          JSON.stringify({
            level: routine ? 'info' : 'error',
            component: 'auth',
            msg: routine ? `sign-in refused (${kind})` : error.message,
            type: error.name,
          }),
        );
      },
      warn(code) {
        console.warn(JSON.stringify({ level: 'warn', component: 'auth', msg: code }));
      },
      debug() {},
    },
    pages: { signIn: '/signin', error: '/signin' },
    providers: [
      Credentials({
        credentials: { email: { type: 'email' }, password: { type: 'password' } },
        authorize: (credentials, request) => authorizeCredentials(credentials, request, policy),
      }),
      ...identityProviders(),
    ],
    callbacks: {
      // Auth.js' default accepts anything starting with "/"; hold its callbackUrl to the same rule as ours.
      redirect: ({ url, baseUrl }) => `${baseUrl}${sameOriginPath(url, baseUrl)}`,
      async signIn({ user, account, profile }) {
        if (!account || account.provider === 'credentials') return true;
        // No self-registration through an identity provider: the verified email must belong to an enabled user.
        const email = linkableEmail(user, profile);
        if (!email) return false;
        const [existing] = await db
          .select({ id: schema.users.id, disabledAt: schema.users.disabledAt })
          .from(schema.users)
          .where(eq(sql`lower(${schema.users.email})`, email))
          .limit(1);
        return !!existing && !existing.disabledAt;
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          if (account.provider === 'credentials') {
            token.sid = user.sid;
          } else if (user.id) {
            const h = await headers();
            const ip = clientIp(h);
            const { token: sid } = await createSession(
              db,
              { userId: user.id, provider: account.provider, ip, userAgent: h.get('user-agent') },
              policy,
            );
            await writeAudit(db, {
              actor: { type: 'user', id: user.id, label: user.email ?? null },
              action: 'auth.sign_in',
              targetType: 'user',
              targetId: user.id,
              after: { provider: account.provider },
              ip,
            });
            token.sid = sid;
          }
        }
        // The registry decides: revoked, expired, disabled or unknown sessions end here, on every request.
        const session = token.sid ? await validateSession(db, token.sid, policy) : null;
        if (!session) return null;
        token.sub = session.userId;
        token.email = session.email;
        token.name = session.name;
        token.role = session.role;
        token.mustChangePassword = session.mustChangePassword;
        return token;
      },
      session({ session, token }) {
        session.user = {
          ...session.user,
          id: token.sub!,
          email: token.email!,
          name: token.name ?? null,
          role: token.role!,
          mustChangePassword: token.mustChangePassword ?? false,
        };
        return session;
      },
    },
    events: {
      async signOut(message) {
        const token = 'token' in message ? message.token : null;
        if (!token?.sid) return;
        await revokeSessionByToken(db, token.sid, 'signed out');
        await writeAudit(db, {
          actor: { type: 'user', id: token.sub ?? null, label: token.email ?? null },
          action: 'auth.sign_out',
          targetType: 'user',
          targetId: token.sub ?? null,
        });
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(config);
