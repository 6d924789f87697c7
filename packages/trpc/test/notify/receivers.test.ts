import { randomBytes } from 'node:crypto';
import { count, eq, type RouteNode, resolveSecretKey, schema } from '@sextant/db';
import type { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../../src/context';
import { AppError, appCodeOf } from '../../src/errors';
import { appRouter } from '../../src/root';
import { SECRET_MASK } from '../../src/schemas/secrets';
import type { NotificationMessage, SendNotification } from '../../src/services/notify/message';
import { loadIntegrationTargets, receiverIntegrations } from '../../src/services/notify/receivers';
import { useSecretKey } from '../../src/services/notify/secret-box';
import { fixtureWebhook } from '../../src/testing/fixtures';
import { createFixture, type Fixture, refusalOf } from '../fixtures';

let f: Fixture;
const KEY = randomBytes(32);
const TOKEN = 'bearer-plaintext-7f3a';
const HMAC = 'hmac-plaintext-91c2';
const URL_PASSWORD = 'url-password-5d1e';
const sent: { kind: string; secrets: Record<string, string>; message: NotificationMessage }[] = [];
const send: SendNotification = async (target, message) => {
  sent.push({ kind: target.kind, secrets: target.secrets, message: message as NotificationMessage });
  return {
    class: 'permanent',
    status: 404,
    retryAfterMs: null,
    error: 'HTTP 404',
    durationMs: 3,
    receiverData: { x: 1 },
  };
};

beforeAll(async () => {
  useSecretKey(KEY);
  f = await createFixture();
});
afterAll(async () => {
  await f?.close();
});

const as = (identity: Identity, transport: SendNotification | null = send) => {
  const ctx = f.ctx(identity);
  return appRouter.createCaller({
    ...ctx,
    runtime: { ...ctx.runtime, sendNotification: transport ?? undefined, publicUrl: 'https://ops.example' },
  });
};
const maintainer = () => as(f.user('maintainer'));
let n = 0;
const unique = (p: string) => `${p}-${++n}-${Date.now()}`;

const webhook = (over: Record<string, unknown> = {}) => ({
  ...fixtureWebhook(unique('h')),
  url: `https://alice:${URL_PASSWORD}@hooks.example.com/in?token=${URL_PASSWORD}&team=db`,
  bearerToken: TOKEN,
  hmacSecret: HMAC,
  ...over,
});

async function counts() {
  const [r] = await f.database.db.select({ n: count() }).from(schema.receivers);
  const [i] = await f.database.db.select({ n: count() }).from(schema.receiverIntegrations);
  return { receivers: r!.n, integrations: i!.n };
}

/** The refusal, with its appCode and field path; also asserts nothing was written. */
async function refusal(call: () => Promise<unknown>) {
  const before = await counts();
  const err = await call().then(
    () => null,
    (e: unknown) => e,
  );
  expect(await counts()).toEqual(before);
  return refusalOf(err);
}

async function auditText(targetId: string) {
  const rows = await f.database.db
    .select()
    .from(schema.auditLog)
    .where(eq(schema.auditLog.targetId, targetId));
  return JSON.stringify(rows);
}

describe('receivers: secrets at rest and in answers', () => {
  it('stores secrets encrypted, answers and audits them masked, hands them decrypted to delivery only', async () => {
    const saved = await maintainer().receivers.create({
      receiver: { name: unique('ops'), integrations: [webhook()] },
    });
    const [shown] = saved.integrations;
    expect(shown).toMatchObject({ kind: 'webhook', bearerToken: SECRET_MASK, hmacSecret: SECRET_MASK });
    expect(shown!.secretKeys).toEqual(['bearerToken', 'hmacSecret', 'url']);
    const everything = JSON.stringify(await as(f.user('viewer')).receivers.get({ id: saved.id }));
    for (const secret of [TOKEN, HMAC, URL_PASSWORD]) expect(everything).not.toContain(secret);
    expect(everything).toContain('team=db');

    const [row] = await f.database.db
      .select()
      .from(schema.receiverIntegrations)
      .where(eq(schema.receiverIntegrations.id, shown!.id));
    const stored = JSON.stringify(row);
    for (const secret of [TOKEN, HMAC, URL_PASSWORD]) {
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(Buffer.from(secret).toString('base64'));
    }
    expect(row!.secretsEnc).toMatch(/^v1:[\w-]{8}:/);
    for (const secret of [TOKEN, HMAC, URL_PASSWORD]) expect(await auditText(saved.id)).not.toContain(secret);

    const [target] = await loadIntegrationTargets(f.database.db, [shown!.id]);
    expect(target!.secrets).toEqual({
      bearerToken: TOKEN,
      hmacSecret: HMAC,
      url: `https://alice:${URL_PASSWORD}@hooks.example.com/in?token=${URL_PASSWORD}&team=db`,
    });
    expect(await receiverIntegrations(f.database.db, [saved.id])).toEqual([
      expect.objectContaining({ id: shown!.id, kind: 'webhook', receiverName: saved.name, position: 0 }),
    ]);
  });

  it('a mask sent back keeps the secret; a new value replaces it and the audit names it, never its value', async () => {
    const saved = await maintainer().receivers.create({
      receiver: { name: unique('keep'), integrations: [webhook()] },
    });
    const shown = saved.integrations[0]!;
    const { secretKeys: _k, ...form } = shown;
    const updated = await maintainer().receivers.update({
      id: saved.id,
      receiver: { name: saved.name, integrations: [{ ...form, bearerToken: 'new-token-2b' } as never] },
    });
    expect(updated.integrations[0]!.id).toBe(shown.id);
    const [target] = await loadIntegrationTargets(f.database.db, [shown.id]);
    expect(target!.secrets).toMatchObject({ bearerToken: 'new-token-2b', hmacSecret: HMAC });
    expect(target!.secrets.url).toContain(URL_PASSWORD);
    const log = await auditText(saved.id);
    expect(log).toContain('integrations.0.bearerToken');
    for (const secret of [TOKEN, HMAC, URL_PASSWORD, 'new-token-2b']) expect(log).not.toContain(secret);
  });

  it('a kept secret never follows the URL to another origin', async () => {
    const saved = await maintainer().receivers.create({
      receiver: { name: unique('move'), integrations: [webhook()] },
    });
    const { secretKeys: _k, ...form } = saved.integrations[0]!;
    const r = await refusal(() =>
      maintainer().receivers.update({
        id: saved.id,
        receiver: {
          name: saved.name,
          integrations: [{ ...form, url: 'https://elsewhere.example.com/in' } as never],
        },
      }),
    );
    expect(r).toMatchObject({ code: 'VALIDATION_FAILED', path: 'receiver.integrations.0.hmacSecret' });
    const masked = await refusal(() =>
      maintainer().receivers.update({
        id: saved.id,
        receiver: { name: saved.name, integrations: [{ ...form, id: undefined } as never] },
      }),
    );
    expect(masked).toMatchObject({ code: 'VALIDATION_FAILED', path: 'receiver.integrations.0.url' });
  });

  it('a wrong key fails loudly with SECRET_UNREADABLE, and never with a plaintext', async () => {
    const saved = await maintainer().receivers.create({
      receiver: { name: unique('key'), integrations: [webhook()] },
    });
    useSecretKey(randomBytes(32));
    try {
      const err = await loadIntegrationTargets(f.database.db, [saved.integrations[0]!.id]).catch((e) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ appCode: 'SECRET_UNREADABLE' });
      expect(err.message).toContain('SEXTANT_SECRET_KEY');
    } finally {
      useSecretKey(KEY);
    }
    expect(resolveSecretKey('A'.repeat(43))).toHaveLength(32);
    expect(() => resolveSecretKey('too-short')).toThrow(/32 bytes/);
  });
});

