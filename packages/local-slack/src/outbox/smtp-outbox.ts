import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { listenOnLoopback } from './listen.js';
import type { OutboxLog } from './outbox-log.js';

export interface ReceivedMail {
  mail: ParsedMail;
  /** The session had upgraded with STARTTLS before the message was sent. */
  secure: boolean;
  user: string | undefined;
}

export interface SmtpOutboxOptions {
  /** PLAIN/LOGIN credentials the client must give; null: no AUTH at all (the sandbox). Default pager / smtp-secret-pass. */
  credentials?: { user: string; pass: string } | null;
  /** Offer STARTTLS with smtp-server's built-in self-signed certificate. Default true. */
  starttls?: boolean;
  /** Where each accepted message is also listed (the Outbox panel). */
  log?: OutboxLog;
  port?: number;
}

export interface SmtpOutbox {
  /** `smtp://user:pass@127.0.0.1:port` (no user part without credentials): the bot's SMTP_URL. */
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Refuses a recipient: 550 is a permanent bounce, 450 "try later". */
  reject(address: string, code: number): void;
  close(): Promise<void>;
}

const DEFAULT_CREDENTIALS = { user: 'pager', pass: 'smtp-secret-pass' };

/**
 * A real SMTP server (smtp-server) on 127.0.0.1; each message is parsed by mailparser as a mail
 * client would (headers, text and HTML parts).
 */
export async function startSmtpOutbox(options: SmtpOutboxOptions = {}): Promise<SmtpOutbox> {
  const credentials = options.credentials === undefined ? DEFAULT_CREDENTIALS : options.credentials;
  const received: ReceivedMail[] = [];
  const rejected = new Map<string, number>();
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    disabledCommands: [...(credentials ? [] : ['AUTH']), ...(options.starttls === false ? ['STARTTLS'] : [])],
    authOptional: credentials === null,
    logger: false,
    onAuth(auth, _session, callback) {
      if (credentials && auth.username === credentials.user && auth.password === credentials.pass)
        return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const code = rejected.get(address.address);
      if (code === undefined) return callback();
      callback(Object.assign(new Error(`mailbox ${address.address} unavailable`), { responseCode: code }));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({ mail, secure: session.secure, user: session.user as string | undefined });
          options.log?.add({
            kind: 'email',
            id: mail.messageId ?? `mail-${received.length}`,
            to: addressText(mail.to),
            from: addressText(mail.from),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  const port = await listenOnLoopback(server.server, options.port ?? 0);
  const userPart = credentials ? `${credentials.user}:${credentials.pass}@` : '';
  return {
    url: `smtp://${userPart}127.0.0.1:${port}`,
    port,
    received,
    reject: (address, code) => rejected.set(address, code),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function addressText(address: ParsedMail['to'] | ParsedMail['from']): string {
  if (!address) return '';
  return (Array.isArray(address) ? address : [address]).map((a) => a.text).join(', ');
}
