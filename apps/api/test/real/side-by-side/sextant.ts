/**
 * Sextant's half: a real API process (the built server) configured through its tRPC procedures exactly as the
 * Alertmanager side is through alertmanager.yml, pushed to through its `POST /api/v2/alerts` with an API key.
 */
import { createDatabase, generateApiKey, type RouteNode, SETTINGS_KEYS, schema } from '@sextant/db';
import { createClient } from '@sextant/trpc/client';
import { type ApiProcess, spawnApi } from '../../process';
import type { Collector } from '../webhook-collector';
import { ROOT_RECEIVER } from './alertmanager';
import { type Case, type CaseRoute, caseMatcher, receiversOf, UNIT_MS } from './cases';
import type { PostableAlert, Side } from './timeline';

type Client = ReturnType<typeof createClient>;

const seconds = (units: number) => (units * UNIT_MS) / 1000;

function routeNode(
  route: CaseRoute,
  id: string,
  own: RouteNode['matchers'],
  receivers: Map<string, string>,
): RouteNode {
  return {
    id,
    matchers: [...own, ...(route.matchers ?? [])],
    continue: route.continue ?? false,
    receiverId: receivers.get(route.receiver)!,
    ...(route.groupBy === undefined ? {} : { groupBy: route.groupBy }),
    ...(route.gw === undefined ? {} : { groupWaitSeconds: seconds(route.gw) }),
    ...(route.gi === undefined ? {} : { groupIntervalSeconds: seconds(route.gi) }),
    ...(route.ri === undefined ? {} : { repeatIntervalSeconds: seconds(route.ri) }),
    children: (route.children ?? []).map((child, i) => routeNode(child, `${id}-${i}`, [], receivers)),
  };
}

/**
 * Before the API starts, as an admin would have: a maintainer API key (the API mints none on first run) and an
 * outbound allow entry for the collector on loopback, which notifications, like checks, may not reach by default.
 */
async function prepare(databaseUrl: string, collector: Collector): Promise<string> {
  const db = createDatabase(databaseUrl, { max: 1 });
  try {
    const [owner] = await db.primary
      .insert(schema.users)
      .values({ email: `side-by-side-${Date.now()}@test.local`, role: 'maintainer' })
      .returning();
    const { key, prefix, keyHash } = generateApiKey();
    await db.primary
      .insert(schema.apiKeys)
      .values({ name: 'side by side', prefix, keyHash, role: 'maintainer', createdBy: owner!.id });
    await db.primary
      .insert(schema.settings)
      .values({ key: SETTINGS_KEYS.allowNetworks, value: [`127.0.0.1:${collector.port}`] });
    return key;
  } finally {
    await db.close();
  }
}

/** The same receivers (webhooks to `collector`), route tree and inhibition rules as alertmanagerConfig. */
async function configure(client: Client, cases: readonly Case[], collector: Collector) {
  const receivers = new Map<string, string>();
  for (const name of [ROOT_RECEIVER, ...cases.flatMap((c) => receiversOf(c.route))]) {
    const created = await client.receivers.create.mutate({
      receiver: {
        name,
        integrations: [
          { kind: 'webhook', url: `${collector.url}/${encodeURIComponent(name)}`, sendResolved: true },
        ],
      },
    });
    receivers.set(name, created.id);
  }
  const current = await client.routes.get.query();
  await client.routes.update.mutate({
    expectedVersion: current.version,
    tree: {
      ...current.tree,
      receiverId: receivers.get(ROOT_RECEIVER)!,
      groupBy: [],
      groupWaitSeconds: 1,
      groupIntervalSeconds: 1,
      repeatIntervalSeconds: 3_600,
      children: cases.map((c) => routeNode(c.route, c.name, [caseMatcher(c)], receivers)),
    },
  });
  for (const c of cases)
    for (const [i, rule] of (c.inhibit ?? []).entries())
      await client.inhibitionRules.create.mutate({
        name: `${c.name} rule ${i + 1}`,
        sourceMatchers: [caseMatcher(c), ...rule.source],
        targetMatchers: [caseMatcher(c), ...rule.target],
        equal: rule.equal,
      });
}

/** A built API process over `databaseUrl`, configured for `cases`, delivering to `collector`. */
export async function sextantSide(
  cases: readonly Case[],
  collector: Collector,
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<Side & { api: ApiProcess; stop(): Promise<void> }> {
  const key = await prepare(databaseUrl, collector);
  const api = spawnApi({
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: 'side-by-side-secret-side-by-side-secret',
    SEXTANT_SELF_SCRAPE_SECONDS: '0',
    // Ticks are due every second here: poll often so a tick is flushed well inside the phases' margins.
    NOTIFY_DISPATCH_POLL_MS: '100',
    NOTIFY_DELIVERY_POLL_MS: '100',
    // Every case's receivers are one collector, one endpoint: Alertmanager has no rate limit to compare with.
    NOTIFY_ENDPOINT_RATE_PER_MIN: '0',
    ...env,
  });
  const base = await api.baseUrl;
  const client = createClient({ url: `${base}/trpc`, apiKey: key });
  await configure(client, cases, collector).catch((e: { message: string; data?: unknown }) => {
    throw new Error(`configuring Sextant: ${e.message} ${JSON.stringify(e.data)}`);
  });
  return {
    name: 'Sextant',
    collector,
    api,
    async push(alerts: PostableAlert[]) {
      const res = await fetch(`${base}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(alerts),
      });
      if (!res.ok) throw new Error(`Sextant POST /api/v2/alerts: ${res.status} ${await res.text()}`);
    },
    async silence(matchers, startsAt, endsAt, comment) {
      await client.silences.create.mutate({ matchers, startsAt, endsAt, comment });
    },
    async stop() {
      if (api.child.exitCode === null) {
        api.child.kill('SIGTERM');
        await api.exited;
      }
    },
  };
}
