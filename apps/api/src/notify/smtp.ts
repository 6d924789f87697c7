/**
 * One email through nodemailer to an SMTP server vetted by the outbound deny list: the smarthost is resolved
 * first and nodemailer dials the vetted IP, while TLS (SNI and certificate check) keeps the configured host name.
 */
import { isIP } from 'node:net';
import type { Mail, OutboundPolicy } from '@sextant/trpc';
import nodemailer from 'nodemailer';
import { type Deadline, raceAbort } from '../monitoring/probe/deadline';
import { resolveAllowed } from '../monitoring/probe/vetted-lookup';

export interface MailContext {
  policy: OutboundPolicy;
  deadline: Deadline;
  /** PEM trust anchors replacing the default roots (private CAs, tests). */
  ca?: string;
}

export interface MailAnswer {
  /** The final reply code (250 when accepted). */
  status: number | null;
  accepted: number;
  rejected: number;
}

/** The reply code a nodemailer response line starts with ("250 2.0.0 Ok: queued"). */
export function replyCode(response: string | undefined): number | null {
  const match = /^(\d{3})\b/.exec(response ?? '');
  return match ? Number(match[1]) : null;
}

export async function sendVettedMail(mail: Mail, ctx: MailContext): Promise<MailAnswer> {
  const { deadline } = ctx;
  const host = mail.smarthost.host.replace(/^\[(.*)\]$/, '$1');
  const addresses = await resolveAllowed(host, mail.smarthost.port, ctx.policy, deadline.signal);
  // nodemailer dials one address: IPv4 when there is one (containers often lack IPv6 routes), all of them vetted.
  const vetted = addresses.find((a) => a.family === 4) ?? addresses[0];
  const servername = isIP(host) ? undefined : host;
  const transport = nodemailer.createTransport({
    host: vetted!.address,
    port: mail.smarthost.port,
    secure: mail.smarthost.port === 465,
    requireTLS: mail.requireTls,
    ...(servername ? { servername } : {}),
    tls: {
      ...(servername ? { servername } : {}),
      ...(ctx.ca ? { ca: ctx.ca } : {}),
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    ...(mail.auth ? { auth: mail.auth } : {}),
    connectionTimeout: deadline.remaining(),
    greetingTimeout: deadline.remaining(),
    socketTimeout: deadline.remaining(),
    // The message is ours, but never let a field turn into a file read or a fetch.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const onAbort = () => transport.close();
  deadline.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const info = await raceAbort(
      transport.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
      }),
      deadline.signal,
    );
    return {
      status: replyCode(info.response),
      accepted: info.accepted.length,
      rejected: info.rejected.length,
    };
  } finally {
    deadline.signal.removeEventListener('abort', onAbort);
    transport.close();
  }
}