describe('receivers: every kind, order and bounds', () => {
  it('saves each kind with its secrets, keeps ids across a reorder, removes what the form left out', async () => {
    const integrations = [
      webhook(),
      { kind: 'slack', webhookUrl: 'https://hooks.slack.com/services/T0/B0/slack-secret', channel: '#ops' },
      {
        kind: 'email',
        to: ['ops@example.com'],
        from: 'sextant@example.com',
        smarthost: { host: 'smtp.example.com', port: 587 },
        username: 'sextant',
        password: 'smtp-secret',
      },
      { kind: 'pagerduty', routingKey: 'pd-secret' },
      { kind: 'teams', webhookUrl: 'https://example.webhook.office.com/teams-secret' },
      { kind: 'discord', webhookUrl: 'https://discord.com/api/webhooks/1/discord-secret' },
    ] as const;
    const saved = await maintainer().receivers.create({
      receiver: { name: unique('all'), integrations: integrations as never },
    });
    expect(saved.integrations.map((i) => [i.kind, i.secretKeys])).toEqual([
      ['webhook', ['bearerToken', 'hmacSecret', 'url']],
      ['slack', ['webhookUrl']],
      ['email', ['password']],
      ['pagerduty', ['routingKey']],
      ['teams', ['webhookUrl']],
      ['discord', ['webhookUrl']],
    ]);
    expect(saved.integrations[3]).toMatchObject({
      url: 'https://events.pagerduty.com/v2/enqueue',
      dedupBy: 'group',
    });
    const text = JSON.stringify(saved);
    for (const s of ['slack-secret', 'smtp-secret', 'pd-secret', 'teams-secret', 'discord-secret'])
      expect(text).not.toContain(s);

    // Reversed, without the webhook, every secret kept by its mask.
    const forms = saved.integrations.slice(1).map(({ secretKeys: _k, ...form }) => form);
    const updated = await maintainer().receivers.update({
      id: saved.id,
      receiver: { name: saved.name, integrations: forms.reverse() as never },
    });
    expect(updated.integrations.map((i) => i.kind)).toEqual([
      'discord',
      'teams',
      'pagerduty',
      'email',
      'slack',
    ]);
    expect(updated.integrations.map((i) => i.id)).toEqual(
      saved.integrations
        .slice(1)
        .map((i) => i.id)
        .reverse(),
    );
    const targets = await loadIntegrationTargets(
      f.database.db,
      updated.integrations.map((i) => i.id),
    );
    expect(Object.fromEntries(targets.map((t) => [t.kind, t.secrets]))).toEqual({
      slack: { webhookUrl: 'https://hooks.slack.com/services/T0/B0/slack-secret' },
      email: { password: 'smtp-secret' },
      pagerduty: { routingKey: 'pd-secret' },
      teams: { webhookUrl: 'https://example.webhook.office.com/teams-secret' },
      discord: { webhookUrl: 'https://discord.com/api/webhooks/1/discord-secret' },
    });
    expect((await counts()).integrations).toBeGreaterThanOrEqual(5);
    expect(await loadIntegrationTargets(f.database.db, [saved.integrations[0]!.id])).toEqual([]);
  });

  it.each([
    [
      'a URL that is not http(s)',
      { integrations: [webhook({ url: 'ftp://example.com/x' })] },
      'receiver.integrations.0.url',
    ],
    [
      'a Slack URL that is not http(s)',
      { integrations: [{ kind: 'slack', webhookUrl: 'file:///etc/passwd' }] },
      'receiver.integrations.0.webhookUrl',
    ],
    [
      'an 11th integration',
      { integrations: Array.from({ length: 11 }, () => webhook()) },
      'receiver.integrations',
    ],
    [
      '21 recipients',
      {
        integrations: [
          {
            kind: 'email',
            to: Array.from({ length: 21 }, (_, i) => `a${i}@example.com`),
            from: 'a@example.com',
            smarthost: { host: 'smtp.example.com' },
          },
        ],
      },
      'receiver.integrations.0.to',
    ],
    ['a 50 ms timeout', { integrations: [webhook({ timeoutMs: 50 })] }, 'receiver.integrations.0.timeoutMs'],
    ['a 101-character name', { name: 'x'.repeat(101) }, 'receiver.name'],
    [
      'a 2,001-character URL',
      { integrations: [webhook({ url: `https://example.com/${'a'.repeat(1990)}` })] },
      'receiver.integrations.0.url',
    ],
  ])('refuses %s on its field, saving nothing', async (_, over, path) => {
    const r = await refusal(() =>
      maintainer().receivers.create({ receiver: { name: unique('bad'), ...over } as never }),
    );
    expect(r).toMatchObject({ code: 'VALIDATION_FAILED', path });
  });

  it('refuses a host on the outbound deny list on its field, saving nothing', async () => {
    const r = await refusal(() =>
      maintainer().receivers.create({
        receiver: {
          name: unique('deny'),
          integrations: [webhook(), webhook({ url: 'http://169.254.169.254/latest' })],
        },
      }),
    );
    expect(r).toMatchObject({ code: 'TARGET_DENIED', path: 'receiver.integrations.1.url' });
    const smtp = await refusal(() =>
      maintainer().receivers.create({
        receiver: {
          name: unique('deny'),
          integrations: [
            {
              kind: 'email',
              to: ['a@example.com'],
              from: 'a@example.com',
              smarthost: { host: '127.0.0.1', port: 25 },
            },
          ],
        },
      }),
    );
    expect(smtp).toMatchObject({ code: 'TARGET_DENIED', path: 'receiver.integrations.0.smarthost' });
  });

  it('refuses a taken name with CONFLICT on the name', async () => {
    const name = unique('twice');
    await maintainer().receivers.create({ receiver: { name } });
    expect(await refusal(() => maintainer().receivers.create({ receiver: { name } }))).toMatchObject({
      code: 'CONFLICT',
      path: 'receiver.name',
    });
  });

  it('refuses to delete a receiver a route sends to, naming the route; deletes it once unused', async () => {
    const saved = await maintainer().receivers.create({
      receiver: { name: unique('routed'), integrations: [webhook()] },
    });
    const [row] = await f.database.db.select().from(schema.routeTree);
    const tree = row!.tree;
    const child = {
      id: 'db-route',
      matchers: [{ label: 'team', op: '=', value: 'db' }],
      continue: false,
      receiverId: saved.id,
      children: [],
    };
    await f.database.db.update(schema.routeTree).set({ tree: { ...tree, children: [child as RouteNode] } });
    try {
      const r = await refusal(() => maintainer().receivers.delete({ id: saved.id }));
      expect(r.code).toBe('RECEIVER_IN_USE');
      expect(r.message).toContain('route db-route {team="db"}');
    } finally {
      await f.database.db.update(schema.routeTree).set({ tree });
    }
    await maintainer().receivers.delete({ id: saved.id });
    expect(await loadIntegrationTargets(f.database.db, [saved.integrations[0]!.id])).toEqual([]);
    expect(await auditText(saved.id)).toContain('receiver.delete');
  });
});

