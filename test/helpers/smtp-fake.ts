import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  mail: ParsedMail;
  /** The session had upgraded with STARTTLS before the message was sent. */
  secure: boolean;
  user: string | undefined;
}

/**
 * A real SMTP server in the test process (smtp-server, its built-in self-signed certificate for
 * STARTTLS, PLAIN/LOGIN auth); each message is parsed by mailparser as a mail client would.
 * `reject(address, code)` refuses a recipient (550: a permanent bounce; 450: try later).
 */
export async function startSmtpFake(credentials = { user: 'pager', pass: 'smtp-secret-pass' }) {
  const received: ReceivedMail[] = [];
  const rejected = new Map<string, number>();
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.pass)
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
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://${credentials.user}:${credentials.pass}@127.0.0.1:${port}`,
    port,
    received,
    reject: (address: string, code: number) => rejected.set(address, code),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
