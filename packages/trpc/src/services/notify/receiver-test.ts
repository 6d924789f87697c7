/** "Send test": one made-up firing alert through one integration, answered with how the remote took it. */
import { randomUUID } from 'node:crypto';
import { hitRateLimit } from '@sextant/db';
import type { Context } from '../../context';
import { AppError } from '../../errors';
import { RECEIVER_LIMITS } from '../../limits';
import type { ReceiverTestInput } from '../../schemas/receivers';
import { audit } from '../audit';
import { DEFAULT_PUBLIC_URL } from './compose';
import type { IntegrationTarget, NotificationMessage, SendOutcome } from './message';
import { testTarget } from './receivers';

const TEST_ALERT = 'SextantTestNotification';

/** A message shaped like every real one (webhook v4 + ours, console links at `base`): the remote sees what it will get. */
export function testMessage(now: Date, base: string): NotificationMessage {
  const labels = { alertname: TEST_ALERT, severity: 'info' };
  const annotations = { summary: 'A test notification sent from Sextant; no alert is firing.' };
  return {
    version: '4',
    groupKey: `{}:{alertname="${TEST_ALERT}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'sextant-test',
    groupLabels: { alertname: TEST_ALERT },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: base,
    notification_reason: 'test',
    alerts: [
      {
        status: 'firing',
        labels,
        annotations,
        startsAt: now.toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: '',
        fingerprint: '0000000000000000',
      },
    ],
    idempotencyKey: `test-${randomUUID()}`,
    tickTime: now.toISOString(),
    sequence: 0,
    consoleURL: `${base}/receivers`,
  };
}

type Ctx = Pick<Context, 'db' | 'runtime' | 'identity' | 'requestId' | 'ip'>;

/** Class, status, one-line error and duration: never the remote's body. Rate-limited per caller. */
export async function sendTest(ctx: Ctx, input: ReceiverTestInput) {
  const send = ctx.runtime.sendNotification;
  if (!send)
    throw new AppError('SENDING_UNAVAILABLE', 'This server has no notification transports configured.');
  const who = ctx.identity?.type === 'api_key' ? `key:${ctx.identity.keyId}` : `user:${ctx.identity?.userId}`;
  const max = RECEIVER_LIMITS.testsPerMinute;
  const limit = await hitRateLimit(ctx.db, `receivers.test:${who}`, { max, windowSeconds: 60 });
  if (limit.count > max)
    throw new AppError(
      'RATE_LIMITED',
      `At most ${RECEIVER_LIMITS.testsPerMinute} test sends a minute: try again in ${limit.retryAfterSeconds} s.`,
    );
  const target: IntegrationTarget = await testTarget(ctx, input);
  const timeoutMs = target.settings.timeoutMs;
  const message = testMessage(new Date(), ctx.runtime.publicUrl ?? DEFAULT_PUBLIC_URL);
  const outcome: SendOutcome = await send(target, message, { timeoutMs });
  const answer = {
    class: outcome.class,
    status: outcome.status,
    error: outcome.error,
    durationMs: outcome.durationMs,
  };
  await audit(ctx.db, ctx, {
    action: 'receiver.test',
    targetType: 'receiver_integration',
    targetId: 'integrationId' in input ? input.integrationId : (input.draft.id ?? null),
    after: { kind: target.kind, ...answer },
  });
  return answer;
}
