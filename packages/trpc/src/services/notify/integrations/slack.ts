/**
 * Slack incoming webhook: a Block Kit message inside one attachment (whose colour marks firing red / resolved
 * green), within Slack's documented limits: at most 50 blocks, a header's text 150 characters, a section's text
 * 3000, a button's text 75 and its URL 3000. Slack answers 200 with the body "ok" on success.
 */
import type { SlackSettings } from '@sextant/db';
import type { IntegrationTarget, MessageAlert, NotificationMessage } from '../message';
import { requiredSecret } from './config-error';
import { type HttpRequest, jsonPost } from './http-request';
import * as fmt from './text';

export const SLACK_LIMITS = { blocks: 50, headerText: 150, sectionText: 3000, buttonText: 75, url: 3000 };

/** mrkdwn treats &, < and > as control characters (links, mentions): alert text must not inject them. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function alertSection(alert: MessageAlert) {
  const link = fmt.safeLink(alert.generatorURL);
  const summary = slackEscape(fmt.summaryOf(alert));
  const title = link && link.length <= SLACK_LIMITS.url ? `<${link}|${summary}>` : summary;
  const value = fmt.valueText(alert);
  const lines = [
    `*[${alert.status}]* ${title}`,
    slackEscape(fmt.labelText(alert.labels)),
    ...(value ? [`_${value}_`] : []),
  ];
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: fmt.truncate(lines.join('\n'), SLACK_LIMITS.sectionText) },
  };
}

export function slackPayload(settings: SlackSettings, message: NotificationMessage) {
  const title = fmt.titleOf(message);
  const console = fmt.safeLink(message.consoleURL);
  const actions =
    console && console.length <= SLACK_LIMITS.url
      ? [
          {
            type: 'actions',
            elements: [
              { type: 'button', text: { type: 'plain_text', text: 'Open in Sextant' }, url: console },
            ],
          },
        ]
      : [];
  const alerts = fmt.byStatus(message);
  // Header, the "more" note and the button take three of the 50 blocks.
  const room = SLACK_LIMITS.blocks - 1 - actions.length - 1;
  const shown = alerts.slice(0, room);
  const omitted = alerts.length - shown.length + message.truncatedAlerts;
  const blocks = [
    { type: 'header', text: { type: 'plain_text', text: fmt.truncate(title, SLACK_LIMITS.headerText) } },
    ...shown.map(alertSection),
    ...(omitted > 0
      ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: fmt.moreText(omitted) }] }]
      : []),
    ...actions,
  ];
  return {
    // The notification and screen-reader text; blocks carry the rest.
    text: slackEscape(fmt.truncate(title, SLACK_LIMITS.sectionText)),
    ...(settings.channel ? { channel: settings.channel } : {}),
    ...(settings.username ? { username: settings.username } : {}),
    attachments: [{ color: fmt.colourOf(message), fallback: title, blocks }],
  };
}

export function renderSlack(
  target: IntegrationTarget,
  settings: SlackSettings,
  message: NotificationMessage,
): HttpRequest {
  return jsonPost(requiredSecret(target, 'url'), message, slackPayload(settings, message), {
    expectBody: 'ok',
  });
}
