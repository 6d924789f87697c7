import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alert, collector, json, message, sendLoopback, target } from './fixtures';

let remote: Awaited<ReturnType<typeof collector>>;
beforeAll(async () => {
  remote = await collector();
});
afterAll(async () => {
  await remote.close();
});

interface PdEvent {
  event_action: string;
  dedup_key: string;
  links: { href: string; text: string }[];
  payload: { summary: string; custom_details: { resolved: string } };
}
interface TeamsBody {
  type: string;
  attachments: { contentType: string; content: { body: unknown[] } }[];
}
interface DiscordBody {
  content: string;
  allowed_mentions: unknown;
  embeds: { title: string; description: string }[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** `n` alerts with long text, to push every service's size limits. */
const many = (n: number, status: 'firing' | 'resolved' = 'firing') =>
  Array.from({ length: n }, (_, i) =>
    alert({
      status,
      fingerprint: `fp${i}`,
      labels: { alertname: 'DiskFull', instance: `host-${i}`, team: 'x'.repeat(400) },
      annotations: { summary: `disk ${i} `.repeat(500) },
    }),
  );

async function post(t: ReturnType<typeof target>, msg = message()) {
  const before = remote.received.length;
  const outcome = await sendLoopback()(t, msg, { timeoutMs: 2_000 });
  return { outcome, requests: remote.received.slice(before) };
}

describe('Slack incoming webhook', () => {
  const slack = (settings: { channel?: string } = {}) =>
    target({ kind: 'slack', timeoutMs: 2_000, ...settings }, { url: `${remote.base}/services/T0/B0/secret` });

  it('posts Block Kit in a coloured attachment, links back, and succeeds on "ok"', async () => {
    remote.answer((_r, res) => res.end('ok'));
    const { outcome, requests } = await post(slack({ channel: '#ops' }));
    expect(outcome).toMatchObject({ class: 'success', status: 200 });
    const body = json(requests[0]!) as {
      text: string;
      channel: string;
      attachments: {
        color: string;
        blocks: { type: string; text?: { text: string }; elements?: unknown[] }[];
      }[];
    };
    expect(requests[0]!.url).toBe('/services/T0/B0/secret');
    expect(body.text).toBe('[FIRING:1] HighLatency (api critical)');
    expect(body.channel).toBe('#ops');
    const [attachment] = body.attachments;
    expect(attachment!.color).toBe('#d63232');
    expect(attachment!.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '[FIRING:1] HighLatency (api critical)' },
    });
    expect(attachment!.blocks[1]!.text!.text).toContain(
      '<https://sextant.example/alerts/rules/r1|p99 latency',
    );
    expect(attachment!.blocks.at(-1)).toEqual({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open in Sextant' },
          url: 'https://sextant.example/alerts?group=g1',
        },
      ],
    });
  });

  it('is green when resolved, and keeps within 50 blocks and 3000 characters per section', async () => {
    const { requests } = await post(slack(), message({ alerts: many(120, 'resolved') }));
    const [attachment] = (json(requests[0]!) as { attachments: { color: string; blocks: never[] }[] })
      .attachments;
    expect(attachment!.color).toBe('#2eb67d');
    expect(attachment!.blocks.length).toBeLessThanOrEqual(50);
    for (const block of attachment!.blocks as { type: string; text?: { text: string } }[]) {
      if (block.type === 'section') expect(block.text!.text.length).toBeLessThanOrEqual(3000);
      if (block.type === 'header') expect(block.text!.text.length).toBeLessThanOrEqual(150);
    }
    expect(JSON.stringify(attachment!.blocks)).toContain('and 73 more alerts');
  });

  it('escapes mrkdwn control characters from alert text', async () => {
    const { requests } = await post(
      slack(),
      message({ alerts: [alert({ annotations: { summary: '<!channel> & <http://evil|click>' } })] }),
    );
    const text = JSON.stringify(json(requests[0]!));
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;http://evil|click&gt;');
    expect(text).not.toContain('<!channel>');
  });

  it('a 2xx without "ok" is not Slack: permanent; a Slack error word is shown', async () => {
    remote.answer((_r, res) => res.end('<html>captive portal</html>'));
    expect((await post(slack())).outcome).toMatchObject({ class: 'permanent', status: 200 });
    remote.answer((_r, res) => {
      res.writeHead(404);
      res.end('channel_not_found');
    });
    expect((await post(slack())).outcome).toMatchObject({
      class: 'permanent',
      status: 404,
      error: 'answered 404 (channel_not_found)',
    });
  });

  it('without its URL secret the integration is a permanent configuration error, nothing sent', async () => {
    const t = target({ kind: 'slack', timeoutMs: 2_000 });
    const { outcome, requests } = await post(t);
    expect(outcome).toMatchObject({
      class: 'permanent',
      status: null,
      error: 'the slack integration has no url configured',
    });
    expect(requests).toHaveLength(0);
  });
});

