/**
 * Microsoft Teams incoming webhook (Workflows): a message carrying one Adaptive Card. Teams refuses messages over
 * about 28 KB, so alerts are dropped from the end (and counted) until the JSON fits.
 */
import type { ChatWebhookSettings } from '@sextant/db';
import type { IntegrationTarget, MessageAlert, NotificationMessage } from '../message';
import { requiredSecret } from './config-error';
import { type HttpRequest, jsonPost } from './http-request';
import * as fmt from './text';

export const TEAMS_LIMITS = { bytes: 27_000, alerts: 50, text: 1000 };

function alertBlocks(alert: MessageAlert) {
  const value = fmt.valueText(alert);
  const link = fmt.safeLink(alert.generatorURL);
  return [
    {
      type: 'TextBlock',
      text: fmt.truncate(`**[${alert.status}]** ${fmt.summaryOf(alert)}`, TEAMS_LIMITS.text),
      wrap: true,
      color: alert.status === 'firing' ? 'Attention' : 'Good',
      separator: true,
    },
    {
      type: 'TextBlock',
      text: fmt.truncate(
        [fmt.labelText(alert.labels), ...(value ? [value] : [])].join(' · '),
        TEAMS_LIMITS.text,
      ),
      wrap: true,
      isSubtle: true,
      spacing: 'None',
    },
    ...(link ? [{ type: 'TextBlock', text: `[Source](${link})`, wrap: true, spacing: 'None' }] : []),
  ];
}

function card(message: NotificationMessage, alerts: MessageAlert[], omitted: number) {
  const console = fmt.safeLink(message.consoleURL);
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
              text: fmt.titleOf(message),
              size: 'Large',
              weight: 'Bolder',
              wrap: true,
              color: message.status === 'firing' ? 'Attention' : 'Good',
            },
            ...alerts.flatMap(alertBlocks),
            ...(omitted > 0
              ? [{ type: 'TextBlock', text: fmt.moreText(omitted), isSubtle: true, wrap: true }]
              : []),
          ],
          actions: console ? [{ type: 'Action.OpenUrl', title: 'Open in Sextant', url: console }] : [],
        },
      },
    ],
  };
}

export function teamsPayload(message: NotificationMessage) {
  const alerts = fmt.byStatus(message);
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
