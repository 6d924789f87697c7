import { promises as dnsPromises } from 'node:dns';
import type { AddressInfo } from 'node:net';
import type { EmailSettings } from '@sextant/db';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSendNotification } from '../../src/notify';
import { type Cert, makeCert } from '../probe/servers';
import { alert, message, outbound, target } from './fixtures';

interface Captured {
  secure: boolean;
  user: string | null;
  mail: ParsedMail;
}

/** A real SMTP server on 127.0.0.1 with STARTTLS on a self-signed certificate for mail.test, capturing messages. */
async function startSmtp(cert: Cert, options: Partial<SMTPServerOptions> = {}) {
  const captured: Captured[] = [];
  let connections = 0;
  const server = new SMTPServer({
    key: cert.key,
    cert: cert.cert,
    authOptional: true,
    logger: false,
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onAuth(auth, _session, callback) {
      if (auth.username === 'alerts' && auth.password === 'pw')
        return callback(null, { user: auth.username });
      callback(new Error('bad credentials'));
    },
    onData(stream, session, callback) {
      void simpleParser(stream).then((mail) => {
        captured.push({ secure: session.secure, user: (session.user as string | undefined) ?? null, mail });
        callback();
      });
    },
    ...options,
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    captured,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let cert: Cert;
beforeAll(async () => {
  cert = await makeCert({ names: ['mail.test'], ips: [] });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** mail.test resolves to 127.0.0.1 (allowed here), so the name is kept for TLS while the vetted IP is dialled. */
function mailTestResolves() {
  const lookup = vi.spyOn(dnsPromises, 'lookup') as unknown as { mockResolvedValue(v: unknown): void };
  lookup.mockResolvedValue([{ address: '127.0.0.1', family: 4 }]);
}

const email = (port: number, over: Partial<EmailSettings> = {}) =>
  target(
    {
      kind: 'email',
      to: ['oncall@example.test'],
      from: 'sextant@example.test',
      smarthost: { host: 'mail.test', port },
      requireTls: true,
      username: 'alerts',
      timeoutMs: 5_000,
      ...over,
    },
    { password: 'pw' },
  );

const trusted = () => createSendNotification(outbound({ allow: ['127.0.0.1'] }), { ca: cert.cert });

describe('email over SMTP', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp(cert);
  });
  afterAll(async () => {
    await smtp.close();
  });

  it('delivers through STARTTLS with auth: AM subject, escaped HTML, text, idempotent Message-ID', async () => {
    mailTestResolves();
    const msg = message({
      alerts: [
        alert({
          labels: {
            alertname: 'HighLatency',
            service: 'api',
            severity: 'critical',
            path: '<script>x</script>',
          },
        }),
        alert({ status: 'resolved', fingerprint: 'ff', endsAt: '2026-11-30T10:05:00.000Z', value: 120 }),
      ],
    });
    const outcome = await trusted()(email(smtp.port), msg, { timeoutMs: 5_000 });
    expect(outcome).toMatchObject({ class: 'success', status: 250, error: null });
    const [got] = smtp.captured;
    expect(got).toMatchObject({ secure: true, user: 'alerts' });
    const mail = got!.mail;
    expect(mail.subject).toBe('[FIRING:1] HighLatency (api critical)');
    expect(mail.messageId).toBe(`<${msg.idempotencyKey}@sextant>`);
    expect(mail.headers.get('x-sextant-idempotency-key')).toBe(msg.idempotencyKey);
    expect(mail.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('href="https://sextant.example/alerts?group=g1"');
    expect(mail.text).toContain('[FIRING] p99 latency above 500 ms');
    expect(mail.text).toContain('value 812.5');
    // The resolved alert carries its value at resolve time (AM #1485).
    expect(mail.text).toContain('[RESOLVED] p99 latency above 500 ms');
    expect(mail.text).toContain('value at resolve 120');
  });

  it('refuses to send without TLS when the server does not offer it and TLS is required', async () => {
    const plain = await startSmtp(cert, { disabledCommands: ['STARTTLS'] });
    try {
      mailTestResolves();
      const outcome = await trusted()(email(plain.port, { username: undefined }), message(), {
        timeoutMs: 5_000,
      });
      expect(outcome.class).toBe('permanent');
      expect(outcome.status).toBeGreaterThanOrEqual(500);
      expect(plain.captured).toHaveLength(0);
    } finally {
      await plain.close();
    }
  });

  it('a certificate that is not trusted fails, retryably, before anything is sent', async () => {
    mailTestResolves();
    const before = smtp.captured.length;
    const untrusted = createSendNotification(outbound({ allow: ['127.0.0.1'] }));
    const outcome = await untrusted(email(smtp.port), message(), { timeoutMs: 5_000 });
    expect(outcome).toMatchObject({ class: 'retryable', status: null });
    expect(outcome.error).toMatch(/certificate/i);
    expect(smtp.captured.length).toBe(before);
  });

  it('refuses a smarthost on the deny list before connecting', async () => {
    mailTestResolves();
    const before = smtp.connections();
    const outcome = await createSendNotification(outbound())(email(smtp.port), message(), {
      timeoutMs: 5_000,
    });
    expect(outcome).toMatchObject({ class: 'permanent', status: null });
    expect(outcome.error).toMatch(/127\.0\.0\.1 \(resolved from mail\.test\) is in 127\.0\.0\.0\/8/);
    expect(smtp.connections()).toBe(before);
  });
});

describe('email: SMTP replies', () => {
  it.each([
    [451, 'retryable'],
    [452, 'retryable'],
    [550, 'permanent'],
    [553, 'permanent'],
  ] as const)('RCPT answered %i is %s', async (code, expected) => {
    const smtp = await startSmtp(cert, {
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('no'), { responseCode: code }));
      },
    });
    try {
      mailTestResolves();
      const outcome = await trusted()(email(smtp.port), message(), { timeoutMs: 5_000 });
      expect(outcome).toMatchObject({ class: expected, status: code });
      expect(outcome.error).toBe(`SMTP server answered ${code} to RCPT TO`);
    } finally {
      await smtp.close();
    }
  });

  it('a greeting that never comes times out within the deadline, retryably', async () => {
    const smtp = await startSmtp(cert, {
      onConnect() {}, // never calls back: no greeting
    });
    try {
      mailTestResolves();
      const started = performance.now();
      const outcome = await trusted()(email(smtp.port), message(), { timeoutMs: 400 });
      expect(outcome).toMatchObject({ class: 'retryable', status: null });
      expect(outcome.error).toMatch(/time/i);
      expect(performance.now() - started).toBeLessThan(400 + 5_000);
    } finally {
      await smtp.close();
    }
  });
});