describe('receivers.test', () => {
  it('sends through a saved integration with its secrets and answers class, status, error and duration only', async () => {
    const saved = await maintainer().receivers.create({
      receiver: { name: unique('t'), integrations: [webhook()] },
    });
    sent.length = 0;
    const answer = await maintainer().receivers.test({ integrationId: saved.integrations[0]!.id });
    expect(answer).toEqual({ class: 'permanent', status: 404, error: 'HTTP 404', durationMs: 3 });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.secrets.bearerToken).toBe(TOKEN);
    expect(sent[0]!.message).toMatchObject({
      version: '4',
      status: 'firing',
      notification_reason: 'test',
      externalURL: 'https://ops.example',
      consoleURL: 'https://ops.example/receivers',
    });
  });

  it('sends a draft, keeping a masked secret only from its own saved integration', async () => {
    const saved = await maintainer().receivers.create({
      receiver: { name: unique('d'), integrations: [webhook()] },
    });
    const { secretKeys: _k, ...form } = saved.integrations[0]!;
    sent.length = 0;
    await maintainer().receivers.test({ draft: { ...form, maxAlerts: 5 } as never });
    expect(sent[0]!.secrets.hmacSecret).toBe(HMAC);
    const r = await refusal(() =>
      maintainer().receivers.test({ draft: { ...form, id: undefined } as never }),
    );
    expect(r.code).toBe('VALIDATION_FAILED');
    const denied = await refusal(() =>
      maintainer().receivers.test({
        draft: webhook({ url: 'http://127.0.0.1:9/x', bearerToken: null, hmacSecret: null }) as never,
      }),
    );
    expect(denied).toMatchObject({ code: 'TARGET_DENIED', path: 'draft.url' });
  });

  it('is a coded error without transports, and rate-limited per caller', async () => {
    const saved = await maintainer().receivers.create({
      receiver: { name: unique('r'), integrations: [webhook()] },
    });
    const input = { integrationId: saved.integrations[0]!.id };
    expect(await refusal(() => as(f.user('admin'), null).receivers.test(input))).toMatchObject({
      code: 'SENDING_UNAVAILABLE',
    });
    const admin = as(f.user('admin'));
    const codes: string[] = [];
    for (let i = 0; i < 11; i++)
      codes.push(
        await admin.receivers.test(input).then(
          () => 'ok',
          (e: TRPCError) => appCodeOf(e),
        ),
      );
    expect(codes).toEqual([...Array(10).fill('ok'), 'RATE_LIMITED']);
  });
});
