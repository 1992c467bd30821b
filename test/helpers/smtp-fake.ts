import { startSmtpOutbox } from '@incident-bot/local-slack';

export type { ReceivedMail } from '@incident-bot/local-slack';

/**
 * A real SMTP server in the test process (the local Slack package's smtp-server outbox: STARTTLS with
 * its built-in self-signed certificate, PLAIN/LOGIN auth); each message is parsed by mailparser as a
 * mail client would. `reject(address, code)` refuses a recipient (550: a permanent bounce; 450: try later).
 */
export function startSmtpFake(credentials = { user: 'pager', pass: 'smtp-secret-pass' }) {
  return startSmtpOutbox({ credentials });
}
