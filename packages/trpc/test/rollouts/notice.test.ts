import { describe, expect, it } from 'vitest';
import { render } from '../../src/services/notify/integrations';
import { SIGNATURE_HEADER } from '../../src/services/notify/integrations/webhook';
import { type RolloutNotice, rolloutNoticeKey } from '../../src/services/notify/rollout-notice';
import { testTarget } from '../../src/testing';

const notice: RolloutNotice = {
  type: 'rollout_notice',
  idempotencyKey: rolloutNoticeKey('r-1', 3, 'int-webhook'),
  rolloutId: 'r-1',
  service: 'checkout',
  environment: 'PRO',
  change: 3,
  from: 'analyzing',
  to: 'aborted',
  event: 'analysisResult',
  reason: 'analysis_failed',
  attempt: 1,
  stepIndex: 2,
  desired: { version: '2.0.0', weight: 0, stableVersion: '1.0.0' },
  at: '2026-12-01T12:00:00.000Z',
};

const webhook = {
  kind: 'webhook',
  url: 'https://deploy.example.com/hook',
  maxAlerts: 0,
  timeoutMs: 5_000,
} as const;

describe('rollout webhook (requirement 5: one per state change)', () => {
  it('posts the state change and the desired state as JSON, keyed and signed like alert webhooks', () => {
    const r = render(testTarget(webhook, { hmacSecret: 's3cret' }), notice, Date.UTC(2026, 11, 1, 12));
    if (r.transport !== 'http') throw new Error('expected an HTTP request');
    const [req] = r.requests;
    expect(req!.url).toBe('https://deploy.example.com/hook');
    expect(req!.headers['idempotency-key']).toBe(notice.idempotencyKey);
    expect(req!.headers['x-sextant-sequence']).toBe('3');
    expect(req!.headers[SIGNATURE_HEADER]).toBeTruthy();
    expect(JSON.parse(req!.body)).toEqual({
      kind: 'rollout.state_changed',
      idempotencyKey: notice.idempotencyKey,
      rolloutId: 'r-1',
      service: 'checkout',
      environment: 'PRO',
      change: 3,
      from: 'analyzing',
      to: 'aborted',
      event: 'analysisResult',
      reason: 'analysis_failed',
      attempt: 1,
      stepIndex: 2,
      desired: { version: '2.0.0', weight: 0, stableVersion: '1.0.0' },
      at: '2026-12-01T12:00:00.000Z',
    });
  });

  it('keys differ per change and per integration, so repeats are dropped and changes never merge', () => {
    expect(rolloutNoticeKey('r-1', 3, 'a')).not.toBe(rolloutNoticeKey('r-1', 4, 'a'));
    expect(rolloutNoticeKey('r-1', 3, 'a')).not.toBe(rolloutNoticeKey('r-1', 3, 'b'));
    expect(rolloutNoticeKey('r-1', 3, 'a')).toBe(rolloutNoticeKey('r-1', 3, 'a'));
  });

  it('refuses to send a rollout notice through a non-webhook integration', () => {
    const slack = { kind: 'slack', url: 'https://hooks.slack.com/x', timeoutMs: 5_000 } as never;
    expect(() => render(testTarget(slack), notice)).toThrow(/rollout notice/);
  });
});
