/**
 * Local stand-ins for the providers an app pages people through (email over SMTP, Twilio SMS and
 * calls, ntfy-style push), each recording what it was sent, together in one `OutboxLog`.
 */
export {
  createOutboxLog,
  type NewOutboxEntry,
  type OutboxEntry,
  type OutboxLog,
  twimlSaid,
  unescapeXml,
} from './outbox-log.js';
export { OUTBOX_TWILIO_FROM, type ProviderOutbox, startProviderOutbox } from './provider-outbox.js';
export { decodeHeaderText, type PushOutbox, type PushReceived, startPushOutbox } from './push-outbox.js';
export {
  type ReceivedMail,
  type SmtpOutbox,
  type SmtpOutboxOptions,
  startSmtpOutbox,
} from './smtp-outbox.js';
export {
  FAKE_TWILIO_ACCOUNT,
  type SentByTwilio,
  signTwilioWebhook,
  startTwilioOutbox,
  type TwilioOutbox,
  type TwilioOutboxOptions,
  type WebhookAnswer,
} from './twilio-outbox.js';
