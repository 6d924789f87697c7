/** A notification message and an integration target as tests build them (one alert firing, AM's fields filled). */
import type { IntegrationSettings } from '@sextant/db';
import type { IntegrationTarget, MessageAlert, NotificationMessage } from '../services/notify/message';

export function testAlert(over: Partial<MessageAlert> = {}): MessageAlert {
  return {
    status: 'firing',
    labels: { alertname: 'HighLatency', service: 'api', severity: 'critical' },
    annotations: { summary: 'p99 latency above 500 ms' },
    startsAt: '2026-11-30T10:00:00.000Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'https://sextant.example/alerts/rules/r1',
    fingerprint: 'a1b2c3d4e5f60718',
    value: 812.5,
    ruleId: 'r1',
    ...over,
  };
}

export function testMessage(over: Partial<NotificationMessage> = {}): NotificationMessage {
  const alerts = over.alerts ?? [testAlert()];
  return {
    version: '4',
    groupKey: '{}/{}:{alertname="HighLatency"}',
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'oncall',
    groupLabels: { alertname: 'HighLatency' },
    commonLabels: { alertname: 'HighLatency', service: 'api', severity: 'critical' },
    commonAnnotations: { summary: 'p99 latency above 500 ms' },
    externalURL: 'https://sextant.example',
    notification_reason: 'first notification',
    alerts,
    idempotencyKey: 'f'.repeat(64),
    tickTime: '2026-11-30T10:00:30.000Z',
    sequence: 1,
    consoleURL: 'https://sextant.example/alerts?group=g1',
    ...over,
  };
}

export function testTarget(
  settings: IntegrationSettings,
  secrets: Record<string, string> = {},
): IntegrationTarget {
  return { id: `int-${settings.kind}`, kind: settings.kind, settings, secrets, sendResolved: true };
}