describe('PagerDuty Events v2', () => {
  const pagerduty = (dedupBy: 'group' | 'alert' = 'group') =>
    target(
      {
        kind: 'pagerduty',
        url: `${remote.base}/v2/enqueue`,
        severity: 'critical',
        dedupBy,
        timeoutMs: 2_000,
      },
      { routingKey: 'R0UTINGKEY0123456789abcdef012345' },
    );

  it('triggers with dedup_key = sha256(group key) and the documented fields', async () => {
    remote.answer((_r, res) => {
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{"status":"success","message":"Event processed","dedup_key":"x"}');
    });
    const msg = message();
    const { outcome, requests } = await post(pagerduty(), msg);
    expect(outcome).toMatchObject({ class: 'success', status: 202 });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe('/v2/enqueue');
    const event = json<PdEvent>(requests[0]!);
    expect(event).toMatchObject({
      routing_key: 'R0UTINGKEY0123456789abcdef012345',
      event_action: 'trigger',
      dedup_key: sha256(msg.groupKey),
      client: 'Sextant',
      client_url: msg.consoleURL,
      payload: {
        summary: '[FIRING:1] HighLatency (api critical)',
        severity: 'critical',
        source: 'Sextant',
        timestamp: msg.tickTime,
        class: 'HighLatency',
        custom_details: { num_firing: 1, num_resolved: 0 },
      },
    });
    expect(event.links[0]).toEqual({ href: msg.consoleURL, text: 'Open in Sextant' });
    expect(event.links[1]).toEqual({ href: 'https://sextant.example/alerts/rules/r1', text: 'Source' });
  });

  it('resolves the same key once the group is resolved, carrying the value at resolve time', async () => {
    const msg = message({ alerts: [alert({ status: 'resolved', value: 97.5 })] });
    const { requests } = await post(pagerduty(), msg);
    const event = json<PdEvent>(requests[0]!);
    expect(event).toMatchObject({ event_action: 'resolve', dedup_key: sha256(msg.groupKey) });
    expect(event.payload.custom_details.resolved).toContain('value at resolve 97.5');
  });

  it('keeps summary within 1024 characters', async () => {
    const { requests } = await post(pagerduty(), message({ groupLabels: { alertname: 'x'.repeat(3000) } }));
    const event = json<PdEvent>(requests[0]!);
    expect(event.payload.summary.length).toBe(1024);
    expect(event.dedup_key.length).toBeLessThanOrEqual(255);
  });

  it('with dedupBy "alert" sends one event per alert keyed by sha256(fingerprint:rule id)', async () => {
    const alerts = [
      alert({ fingerprint: 'a1', ruleId: 'r1' }),
      alert({ status: 'resolved', fingerprint: 'b2', ruleId: 'r1' }),
    ];
    const { outcome, requests } = await post(pagerduty('alert'), message({ alerts }));
    expect(outcome.class).toBe('success');
    expect(requests.map((r) => json(r))).toMatchObject([
      { event_action: 'trigger', dedup_key: sha256('a1:r1') },
      { event_action: 'resolve', dedup_key: sha256('b2:r1') },
    ]);
  });

  it('stops at the first event that fails and reports it', async () => {
    remote.answer((_r, res) => {
      res.writeHead(429, { 'retry-after': '3' });
      res.end();
    });
    const alerts = [alert({ fingerprint: 'a1' }), alert({ fingerprint: 'b2' })];
    const { outcome, requests } = await post(pagerduty('alert'), message({ alerts }));
    expect(outcome).toMatchObject({ class: 'retryable', status: 429, retryAfterMs: 3_000 });
    expect(requests).toHaveLength(1);
  });
});

