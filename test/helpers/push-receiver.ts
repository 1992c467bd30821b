export type { PushReceived } from '@incident-bot/local-slack';
/** A local ntfy-compatible endpoint (the local Slack package's): records every push; `failNext` answers with an HTTP error. */
export { startPushOutbox as startPushReceiver } from '@incident-bot/local-slack';
