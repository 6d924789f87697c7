/**
 * The API server's SendNotification: renders a message for one integration and sends it over HTTP or SMTP under
 * the outbound deny list and one deadline (the integration's timeout), then classifies the outcome (spec A8).
 * Never throws; the remote's body is never returned.
 */
import {
  classifyHttp,
  classifySmtp,
  classifyTransport,
  type HttpRequest,
  IntegrationConfigError,
  type OutboundPolicy,
  render,
  type SendNotification,
  type SendOutcome,
} from '@sextant/trpc';
import { classifyError } from '../monitoring/probe/classify';
import { createDeadline, type Deadline, raceAbort } from '../monitoring/probe/deadline';
import { hostOf } from '../monitoring/probe/http';
import { NOTIFY_MAX_BODY_BYTES, postVetted } from './http';
import { VettedPools } from './pool';
import { replyCode, sendVettedMail } from './smtp';

export interface SendOptions {
  /** PEM trust anchors replacing the default roots for HTTPS and SMTP TLS (private CAs, tests). */
  ca?: string;
  maxBodyBytes?: number;
}

type Outcome = Omit<SendOutcome, 'durationMs'>;

/** `loadOutbound` is the prober's policy loader (monitoring/index.ts outboundLoader): one deny list for both. */
export function createSendNotification(
  loadOutbound: () => Promise<{ outbound: OutboundPolicy }>,
  options: SendOptions = {},
): SendNotification {
  const pools = new VettedPools();
  return async (target, message, o) => {
    const timeoutMs = o.timeoutMs > 0 ? o.timeoutMs : target.settings.timeoutMs;
    const deadline = createDeadline(timeoutMs, o.signal);
    const seen = { status: null as number | null, host: '' };
    let outcome: Outcome;
    try {
      const rendered = render(target, message);
      const { outbound } = await raceAbort(loadOutbound(), deadline.signal);
      if (rendered.transport === 'smtp') {
        seen.host = rendered.mail.smarthost.host;
        outcome = await mailOutcome(() =>
          sendVettedMail(rendered.mail, { policy: outbound, deadline, ...ca(options) }),
        );
      } else {
        outcome = await postAll(rendered.requests, { pools, policy: outbound, deadline, options, seen });
      }
    } catch (err) {
      outcome = o.signal?.aborted
        ? { class: 'retryable', status: seen.status, retryAfterMs: null, error: 'aborted before an answer' }
        : failure(err, deadline, seen);
    } finally {
      deadline.dispose();
    }
    return { ...outcome, durationMs: deadline.elapsed() };
  };
}

const ca = (options: SendOptions) => (options.ca ? { ca: options.ca } : {});

/** PagerDuty's per-alert events go one after another; the first that does not succeed decides the outcome. */
async function postAll(
  requests: HttpRequest[],
  ctx: {
    pools: VettedPools;
    policy: OutboundPolicy;
    deadline: Deadline;
    options: SendOptions;
    seen: { status: number | null; host: string };
  },
): Promise<Outcome> {
  let last: Outcome = { class: 'success', status: null, retryAfterMs: null, error: null };
  for (const request of requests) {
    ctx.seen.host = hostOf(request.url);
    ctx.seen.status = null;
    const answer = await postVetted(request, {
      pools: ctx.pools,
      policy: ctx.policy,
      deadline: ctx.deadline,
      maxBodyBytes: ctx.options.maxBodyBytes ?? NOTIFY_MAX_BODY_BYTES,
      ...ca(ctx.options),
      onStatus: (status) => {
        ctx.seen.status = status;
      },
    });
    const body = answer.body.toString('utf8').trim();
    const verdict = classifyHttp(answer.status, {
      retryAfter: answer.retryAfter,
      nowMs: Date.now(),
      ...(request.expectBody === undefined ? {} : { bodyOk: body === request.expectBody }),
    });
    last = {
      class: verdict.class,
      status: answer.status,
      retryAfterMs: verdict.retryAfterMs,
      error: verdict.error && `${verdict.error}${errorWord(body)}`,
    };
    if (verdict.class !== 'success') return last;
  }
  return last;
}

/** Slack-style error words ("invalid_payload", "channel_not_found") help; any other body is never repeated. */
function errorWord(body: string): string {
  return /^[a-z][a-z0-9_]{2,39}$/.test(body) ? ` (${body})` : '';
}

async function mailOutcome(send: () => ReturnType<typeof sendVettedMail>): Promise<Outcome> {
  try {
    const answer = await send();
    return {
      class: 'success',
      status: answer.status,
      retryAfterMs: null,
      error: null,
      ...(answer.rejected > 0 ? { receiverData: { rejectedRecipients: answer.rejected } } : {}),
    };
  } catch (err) {
    const e = err as { responseCode?: number; code?: string; command?: string; response?: string };
    const code = e.responseCode ?? replyCode(e.response);
    // Not nodemailer's (it sets `command`): the deadline, the deny list, DNS; classified as any transport failure.
    if (code === null && e.command === undefined) throw err;
    const step = e.command && e.command !== 'API' && e.command !== 'CONN' ? ` to ${e.command}` : '';
    return {
      class: classifySmtp({ responseCode: code, code: e.code ?? null }),
      status: code,
      retryAfterMs: null,
      // The reply's text is the server's: the code and the step are enough to act on.
      error:
        code !== null
          ? `SMTP server answered ${code}${step}`
          : `SMTP ${e.code ?? 'error'}${step}: ${ownText(e, err)}`,
    };
  }
}

/** nodemailer's own first line, without the server's reply it appends after ": ". */
function ownText(e: { response?: string }, err: unknown): string {
  let text = err instanceof Error ? err.message : String(err);
  if (e.response) text = text.replace(`: ${e.response}`, '');
  return firstLine(text);
}

function firstLine(message: string): string {
  const text = message.split('\n', 1)[0] ?? '';
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/** A failure before any answer: configuration, the deny list, DNS, connect, TLS, the deadline. */
function failure(err: unknown, deadline: Deadline, seen: { status: number | null; host: string }): Outcome {
  if (err instanceof IntegrationConfigError) {
    return { class: 'permanent', status: null, retryAfterMs: null, error: err.message };
  }
  // The deadline's reason (timeout / caller abort) beats whatever undici or nodemailer made of the abort.
  const reason: unknown = deadline.signal.aborted ? deadline.signal.reason : err;
  const { errorClass, message } = classifyError(reason, { host: seen.host, timeoutMs: deadline.timeoutMs });
  return { class: classifyTransport(errorClass), status: seen.status, retryAfterMs: null, error: message };
}
