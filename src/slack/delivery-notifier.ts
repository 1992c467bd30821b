import type { WebClient } from '@slack/web-api';
import type { DeliveryNote } from '../escalation/delivery-outcomes.js';
import { postOnce } from './recent-messages.js';
import { mrkdwn } from './views/escape.js';

/** Message metadata on a failed step's line, so a repeated run finds it. */
export const DELIVERY_NOTE_EVENT_TYPE = 'incident_delivery_note';

export type DeliveryNotifier = ReturnType<typeof createDeliveryNotifier>;

/** The line people read when the bot could not reach someone: the person as a mention when known. */
export function deliveryNoteText(note: Omit<DeliveryNote, 'channelId'>): string {
  // A person named in oncall.yaml by Slack id is mentioned even before their page DM resolved them.
  const id = note.userId ?? (/^[UW][A-Z0-9]+$/.test(note.person) ? note.person : null);
  const who = id ? `<@${id}>` : mrkdwn(note.person);
  return `:warning: Could not reach ${who} by ${note.channel}: ${mrkdwn(note.reason)}`;
}

/** Posts a failed step's line (the `delivery.note` job), once. */
export function createDeliveryNotifier(deps: {
  notes: { find(deliveryId: number): Promise<DeliveryNote | null> };
  client: WebClient;
}) {
  return {
    async post(deliveryId: number, options: { mayRepeat: boolean }): Promise<void> {
      const note = await deps.notes.find(deliveryId);
      if (!note) return;
      // A step can fail before the incident's channel exists: the queue tries again (with backoff).
      if (note.channelId === null) throw new Error(`delivery ${deliveryId}: incident channel not set up yet`);
      await postOnce(deps.client, {
        channel: note.channelId,
        text: deliveryNoteText(note),
        eventType: DELIVERY_NOTE_EVENT_TYPE,
        key: `delivery-${deliveryId}`,
        mayRepeat: options.mayRepeat,
        joinable: true,
      });
    },
  };
}
