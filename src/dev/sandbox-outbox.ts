import { type ProviderOutbox, startProviderOutbox } from '@incident-bot/local-slack';
import type { StepReporter } from './first-run.js';

/** How the sandbox's people are reached besides Slack (numbers from the 555-01xx fiction range). */
export const SANDBOX_CONTACTS = {
  bob: { email: 'bob@example.test', phone: '+15550100001', pushTopic: 'bob-pages' },
  carol: { email: 'carol@example.test', phone: '+15550100002', pushTopic: 'carol-pages' },
} as const;

/**
 * The local providers (SMTP, Twilio, ntfy-style push) on free loopback ports, whose messages the
 * page lists in its Outbox panel: the bot sends through its real adapters, and nothing leaves the
 * machine. `botUrl` is where the bot listens, once it does.
 */
export async function startSandboxOutbox(
  step: StepReporter,
  botUrl: () => string | undefined,
): Promise<ProviderOutbox> {
  return step(
    'local email, SMS/call and push providers started (the page shows what they get under Outbox)',
    () =>
      startProviderOutbox({
        emailFrom: 'incident-bot@sandbox.test',
        // "Reply ACK" on the page: the Twilio fake posts the signed inbound SMS to the bot.
        smsWebhookUrl: () => {
          const url = botUrl();
          return url && `${url}/integrations/twilio/sms`;
        },
      }),
    (outbox) => `${outbox.env.SMTP_URL} ${outbox.env.TWILIO_API_URL} ${outbox.env.PUSH_URL}`,
  );
}

type Rule = readonly [via: 'slack' | 'email' | 'push' | 'sms' | 'voice', after: string];

function personLines(
  id: string,
  contact: { email: string; phone: string; pushTopic: string },
  rules: Rule[],
) {
  return [
    `  ${id}:`,
    `    email: ${contact.email}`,
    `    phone: "${contact.phone}"`,
    `    push_topic: ${contact.pushTopic}`,
    '    notify:',
    ...rules.map(([via, after]) => `      - { via: ${via}, after: ${after} }`),
  ];
}

/**
 * The `people:` part of the demo oncall.yaml: Bob is tried on every channel within 15 seconds (the
 * sandbox allows fast escalation), so a newcomer sees the whole sequence in the Outbox before level 2.
 */
export function sandboxPeopleLines(bob: string, carol: string): string[] {
  return [
    'people:',
    ...personLines(bob, SANDBOX_CONTACTS.bob, [
      ['slack', '0s'],
      ['email', '0s'],
      ['push', '5s'],
      ['sms', '10s'],
      ['voice', '15s'],
    ]),
    ...personLines(carol, SANDBOX_CONTACTS.carol, [
      ['slack', '0s'],
      ['push', '0s'],
      ['email', '15s'],
    ]),
  ];
}