describe('Microsoft Teams', () => {
  const teams = () =>
    target({ kind: 'teams', timeoutMs: 2_000 }, { url: `${remote.base}/workflows/abc?sig=s` });

  it('posts a message with one Adaptive Card, its title coloured, a link back', async () => {
    remote.answer((_r, res) => {
      res.writeHead(202);
      res.end();
    });
    const { outcome, requests } = await post(teams());
    expect(outcome).toMatchObject({ class: 'success', status: 202 });
    expect(requests[0]!.url).toBe('/workflows/abc?sig=s');
    const body = json<TeamsBody>(requests[0]!);
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    const [attachment] = body.attachments;
    expect(attachment!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment!.content.body[0]).toMatchObject({
      type: 'TextBlock',
      text: '[FIRING:1] HighLatency (api critical)',
      color: 'Attention',
    });
    expect(attachment!.content).toMatchObject({
      type: 'AdaptiveCard',
      version: '1.4',
      actions: [
        { type: 'Action.OpenUrl', title: 'Open in Sextant', url: 'https://sextant.example/alerts?group=g1' },
      ],
    });
  });

  it("stays under Teams' ~28 KB message size with many alerts", async () => {
    const { requests } = await post(teams(), message({ alerts: many(200) }));
    expect(Buffer.byteLength(requests[0]!.body)).toBeLessThanOrEqual(28 * 1024);
    expect(requests[0]!.body).toContain('more alerts');
  });
});

describe('Discord', () => {
  const discord = () =>
    target({ kind: 'discord', timeoutMs: 2_000 }, { url: `${remote.base}/api/webhooks/1/tok` });

  it('posts content and coloured embeds with mentions disabled; 204 is success', async () => {
    remote.answer((_r, res) => {
      res.writeHead(204);
      res.end();
    });
    const msg = message({ alerts: [alert(), alert({ status: 'resolved', fingerprint: 'r' })] });
    const { outcome, requests } = await post(discord(), msg);
    expect(outcome).toMatchObject({ class: 'success', status: 204 });
    const body = json<DiscordBody>(requests[0]!);
    expect(body.content).toContain('[FIRING:1] HighLatency (api critical)');
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds).toMatchObject([
      { title: '[FIRING] HighLatency', color: 0xd63232, url: 'https://sextant.example/alerts/rules/r1' },
      { title: '[RESOLVED] HighLatency', color: 0x2eb67d },
    ]);
  });

  it("keeps Discord's limits: content 2000, 10 embeds, 6000 characters over the embeds", async () => {
    const { requests } = await post(
      discord(),
      message({ alerts: many(30), groupLabels: { alertname: 'y'.repeat(3000) } }),
    );
    const body = json(requests[0]!) as { content: string; embeds: { title: string; description: string }[] };
    expect(body.content.length).toBeLessThanOrEqual(2000);
    expect(body.embeds.length).toBe(10);
    const total = body.embeds.reduce((n, e) => n + e.title.length + e.description.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
    for (const e of body.embeds) {
      expect(e.title.length).toBeLessThanOrEqual(256);
      expect(e.description.length).toBeLessThanOrEqual(4096);
    }
  });
});
