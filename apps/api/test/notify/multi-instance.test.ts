import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateApiKey, SETTINGS_KEYS } from '@sextant/db';
import { createTestDatabase } from '@sextant/db/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ApiProcess, spawnApi } from '../process';

/**
 * Spec B27–B31 with real processes: API instances on one database, alerts posted to them over HTTP, and a collecting
 * webhook server per case (its own origin, so its own breaker). Groups wait 1 s and tick every 1 s.
 */
const ENV = {
  NOTIFY_DELIVERY_POLL_MS: '50',
  NOTIFY_DISPATCH_POLL_MS: '50',
  SEXTANT_SELF_SCRAPE_SECONDS: '0',
};
/** The integrations' send timeout: a lease is twice it, so a dead sender's row returns after 4 s. */
const TIMEOUT_MS = 2_000;

interface Copy {
  key: string;
  status: string;
  alerts: string[];
  tickTime: string;
}

type Handler = (copy: Copy, res: http.ServerResponse) => unknown;

/** A webhook receiver: `answered` holds the copies it acknowledged (2xx), `seen` every request it got. */
async function receiver(handle: Handler = (_c, res) => res.end('ok')) {
  const seen: Copy[] = [];
  const answered: Copy[] = [];
  const server = http.createServer((req, res) => {
    res.on('error', () => {});
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const copy: Copy = {
        key: String(req.headers['idempotency-key']),
        status: body.status,
        alerts: body.alerts.map(
          (a: { labels: { alertname: string; n?: string } }) => a.labels.n ?? a.labels.alertname,
        ),
        tickTime: body.tickTime,
      };
      expect(body.idempotencyKey).toBe(copy.key);
      seen.push(copy);
      res.on('finish', () => {
        if (res.statusCode < 300) answered.push(copy);
      });
      void handle(copy, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { seen, answered, url, server };
}

let databaseUrl: string;
let sql: postgres.Sql;
let apis: ApiProcess[] = [];
let urls: string[] = [];
let apiKey: string;
const servers: http.Server[] = [];

async function until<T>(what: string, probe: () => T | Promise<T>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) {
      const dump = {
        groups: await sql`select route_id, group_key, next_flush_at, last_tick_at from alert_groups`,
        outbox:
          await sql`select group_key, state, attempts, endpoint, last_error, next_attempt_at from notification_outbox`,
        attempts: await sql`select outcome, status, error from notification_attempts`,
        ticks: await sql`select group_key, decisions from notification_ticks`,
        logs: apis.flatMap((a) => a.logs.filter((l) => Number(l.level) >= 40)).slice(0, 10),
        stderr: apis.map((a) => a.stderr.join('').slice(0, 500)),
      };
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(dump).slice(0, 6000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function start(n: number) {
  const started = Array.from({ length: n }, () => spawnApi({ DATABASE_URL: databaseUrl, ...ENV }));
  apis.push(...started);
  urls.push(...(await Promise.all(started.map((a) => a.baseUrl))));
}

/** Routes alerts named `name` to a new receiver with one webhook integration at `url`; several in one tree version. */
async function route(...routes: [name: string, url: string, o?: { groupIntervalSeconds?: number }][]) {
  const [{ tree }] = (await sql`select tree from route_tree`) as unknown as [
    { tree: { children: unknown[] } },
  ];
  for (const [name, url, o = {}] of routes) {
    const [r] = await sql<{ id: string }[]>`insert into receivers (name) values (${name}) returning id`;
    const settings = { kind: 'webhook', url, maxAlerts: 0, timeoutMs: TIMEOUT_MS };
    await sql`
      insert into receiver_integrations (receiver_id, position, kind, settings)
      values (${r!.id}, 0, 'webhook', ${sql.json(settings as never)})`;
    tree.children.push({
      id: name,
      matchers: [{ label: 'alertname', op: '=', value: name }],
      continue: false,
      receiverId: r!.id,
      ...o,
      children: [],
    });
  }
  // The raw client: sql.json writes jsonb (a stringified value would be stored as a JSON string).
  await sql`update route_tree set tree = ${sql.json(tree as never)}, version = version + 1`;
  // Instances recheck the tree's version once a second (groups.ts): post only once they route with this one.
  await new Promise((r) => setTimeout(r, 1_200));
}

/** Posts the alerts to every given instance at once, as three Prometheis would. */
async function post(to: string[], alerts: { alertname: string; n?: string }[]) {
  const body = JSON.stringify(alerts.map((labels) => ({ labels })));
  const answers = await Promise.all(
    to.map((u) =>
      fetch(`${u}/api/v2/alerts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body,
      }),
    ),
  );
  expect(answers.map((a) => a.status)).toEqual(to.map(() => 200));
}

const rowsOf = (name: string) =>
  sql<{ state: string; attempts: number; key: string }[]>`
    select o.state, o.attempts, o.idempotency_key as key from notification_outbox o
    join receiver_integrations i on i.id = o.integration_id join receivers r on r.id = i.receiver_id
    where r.name = ${name}`;

/** The process holding the row with this key: lease owners are `<host>:<pid>#<claim>`. */
async function senderOf(key: string): Promise<ApiProcess> {
  const [row] = await sql<{ owner: string }[]>`
    select lease_owner as owner from notification_outbox where idempotency_key = ${key}`;
  const pid = Number(row!.owner.split('#')[0]!.split(':').pop());
  return apis.find((a) => a.child.pid === pid)!;
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase(inject('adminUrl'));
  sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  await start(3);
  // Loopback is refused by default: the test's receivers are reached through an explicit allow entry.
  await sql`
    insert into settings (key, value) values (${SETTINGS_KEYS.allowNetworks}, '["127.0.0.1"]'::jsonb)
    on conflict (key) do update set value = settings.value || excluded.value`;
  const [owner] = await sql<{ id: string }[]>`
    insert into users (id, email, role) values (${randomUUID()}, 'notify-key@test.local', 'maintainer') returning id`;
  const { key, prefix, keyHash } = generateApiKey();
  await sql`
    insert into api_keys (name, prefix, key_hash, role, created_by)
    values ('prometheus', ${prefix}, ${keyHash}, 'maintainer', ${owner!.id})`;
  apiKey = key;
  const root = {
    id: 'root',
    matchers: [],
    continue: false,
    groupBy: ['alertname'],
    groupWaitSeconds: 1,
    groupIntervalSeconds: 1,
    repeatIntervalSeconds: 3_600,
    muteTimeIntervals: [],
    activeTimeIntervals: [],
    children: [],
  };
  await sql`update route_tree set tree = ${sql.json(root as never)}, version = version + 1`;
}, 120_000);

afterAll(async () => {
  for (const a of apis) if (a.child.exitCode === null) a.child.kill('SIGKILL');
  for (const s of servers) s.closeAllConnections();
  await sql?.end();
});

describe('notification delivery with 3 API instances on one database (real processes)', () => {
  it('B27 one alert through all three: one delivery, one outbox row; B28 a receiver failing 20 s: one success, no second copy', async () => {
    const b27 = await receiver();
    const started = Date.now();
    let failing = true;
    const b28 = await receiver((_c, res) => {
      if (Date.now() - started > 20_000) failing = false;
      res.statusCode = failing ? 500 : 200;
      res.end(failing ? 'down' : 'ok');
    });
    servers.push(b27.server, b28.server);
    await route(['B27', b27.url], ['B28', b28.url]);
    await post(urls, [{ alertname: 'B27' }, { alertname: 'B28' }]);

    await until('B27 delivered', async () => (await rowsOf('B27'))[0]?.state === 'delivered', 15_000);
    await until('B28 delivered', async () => (await rowsOf('B28'))[0]?.state === 'delivered', 90_000);
    expect(b27.answered.map((c) => c.alerts)).toEqual([['B27']]);
    expect((await rowsOf('B27')).map((r) => r.state)).toEqual(['delivered']);
    const b28Rows = await rowsOf('B28');
    expect(b28Rows).toHaveLength(1);
    expect(b28Rows[0]!.attempts).toBeGreaterThan(1);
    expect(b28.answered).toHaveLength(1);
    expect(new Set(b28.seen.map((c) => c.key))).toEqual(new Set([b28Rows[0]!.key]));
  }, 120_000);

  it('B29 the sender killed while the remote holds the request: another instance delivers after the lease', async () => {
    let first = true;
    const b29 = await receiver(async (copy, res) => {
      if (!first) return void res.end('ok');
      first = false;
      // Never answered: the sender dies before the remote accepted anything.
      (await senderOf(copy.key)).child.kill('SIGKILL');
      res.socket?.destroy();
    });
    servers.push(b29.server);
    await route(['B29', b29.url]);
    await post(urls.slice(0, 1), [{ alertname: 'B29' }]);
    await until('B29 delivered', async () => (await rowsOf('B29'))[0]?.state === 'delivered');
    expect(b29.answered.map((c) => c.alerts)).toEqual([['B29']]);
    expect(b29.seen).toHaveLength(2);
    expect(await rowsOf('B29')).toMatchObject([{ state: 'delivered', attempts: 1 }]);
  }, 60_000);

  it('B30 the sender killed after the remote took the message: one duplicate with the same key, logged once', async () => {
    let first = true;
    const b30 = await receiver(async (copy, res) => {
      if (first) {
        first = false;
        // The remote has taken the message (it counts as received) and the sender dies before it can commit.
        (await senderOf(copy.key)).child.kill('SIGKILL');
      }
      res.end('ok');
    });
    servers.push(b30.server);
    await route(['B30', b30.url]);
    const alive = apis.filter((a) => a.child.exitCode === null && a.child.signalCode === null);
    await post([await alive[0]!.baseUrl], [{ alertname: 'B30' }]);
    await until('B30 delivered', async () => (await rowsOf('B30'))[0]?.state === 'delivered');
    expect(b30.seen).toHaveLength(2);
    expect(b30.seen[1]).toEqual(b30.seen[0]);
    expect(await rowsOf('B30')).toMatchObject([{ state: 'delivered', attempts: 1 }]);
    const log = await sql<{ sequence: number }[]>`
      select l.sequence from notification_log l join receivers r on r.id = l.receiver_id where r.name = 'B30'`;
    expect(log).toEqual([{ sequence: 1 }]);
  }, 60_000);

  it('B31 a restart keeps tick continuity: no re-notification, the next tick on the old schedule', async () => {
    const b31 = await receiver();
    servers.push(b31.server);
    await route(['B31', b31.url, { groupIntervalSeconds: 8 }]);
    const alive = apis.filter((a) => a.child.exitCode === null && a.child.signalCode === null);
    await post([await alive[0]!.baseUrl], [{ alertname: 'B31', n: 'A' }]);
    await until('A sent', () => b31.answered.length === 1);
    for (const a of alive) a.child.kill('SIGTERM');
    await Promise.all(alive.map((a) => a.exited));
    apis = [];
    urls = [];
    await start(1);
    await post(urls, [{ alertname: 'B31', n: 'B' }]);
    await until('A and B sent', () => b31.answered.length >= 2, 40_000);
    // No re-notification of A after the restart: the next copy is the tick that adds B.
    const [a, ab] = b31.answered;
    expect([a!.alerts, ab!.alerts.sort()]).toEqual([['A'], ['A', 'B']]);
    // On the old schedule (first tick + n x group_interval), not restarted from the process's start as AM does.
    const gap = Date.parse(ab!.tickTime) - Date.parse(a!.tickTime);
    expect(gap % 8_000).toBe(0);
  }, 60_000);
});
