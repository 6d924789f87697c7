/**
 * Microsoft Teams incoming webhook (Workflows): a message carrying one Adaptive Card. Teams refuses messages over
 * about 28 KB, so alerts are dropped from the end (and counted) until the JSON fits.
 */
import type { ChatWebhookSettings } from '@sextant/db';
import type { IntegrationTarget, MessageAlert, NotificationMessage } from '../message';
import { requiredSecret } from './config-error';
import { type HttpRequest, jsonPost } from './http-request';
import { byStatus, labelText, moreText, safeLink, summaryOf, titleOf, truncate, valueText } from './text';

export const TEAMS_LIMITS = { bytes: 27_000, alerts: 50, text: 1000 };

function alertBlocks(alert: MessageAlert) {
  const value = valueText(alert);
  const link = safeLink(alert.generatorURL);
  return [
    {
      type: 'TextBlock',
      text: truncate(`**[${alert.status}]** ${summaryOf(alert)}`, TEAMS_LIMITS.text),
      wrap: true,
      color: alert.status === 'firing' ? 'Attention' : 'Good',
      separator: true,
    },
    {
      type: 'TextBlock',
      text: truncate([labelText(alert.labels), ...(value ? [value] : [])].join(' · '), TEAMS_LIMITS.text),
      wrap: true,
      isSubtle: true,
      spacing: 'None',
    },
    ...(link ? [{ type: 'TextBlock', text: `[Source](${link})`, wrap: true, spacing: 'None' }] : []),
  ];
}

function card(message: NotificationMessage, alerts: MessageAlert[], omitted: number) {
  const console = safeLink(message.consoleURL);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body: [
            {
              type: 'TextBlock',
              text: titleOf(message),
              size: 'Large',
              weight: 'Bolder',
              wrap: true,
              color: message.status === 'firing' ? 'Attention' : 'Good',
            },
            ...alerts.flatMap(alertBlocks),
            ...(omitted > 0
              ? [{ type: 'TextBlock', text: moreText(omitted), isSubtle: true, wrap: true }]
              : []),
          ],
          actions: console ? [{ type: 'Action.OpenUrl', title: 'Open in Sextant', url: console }] : [],
        },
      },
    ],
  };
}

export function teamsPayload(message: NotificationMessage) {
  const alerts = byStatus(message);
  let shown = alerts.slice(0, TEAMS_LIMITS.alerts);
  for (;;) {
    const payload = card(message, shown, alerts.length - shown.length + message.truncatedAlerts);
    if (shown.length === 0 || Buffer.byteLength(JSON.stringify(payload)) <= TEAMS_LIMITS.bytes)
      return payload;
    shown = shown.slice(0, Math.floor(shown.length / 2));
  }
}

export function renderTeams(
  target: IntegrationTarget,
  _settings: ChatWebhookSettings,
  message: NotificationMessage,
): HttpRequest {
  return jsonPost(requiredSecret(target, 'url'), message, teamsPayload(message));
}
