/**
 * Email: Alertmanager's default subject (`[FIRING:2] alertname (other common labels)`), an HTML body (every value
 * escaped) and a plain-text one. The Message-ID derives from the idempotency key, so a redelivered copy is the
 * same message to mail clients.
 */
import type { EmailSettings } from '@sextant/db';
import escapeHtml from 'escape-html';
import type { IntegrationTarget, MessageAlert, NotificationMessage } from '../message';
import { IntegrationConfigError } from './config-error';
import * as fmt from './text';

export const EMAIL_LIMITS = { subject: 250, alerts: 200 };

export interface Mail {
  smarthost: { host: string; port: number };
  requireTls: boolean;
  auth: { user: string; pass: string } | null;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
}

function shownAlerts(message: NotificationMessage) {
  const alerts = fmt.byStatus(message);
  const shown = alerts.slice(0, EMAIL_LIMITS.alerts);
  return { shown, omitted: alerts.length - shown.length + message.truncatedAlerts };
}

function textBody(message: NotificationMessage): string {
  const { shown, omitted } = shownAlerts(message);
  const section = (alert: MessageAlert) => {
    const value = fmt.valueText(alert);
    const annotations = Object.entries(alert.annotations).map(([k, v]) => `  ${k}: ${v}`);
    return [
      `[${alert.status.toUpperCase()}] ${fmt.summaryOf(alert)}`,
      `  labels: ${fmt.labelText(alert.labels)}`,
      ...annotations,
      ...(value ? [`  ${value}`] : []),
      `  started: ${alert.startsAt}${alert.status === 'resolved' ? `, resolved: ${alert.endsAt}` : ''}`,
      ...(fmt.safeLink(alert.generatorURL) ? [`  source: ${alert.generatorURL}`] : []),
    ].join('\n');
  };
  return [
    fmt.titleOf(message),
    '',
    ...shown.map(section),
    ...(omitted > 0 ? [fmt.moreText(omitted)] : []),
    '',
    ...(fmt.safeLink(message.consoleURL) ? [`Open in Sextant: ${message.consoleURL}`] : []),
    `Notification ${message.sequence} of this group, decided at ${message.tickTime}.`,
  ].join('\n');
}

function htmlBody(message: NotificationMessage): string {
  const { shown, omitted } = shownAlerts(message);
  const e = (text: string) => escapeHtml(text);
  const row = (alert: MessageAlert) => {
    const link = fmt.safeLink(alert.generatorURL);
    const value = fmt.valueText(alert);
    const annotations = Object.entries(alert.annotations)
      .map(([k, v]) => `<div><b>${e(k)}</b>: ${e(v)}</div>`)
      .join('');
    return [
      '<tr><td style="padding:8px;border-top:1px solid #ddd">',
      `<div><b style="color:${alert.status === 'firing' ? '#d63232' : '#2eb67d'}">[${alert.status.toUpperCase()}]</b> `,
      `${link ? `<a href="${e(link)}">${e(fmt.summaryOf(alert))}</a>` : e(fmt.summaryOf(alert))}</div>`,
      `<div style="color:#555">${e(fmt.labelText(alert.labels))}</div>`,
      annotations,
      value ? `<div>${e(value)}</div>` : '',
      '</td></tr>',
    ].join('');
  };
  const console = fmt.safeLink(message.consoleURL);
  return [
    '<!DOCTYPE html><html><body style="font-family:sans-serif">',
    `<h2 style="color:${fmt.colourOf(message)}">${e(fmt.titleOf(message))}</h2>`,
    `<table style="border-collapse:collapse;width:100%">${shown.map(row).join('')}</table>`,
    omitted > 0 ? `<p>${e(fmt.moreText(omitted))}</p>` : '',
    console ? `<p><a href="${e(console)}">Open in Sextant</a></p>` : '',
    `<p style="color:#888;font-size:12px">Notification ${message.sequence} of this group, decided at ${e(message.tickTime)}.</p>`,
    '</body></html>',
  ].join('');
}

export function renderEmail(
  target: IntegrationTarget,
  settings: EmailSettings,
  message: NotificationMessage,
): Mail {
  if (settings.to.length === 0) throw new IntegrationConfigError('the email integration has no recipients');
  const password = target.secrets.password;
  return {
    smarthost: settings.smarthost,
    requireTls: settings.requireTls,
    auth: settings.username ? { user: settings.username, pass: password ?? '' } : null,
    from: settings.from,
    to: settings.to,
    // Header injection: a label value with a line break must not start a new header.
    subject: fmt.truncate(fmt.titleOf(message).replace(/[\r\n]+/g, ' '), EMAIL_LIMITS.subject),
    text: textBody(message),
    html: htmlBody(message),
    messageId: `<${message.idempotencyKey}@sextant>`,
    headers: {
      'X-Sextant-Idempotency-Key': message.idempotencyKey,
      'X-Sextant-Sequence': String(message.sequence),
    },
  };
}
