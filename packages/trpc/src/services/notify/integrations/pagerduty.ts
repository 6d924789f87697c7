/**
 * PagerDuty Events API v2 (POST /v2/enqueue, answered 202). `dedup_key` (at most 255 characters) is the SHA-256 hex
 * of the group key, as Alertmanager does, so a resolve closes the incident its trigger opened; with dedupBy "alert"
 * (spec A10, our rule) each alert is its own event keyed by SHA-256(fingerprint:rule id). `payload.summary` is at
 * most 1024 characters; `routing_key` is the integration's secret.
 */
import { createHash } from 'node:crypto';
import type { PagerDutySettings } from '@sextant/db';
import type { IntegrationTarget, MessageAlert, NotificationMessage } from '../message';
import { requiredSecret } from './config-error';
import { type HttpRequest, jsonPost } from './http-request';
import * as fmt from './text';

export const PAGERDUTY_LIMITS = { summary: 1024, dedupKey: 255, details: 8192, links: 5 };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export const groupDedupKey = (groupKey: string) => sha256(groupKey);
export const alertDedupKey = (alert: MessageAlert) => sha256(`${alert.fingerprint}:${alert.ruleId ?? ''}`);

function links(message: NotificationMessage, alerts: MessageAlert[]) {
  const console = fmt.safeLink(message.consoleURL);
  const sources = [...new Set(alerts.map((a) => fmt.safeLink(a.generatorURL)).filter((l) => l !== null))];
  return [
    ...(console ? [{ href: console, text: 'Open in Sextant' }] : []),
    ...sources.slice(0, PAGERDUTY_LIMITS.links).map((href) => ({ href, text: 'Source' })),
  ];
}

function sourceOf(labels: Record<string, string>): string {
  return labels.instance ?? labels.job ?? 'Sextant';
}

function event(
  routingKey: string,
  settings: PagerDutySettings,
  message: NotificationMessage,
  o: {
    action: 'trigger' | 'resolve';
    dedupKey: string;
    summary: string;
    alerts: MessageAlert[];
    details: object;
  },
) {
  const labels = o.alerts.length === 1 ? o.alerts[0]!.labels : message.commonLabels;
  const console = fmt.safeLink(message.consoleURL);
  return {
    routing_key: routingKey,
    event_action: o.action,
    dedup_key: o.dedupKey,
    payload: {
      summary: fmt.truncate(o.summary, PAGERDUTY_LIMITS.summary),
      source: sourceOf(labels),
      severity: settings.severity,
      timestamp: message.tickTime,
      ...(labels.alertname ? { class: labels.alertname } : {}),
      custom_details: o.details,
    },
    client: 'Sextant',
    ...(console ? { client_url: console } : {}),
    links: links(message, o.alerts),
  };
}

const listText = (alerts: MessageAlert[]) =>
  fmt.truncate(alerts.map(fmt.alertLine).join('\n'), PAGERDUTY_LIMITS.details);

/** The events to send, in order: one per group, or one per alert with dedupBy "alert". */
export function pagerDutyEvents(
  routingKey: string,
  settings: PagerDutySettings,
  message: NotificationMessage,
) {
  if (settings.dedupBy === 'alert') {
    return fmt.byStatus(message).map((alert) =>
      event(routingKey, settings, message, {
        action: alert.status === 'firing' ? 'trigger' : 'resolve',
        dedupKey: alertDedupKey(alert),
        summary: `[${alert.status.toUpperCase()}] ${fmt.alertName(alert)}: ${fmt.alertLine(alert)}`,
        alerts: [alert],
        details: {
          status: alert.status,
          labels: alert.labels,
          annotations: alert.annotations,
          ...(fmt.valueText(alert) ? { value: alert.value } : {}),
          startsAt: alert.startsAt,
          endsAt: alert.endsAt,
        },
      }),
    );
  }
  const firing = message.alerts.filter((a) => a.status === 'firing');
  const resolved = message.alerts.filter((a) => a.status === 'resolved');
  return [
    event(routingKey, settings, message, {
      action: message.status === 'firing' ? 'trigger' : 'resolve',
      dedupKey: groupDedupKey(message.groupKey),
      summary: fmt.titleOf(message),
      alerts: message.alerts,
      details: {
        firing: listText(firing),
        resolved: listText(resolved),
        num_firing: firing.length,
        num_resolved: resolved.length,
        truncated_alerts: message.truncatedAlerts,
        group_labels: message.groupLabels,
      },
    }),
  ];
}

export function renderPagerDuty(
  target: IntegrationTarget,
  settings: PagerDutySettings,
  message: NotificationMessage,
): HttpRequest[] {
  const routingKey = requiredSecret(target, 'routingKey');
  return pagerDutyEvents(routingKey, settings, message).map((e) => jsonPost(settings.url, message, e));
}
