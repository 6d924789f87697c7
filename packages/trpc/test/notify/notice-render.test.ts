import { describe, expect, it } from 'vitest';
import { render } from '../../src/services/notify/integrations';
import type { IntegrationTarget } from '../../src/services/notify/message';
import type { StatusNotice } from '../../src/services/notify/status-notice';

const links = {
  page: 'https://status.example.com/status/acme',
  unsubscribe: 'https://status.example.com/status/acme/unsubscribe?token=u.1',
  oneClick: 'https://status.example.com/status/acme/one-click-unsubscribe?token=u.1',
  confirm: 'https://status.example.com/status/acme/confirm?token=c.1',
};
const notice = (over: Partial<StatusNotice> = {}): StatusNotice => ({
  type: 'status_notice',
  event: 'incident.resolved',
  idempotencyKey: 'k'.repeat(64),
  page: { id: 'p1', slug: 'acme', title: 'Acme "status"' },
  at: '2026-12-01T10:00:00.000Z',
  incident: {
    id: 'i1',
    title: 'Checkout <script>x</script>\r\nBcc: victim@example.com',
    status: 'resolved',
    components: [{ name: 'Shop & Cart', impact: 'major_outage' }],
    update: { status: 'resolved', body: 'Fixed <b>now</b>.', at: '2026-12-01T10:00:00.000Z' },
    startedAt: '2026-12-01T09:00:00.000Z',
    resolvedAt: '2026-12-01T10:00:00.000Z',
  },
  links,
  ...over,
});
const mailTarget: IntegrationTarget = {
  id: 'mail',
  kind: 'email',
  sendResolved: true,
  secrets: { password: 'pw' },
  settings: {
    kind: 'email',
    to: ['reader@example.com'],
    from: 'status@example.com',
    smarthost: { host: 'smtp.example.com', port: 587 },
    requireTls: true,
    username: 'status',
    timeoutMs: 5_000,
  },
};
const hookTarget: IntegrationTarget = {
  id: 'subscriber:s1',
  kind: 'webhook',
  sendResolved: true,
  secrets: { url: 'https://user:pw@hooks.example.com/s?token=t' },
  settings: {
    kind: 'webhook',
    url: 'https://user:pw@hooks.example.com/s?token=t',
    maxAlerts: 0,
    timeoutMs: 5_000,
  },
};

describe('status notices rendered', () => {
  it('as mail: one line of subject, escaped HTML, unsubscribe link and RFC 8058 headers', () => {
    const r = render(mailTarget, notice());
    if (r.transport !== 'smtp') throw new Error('expected mail');
    const m = r.mail;
    expect(m.to).toEqual(['reader@example.com']);
    expect(m.subject).toBe('[Acme "status"] Resolved: Checkout <script>x</script> Bcc: victim@example.com');
    expect(m.headers).toMatchObject({
      'List-Unsubscribe': `<${links.oneClick}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(m.messageId).toBe(`<${'k'.repeat(64)}@sextant>`);
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('Shop &amp; Cart (major outage)');
    expect(m.html).toContain('Fixed &lt;b&gt;now&lt;/b&gt;.');
    expect(m.text).toContain(`Unsubscribe: ${links.unsubscribe}`);
  });

  it('a confirmation mail carries the confirm link and no List-Unsubscribe', () => {
    const { incident: _, ...base } = notice();
    const r = render(mailTarget, { ...base, event: 'subscription.confirm' });
    if (r.transport !== 'smtp') throw new Error('expected mail');
    expect(r.mail.subject).toBe('Confirm your subscription to Acme "status"');
    expect(r.mail.text).toContain(`Confirm: ${links.confirm}`);
    expect(r.mail.headers['List-Unsubscribe']).toBeUndefined();
  });

  it('as a webhook: Statuspage-like JSON, credentials moved out of the URL, the idempotency key as a header', () => {
    const r = render(hookTarget, notice());
    if (r.transport !== 'http') throw new Error('expected http');
    const [req] = r.requests;
    expect(req!.url).toBe('https://hooks.example.com/s?token=t');
    expect(req!.headers.authorization).toMatch(/^Basic /);
    expect(req!.headers['idempotency-key']).toBe('k'.repeat(64));
    expect(JSON.parse(req!.body)).toEqual({
      meta: {
        event: 'incident.resolved',
        idempotency_key: 'k'.repeat(64),
        generated_at: '2026-12-01T10:00:00.000Z',
        unsubscribe: links.oneClick,
      },
      page: { id: 'p1', slug: 'acme', name: 'Acme "status"', url: links.page },
      incident: {
        id: 'i1',
        name: 'Checkout <script>x</script>\r\nBcc: victim@example.com',
        status: 'resolved',
        started_at: '2026-12-01T09:00:00.000Z',
        resolved_at: '2026-12-01T10:00:00.000Z',
        components: [{ name: 'Shop & Cart', status: 'major_outage' }],
        incident_updates: [
          { status: 'resolved', body: 'Fixed <b>now</b>.', created_at: '2026-12-01T10:00:00.000Z' },
        ],
      },
    });
  });

  it('refuses a notice through any other kind of integration, and one without its links', () => {
    expect(() =>
      render({ ...hookTarget, kind: 'slack', settings: { kind: 'slack', timeoutMs: 1 } }, notice()),
    ).toThrow(/cannot go through a slack/);
    const { links: _, ...bare } = notice();
    expect(() => render(mailTarget, bare)).toThrow(/links/);
  });
});
