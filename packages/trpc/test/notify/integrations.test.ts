import { createHmac } from 'node:crypto';
import type { IntegrationSettings } from '@sextant/db';
import { describe, expect, it } from 'vitest';
import { goTime } from '../../src/services/notify/compose';
import {
  endpointOf,
  INTEGRATION_SECRETS,
  IntegrationConfigError,
  render,
  webhookSignature,
} from '../../src/services/notify/integrations';
import { titleOf, truncate } from '../../src/services/notify/integrations/text';
import { testAlert as alert, testMessage as message, testTarget as target } from '../../src/testing';

const webhook: IntegrationSettings = {
  kind: 'webhook',
  url: 'https://hooks.example/a/b?x=1',
  maxAlerts: 0,
  timeoutMs: 5_000,
};
const http = (r: ReturnType<typeof render>) => {
  if (r.transport !== 'http') throw new Error('expected http');
  return r.requests;
};

describe("titleOf: Alertmanager's default subject", () => {
  it.each([
    [message(), '[FIRING:1] HighLatency (api critical)'],
    [message({ alerts: [alert({ status: 'resolved' })] }), '[RESOLVED] HighLatency (api critical)'],
    [
      message({
        alerts: [alert(), alert({ fingerprint: 'x' }), alert({ status: 'resolved', fingerprint: 'y' })],
      }),
      '[FIRING:2] HighLatency (api critical)',
    ],
    [
      message({ groupLabels: { service: 'api', alertname: 'HighLatency' } }),
      '[FIRING:1] HighLatency api (critical)',
    ],
    [message({ commonLabels: { alertname: 'HighLatency' } }), '[FIRING:1] HighLatency'],
  ])('%#: %s', (msg, expected) => {
    expect(titleOf(msg)).toBe(expected);
  });
});

describe('truncate', () => {
  it('keeps short text, marks the cut, never splits a surrogate pair', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcdef', 4)).toBe('abc…');
    const cut = truncate('ab😀cd', 4); // the cut would fall inside the emoji
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
  });
});

describe('webhook render', () => {
  it('is the message itself plus headers; the signature is HMAC-SHA256 of "timestamp.body"', () => {
    const at = Date.parse('2026-11-30T10:00:31.500Z');
    const [request] = http(render(target(webhook, { hmacSecret: 'k' }), message(), at));
    expect(JSON.parse(request!.body)).toEqual(message());
    expect(request!.headers['x-sextant-timestamp']).toBe(String(Math.floor(at / 1000)));
    const mac = createHmac('sha256', 'k')
      .update(`${Math.floor(at / 1000)}.${request!.body}`)
      .digest('hex');
    expect(request!.headers['x-sextant-signature']).toBe(`sha256=${mac}`);
    expect(webhookSignature('k', Math.floor(at / 1000), request!.body)).toBe(`sha256=${mac}`);
  });

  it('carries the value at resolve time for a resolved alert (AM #1485)', () => {
    const msg = message({ alerts: [alert({ status: 'resolved', value: 42 })] });
    const [request] = http(render(target(webhook), msg));
    expect(JSON.parse(request!.body).alerts[0].value).toBe(42);
  });
});

describe('endpointOf: the breaker key', () => {
  it.each([
    [target(webhook), 'https://hooks.example'],
    [target(webhook, { url: 'https://u:p@other.example:8443/t?token=s' }), 'https://other.example:8443'],
    [
      target({ kind: 'slack', timeoutMs: 1 }, { webhookUrl: 'https://hooks.slack.com/services/T/B/X' }),
      'https://hooks.slack.com',
    ],
    [
      target({
        kind: 'pagerduty',
        url: 'https://events.pagerduty.com/v2/enqueue',
        severity: 'error',
        dedupBy: 'group',
        timeoutMs: 1,
      }),
      'https://events.pagerduty.com',
    ],
    [
      target({
        kind: 'email',
        to: ['a@b.c'],
        from: 'x@b.c',
        smarthost: { host: 'SMTP.Example', port: 587 },
        requireTls: true,
        timeoutMs: 1,
      }),
      'smtp://smtp.example:587',
    ],
    [target({ kind: 'discord', timeoutMs: 1 }), 'invalid:int-discord'],
  ])('%#: %s', (t, expected) => {
    expect(endpointOf(t)).toBe(expected);
  });
});

