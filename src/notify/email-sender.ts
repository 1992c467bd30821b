import { createTransport } from 'nodemailer';
import type { NotifyProviders } from '../config.js';
import type { ChannelSender, PageMessage, SendOutcome } from '../escalation/delivery-port.js';
import { escapeXml } from './twilio-sender.js';

type Email = NonNullable<NotifyProviders['email']>;

export function pageEmail(message: PageMessage): { subject: string; text: string; html: string } {
  const lines = message.body.split('\n').map(escapeXml).join('<br>');
  const { ackUrl } = message;
  return {
    subject: `[${message.severity}] ${message.title}`,
    text: `${message.title}\n\n${message.body}\n${ackUrl === null ? '' : `\nAcknowledge: ${ackUrl}\n`}`,
    html:
      `<p><strong>${escapeXml(message.title)}</strong></p><p>${lines}</p>` +
      (ackUrl === null ? '' : `<p><a href="${escapeXml(ackUrl)}">Acknowledge this page</a></p>`),
  };
}

/**
 * Email through SMTP (nodemailer): `smtp://` upgrades with STARTTLS, `smtps://` is TLS from the
 * start. A 5xx answer (address rejected, bounced at submission) is permanent; 4xx and connection
 * problems are tried again. `tls` is for tests against a server with a self-signed certificate.
 */
export function createEmailSender(
  email: Email,
  options: { tls?: { rejectUnauthorized: boolean } } = {},
): ChannelSender {
  const url = new URL(email.url);
  const transport = createTransport({
    host: url.hostname,
    port: url.port === '' ? (url.protocol === 'smtps:' ? 465 : 587) : Number(url.port),
    secure: url.protocol === 'smtps:',
    requireTLS: url.protocol === 'smtp:' && url.hostname !== 'localhost' && url.hostname !== '127.0.0.1',
    auth:
      url.username === ''
        ? undefined
        : { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
    tls: options.tls,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return {
    channel: 'email',
    async send(to: string, message: PageMessage): Promise<SendOutcome> {
      try {
        const info = await transport.sendMail({ from: email.from, to, ...pageEmail(message) });
        return { ok: true, receipt: info.messageId };
      } catch (error) {
        const {
          responseCode,
          response,
          message: text,
        } = error as { responseCode?: number; response?: string; message: string };
        // Never the whole error: it may hold the SMTP URL with its password.
        const reason = response ?? text.replace(/\/\/[^@/]*@/g, '//');
        return {
          ok: false,
          retryable: !(responseCode !== undefined && responseCode >= 500),
          error: `email: ${reason}`,
        };
      }
    },
  };
}
