import http from 'node:http';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ADMIN, createUserInConsole, firstSignIn, signIn, signOut, trpcFromPage, WEB_URL } from './helpers';

const web = new URL(WEB_URL);
// Linux routes all of 127.0.0.0/8 to loopback: each test that needs its own client address binds one.
const OWN_ADDRESS = { rotating: '127.0.0.5', signInAudit: '127.0.0.8', proxyAudit: '127.0.0.9' };

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One request to the console from a chosen local address (the console sees that as the client's). */
function send(
  from: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: web.hostname, port: web.port, path, method, headers, localAddress: from },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const cookiesOf = (res: Answer) => (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');

/** Auth.js' CSRF token and the cookie that goes with it. */
async function csrf(from: string) {
  const res = await send(from, 'GET', '/api/auth/csrf');
  return { token: (JSON.parse(res.text) as { csrfToken: string }).csrfToken, cookie: cookiesOf(res) };
}

type Fields = [string, string][];

/** A credentials sign-in as a script would send it: form fields (duplicates kept, in order) or a JSON body. */
async function attempt(
  fields: Fields,
  { json = false, from = '127.0.0.1', headers = {} as Record<string, string> } = {},
) {
  const { token, cookie } = await csrf(from);
  const all: Fields = [...fields, ['csrfToken', token]];
  const body = json ? JSON.stringify(Object.fromEntries(all)) : new URLSearchParams(all).toString();
  return send(
    from,
    'POST',
    '/api/auth/callback/credentials',
    {
      'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
      'x-auth-return-redirect': '1',
      cookie,
      ...headers,
    },
    body,
  );
}

const signedIn = (res: Answer) =>
  res.status === 200 && !new URL((JSON.parse(res.text) as { url: string }).url).searchParams.has('error');

/** Sends the attempts one after another until the console answers 429; returns every status. */
async function untilLimited(next: (i: number) => Promise<Answer>, max: number) {
  const statuses: number[] = [];
  let limited: Answer | undefined;
  for (let i = 0; i < max && !limited; i++) {
    const res = await next(i);
    statuses.push(res.status);
    if (res.status === 429) limited = res;
  }
  return { statuses, limited };
}

// A worker restarted after a failure runs beforeAll again: fresh accounts each time.
const RUN = Date.now().toString(36);
const emailOf = (name: string) => `sec-${name}-${RUN}@e2e.local`;
const users: Record<string, string> = {};
async function adminPage(open: () => Promise<Page>): Promise<Page> {
  const page = await open();
  await signIn(page, ADMIN.email, ADMIN.password);
  return page;
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await adminPage(async () => (await browser.newContext()).newPage());
  for (const name of ['json', 'duplicate', 'delay', 'audit', 'redirect', 'must-change']) {
    users[name] = await createUserInConsole(admin, emailOf(name), 'viewer');
  }
  await admin.context().close();
});

test('guessing with a JSON body is counted against the account and hits 429', async () => {
  const email = emailOf('json');
  const { statuses, limited } = await untilLimited(
    (i) =>
      attempt(
        [
          ['email', email],
          ['password', `wrong-${i}`],
        ],
        { json: true },
      ),
    12,
  );
  expect(statuses.slice(0, 5)).not.toContain(429);
  expect(limited?.status).toBe(429);
  expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
  // The same account through the usual form is held back as well: one counter per account.
  const form = await attempt([
    ['email', email],
    ['password', users.json!],
  ]);
  expect(form.status).toBe(429);
});

test('a decoy first email field does not hide guesses at the last one, which Auth.js checks', async () => {
  const email = emailOf('duplicate');
  const { statuses, limited } = await untilLimited(
    (i) =>
      attempt([
        ['email', `decoy-${i}@e2e.local`],
        ['email', email],
        ['password', `wrong-${i}`],
      ]),
    12,
  );
  expect(statuses.slice(0, 5)).not.toContain(429);
  expect(limited?.status).toBe(429);
  const plain = await attempt([
    ['email', email],
    ['password', users.duplicate!],
  ]);
  expect(plain.status).toBe(429);
});

test('a rotating X-Forwarded-For does not escape the per-IP limit', async () => {
  test.setTimeout(180_000);
  // No CSRF token: Auth.js refuses these cheaply, but each one is still a sign-in attempt from this address.
  const post = (i: number) =>
    send(
      OWN_ADDRESS.rotating,
      'POST',
      '/api/auth/callback/credentials',
      {
        'content-type': 'application/x-www-form-urlencoded',
        'x-auth-return-redirect': '1',
        'x-forwarded-for': `10.${(i >> 8) & 255}.${i & 255}.7`,
      },
      new URLSearchParams({ email: `nobody-${i}@e2e.local`, password: 'whatever' }).toString(),
    );
  const { limited } = await untilLimited(post, 2_000);
  expect(limited?.status).toBe(429);
  expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
  expect((await post(99_999)).status).toBe(429);
});

test('after 5 failures an account waits a growing delay, and the right password works once it has passed', async () => {
  const email = emailOf('delay');
  const wrong = (i: number) =>
    attempt([
      ['email', email],
      ['password', `wrong-${i}`],
    ]);
  for (let i = 0; i < 5; i++) expect((await wrong(i)).status).not.toBe(429);
  const sixth = await wrong(5);
  expect(sixth.status).toBe(429);
  expect(JSON.parse(sixth.text)).toMatchObject({ error: 'TooManyAttempts' });
  const retryAfter = Number(sixth.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(900);

  const right = () =>
    attempt([
      ['email', email],
      ['password', users.delay!],
    ]);
  expect((await right()).status).toBe(429);
  // No lock-out: once the delay has passed, the right password signs in and the count starts again.
  await new Promise((r) => setTimeout(r, retryAfter * 1000 + 250));
  expect(signedIn(await right())).toBe(true);
  expect((await wrong(6)).status).not.toBe(429);
});

test('sign-ins and console calls record the address the console saw, not a forged X-Forwarded-For', async ({
  openPage,
}) => {
  const email = emailOf('audit');
  const res = await attempt(
    [
      ['email', email],
      ['password', users.audit!],
    ],
    { from: OWN_ADDRESS.signInAudit, headers: { 'x-forwarded-for': '203.0.113.77' } },
  );
  expect(signedIn(res)).toBe(true);

  const admin = await adminPage(openPage);
  const cookie = (await admin.context().cookies())
    .filter((c) => c.name.includes('authjs'))
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
  const created = await send(
    OWN_ADDRESS.proxyAudit,
    'POST',
    '/api/trpc/users.create',
    {
      'content-type': 'application/json',
      origin: web.origin,
      cookie,
      'x-forwarded-for': '203.0.113.99',
    },
    JSON.stringify({ json: { email: emailOf('proxied'), role: 'viewer' } }),
  );
  expect(created.status).toBe(200);

  const ipOf = async (action: string, actor: string) => {
    const list = await trpcFromPage(admin, 'audit.list', { action, actor, limit: 1 }, { method: 'GET' });
    return (list.json as { result: { data: { json: { items: { ip: string | null }[] } } } }).result.data.json
      .items[0]?.ip;
  };
  expect(await ipOf('auth.sign_in', email)).toBe(OWN_ADDRESS.signInAudit);
  expect(await ipOf('user.create', ADMIN.email)).toBe(OWN_ADDRESS.proxyAudit);
});

test('callback URLs that leave the console are ignored after sign-in', async ({ openPage }) => {
  test.setTimeout(120_000);
  const email = emailOf('redirect');
  const password = 'redirect-own-password-1';
  const page = await openPage();
  let leftTheConsole = false;
  await page.route(
    (url) => url.hostname === 'evil.example',
    (route) => {
      leftTheConsole = true;
      return route.fulfill({ body: 'evil' });
    },
  );
  await firstSignIn(page, email, users.redirect!, password);
  await signOut(page);

  for (const callbackUrl of ['/\\evil.example', '/\t/evil.example', '/.//evil.example']) {
    await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('current-user')).toHaveText(email);
    expect(new URL(page.url()).origin).toBe(web.origin);
    // Already signed in: the sign-in page redirects at once, and must not leave the console either.
    await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await expect(page.getByTestId('current-user')).toHaveText(email);
    expect(new URL(page.url()).origin).toBe(web.origin);
    await signOut(page);
  }
  expect(leftTheConsole).toBe(false);

  // Auth.js' own answer to the credentials POST follows the same rule: the Overview, not that path.
  const res = await attempt([
    ['email', email],
    ['password', password],
    ['callbackUrl', '/\\evil.example'],
  ]);
  const answer = new URL((JSON.parse(res.text) as { url: string }).url);
  expect(answer.hostname).not.toBe('evil.example');
  expect(answer.pathname).toBe('/');
});

test('a user who must change the password cannot skip it with a forged x-pathname header', async ({
  openPage,
}) => {
  const page = await openPage();
  await page.goto('/signin');
  await page.getByLabel('Email').fill(emailOf('must-change'));
  await page.getByLabel('Password').fill(users['must-change']!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account/);

  const variants: Record<string, string>[] = [{}, { 'next-router-prefetch': '1' }, { purpose: 'prefetch' }];
  for (const extra of variants) {
    const res = await page.request.get('/', {
      headers: { 'x-pathname': '/account/x', ...extra },
      maxRedirects: 0,
    });
    const where = res.headers().location ?? `answered ${res.status()}`;
    expect(new URL(where, WEB_URL).pathname, JSON.stringify(extra)).toBe('/account');
  }
});

/**
 * Streams a body of `total` bytes in chunks and stops as soon as the console answers; returns the status and
 * how much had been sent by then. Content-Length is declared only when asked, so the count must be streamed.
 */
function uploadUntilAnswered(path: string, contentType: string, total: number, declareLength: boolean) {
  return new Promise<{ status: number; sent: number }>((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    let answered = false;
    const req = http.request({
      host: web.hostname,
      port: web.port,
      path,
      method: 'POST',
      headers: {
        'content-type': contentType,
        ...(declareLength ? { 'content-length': String(total) } : {}),
      },
    });
    req.on('response', (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, sent });
      req.destroy();
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

test('the tRPC proxy and the sign-in route refuse oversized bodies with 413 without reading them', async () => {
  const total = 64 * 1024 * 1024;
  for (const [path, contentType] of [
    ['/api/trpc/users.create', 'application/json'],
    ['/api/auth/callback/credentials', 'application/x-www-form-urlencoded'],
  ] as const) {
    for (const declareLength of [false, true]) {
      const { status, sent } = await uploadUntilAnswered(path, contentType, total, declareLength);
      expect(status, `${path} declared=${declareLength}`).toBe(413);
      expect(sent, `${path} declared=${declareLength}`).toBeLessThan(total);
    }
  }
});