describe('render refuses an unusable integration (a permanent error)', () => {
  it.each([
    [
      'missing secret',
      target({ kind: 'teams', timeoutMs: 1 }),
      'the teams integration has no webhook URL configured',
    ],
    [
      'not http',
      target({ ...webhook, url: 'ftp://x.example/' } as IntegrationSettings),
      'must be http(s), not ftp:',
    ],
    ['not a URL', target({ ...webhook, url: 'https://[nope' } as IntegrationSettings), 'not a valid URL'],
    [
      'no routing key',
      target({
        kind: 'pagerduty',
        url: 'https://e.example',
        severity: 'info',
        dedupBy: 'group',
        timeoutMs: 1,
      }),
      'no routing key configured',
    ],
  ])('%s', (_name, t, text) => {
    expect(() => render(t, message())).toThrow(IntegrationConfigError);
    expect(() => render(t, message())).toThrow(text);
  });

  it('a settings kind that does not match the integration', () => {
    const t = { ...target(webhook), kind: 'slack' as const };
    expect(() => render(t, message())).toThrow(IntegrationConfigError);
  });
});

describe('links come only from http(s) URLs', () => {
  it('a javascript: generator URL is never a link', () => {
    const msg = message({
      alerts: [alert({ generatorURL: 'javascript:alert(1)' })],
      consoleURL: 'data:text/html,x',
    });
    const slack = http(
      render(target({ kind: 'slack', timeoutMs: 1 }, { webhookUrl: 'https://hooks.slack.com/x' }), msg),
    );
    const discord = http(
      render(
        target({ kind: 'discord', timeoutMs: 1 }, { webhookUrl: 'https://discord.com/api/webhooks/1/t' }),
        msg,
      ),
    );
    const email = render(
      target({
        kind: 'email',
        to: ['a@b.c'],
        from: 'x@b.c',
        smarthost: { host: 'm', port: 25 },
        requireTls: false,
        timeoutMs: 1,
      }),
      msg,
    );
    for (const body of [
      slack[0]!.body,
      discord[0]!.body,
      email.transport === 'smtp' ? email.mail.html : '',
    ]) {
      expect(body).not.toContain('javascript:');
      expect(body).not.toContain('data:text');
    }
  });
});

describe('email', () => {
  const settings: IntegrationSettings = {
    kind: 'email',
    to: ['a@b.c'],
    from: 'x@b.c',
    smarthost: { host: 'm', port: 25 },
    requireTls: true,
    username: 'u',
    timeoutMs: 1,
  };

  it('keeps a line break in a label out of the subject (no header injection)', () => {
    const msg = message({ groupLabels: { alertname: 'A\r\nBcc: victim@example.com' } });
    const r = render(target(settings, { password: 'pw' }), msg);
    if (r.transport !== 'smtp') throw new Error('expected smtp');
    expect(r.mail.subject).not.toMatch(/[\r\n]/);
    expect(r.mail.auth).toEqual({ user: 'u', pass: 'pw' });
  });

  it('refuses an integration without recipients', () => {
    expect(() => render(target({ ...settings, to: [] }), message())).toThrow('no recipients');
  });
});

it('every kind names its secrets', () => {
  expect(Object.keys(INTEGRATION_SECRETS).sort()).toEqual([
    'discord',
    'email',
    'pagerduty',
    'slack',
    'teams',
    'webhook',
  ]);
});

describe("times in the payload are written as Alertmanager writes them (Go's RFC 3339, trailing zeros dropped)", () => {
  it('drops trailing zeros of the fraction, and the fraction when it is zero; keeps any other', () => {
    expect(
      [
        '2026-11-30T23:45:20.180Z',
        '2026-11-30T23:45:20.100Z',
        '2026-11-30T23:45:00.000Z',
        '2026-11-30T23:45:20.123Z',
      ].map((t) => goTime(new Date(t))),
    ).toEqual([
      '2026-11-30T23:45:20.18Z',
      '2026-11-30T23:45:20.1Z',
      '2026-11-30T23:45:00Z',
      '2026-11-30T23:45:20.123Z',
    ]);
  });
});
