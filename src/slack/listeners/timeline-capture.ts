import type { ReactionAddedEvent, ReactionRemovedEvent } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { IncidentService } from '../../incidents/incident-service.js';
import type { CapturedMessage, LifecycleService } from '../../incidents/lifecycle-service.js';
import type { ReadModel } from '../../incidents/read-model.js';
import type { Logger } from '../../logger.js';
import { CallbackId } from '../ids.js';
import type { IncidentAccess } from '../incident-access.js';
import { tolerate } from '../slack-errors.js';
import type { SlackRouter } from '../slack-router.js';
import { userFacingError } from './reply.js';

export interface TimelineCaptureDeps {
  readModel: ReadModel;
  incidents: IncidentService;
  lifecycle: LifecycleService;
  access: IncidentAccess;
  logger: Logger;
}

const NOT_INCIDENT_CHANNEL = 'Only messages of an incident channel can go on an incident timeline.';

/** Slack message ts → the moment it was posted. */
export function tsToDate(ts: string): Date {
  return new Date(Math.round(Number(ts) * 1000));
}

/**
 * Messages of an incident channel onto its timeline, at their own time: the "Add to timeline"
 * message shortcut, a Slack pin, or a :pushpin: reaction. Each message lands once; un-pinning or
 * removing the reaction takes it off again.
 */
export function registerTimelineCapture(router: SlackRouter, deps: TimelineCaptureDeps): void {
  router.shortcut(CallbackId.addToTimelineShortcut, async ({ ack, shortcut, client, respond }) => {
    await ack();
    const reply = (text: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, text }).catch((error) =>
        deps.logger.warn({ err: error }, 'could not answer the timeline shortcut'),
      );
    try {
      const incident = await deps.incidents.findByChannel(shortcut.channel.id);
      if (!incident) return void (await reply(NOT_INCIDENT_CHANNEL));
      await deps.access.require(incident, shortcut.user.id, 'change', client, {
        hidden: NOT_INCIDENT_CHANNEL,
        what: 'add messages to its timeline',
      });
      const message = shortcut.message as { ts: string; user?: string; text?: string };
      const added = await deps.lifecycle.captureMessage(
        incident.id,
        await describeMessage(client, shortcut.channel.id, message, 'shortcut'),
        tsToDate(message.ts),
        shortcut.user.id,
      );
      await reply(
        added
          ? `:pushpin: Added to the timeline of incident #${incident.number}.`
          : 'That message is already on the timeline.',
      );
    } catch (error) {
      await reply(userFacingError(error, deps.logger, { shortcut: CallbackId.addToTimelineShortcut }));
    }
  });

  router.event('pin_added', async ({ event, body, client }) => {
    const e = event as unknown as {
      channel_id: string;
      user: string;
      item: { message?: { ts: string; user?: string; text?: string } };
    };
    const message = e.item.message;
    if (!message) return;
    await capture(e.channel_id, message, 'pin', e.user, client, body.event_id);
  });
  router.event('pin_removed', async ({ event, body }) => {
    const e = event as unknown as { channel_id: string; item: { message?: { ts: string } } };
    if (e.item.message) await uncapture(e.channel_id, e.item.message.ts, body.event_id);
  });
  router.event('reaction_added', async ({ event: e, body, client }) => {
    const event = e as ReactionAddedEvent;
    if (event.reaction !== 'pushpin' || event.item.type !== 'message') return;
    const message = await findMessage(client, event.item.channel, event.item.ts);
    await capture(
      event.item.channel,
      message ?? { ts: event.item.ts, ...(event.item_user ? { user: event.item_user } : {}) },
      'reaction',
      event.user,
      client,
      body.event_id,
    );
  });
  router.event('reaction_removed', async ({ event: e, body }) => {
    const event = e as ReactionRemovedEvent;
    if (event.reaction !== 'pushpin' || event.item.type !== 'message') return;
    await uncapture(event.item.channel, event.item.ts, body.event_id);
  });

  async function capture(
    channelId: string,
    message: { ts: string; user?: string; text?: string },
    via: CapturedMessage['via'],
    actor: string,
    client: WebClient,
    eventId: string,
  ): Promise<void> {
    const incident = await deps.incidents.findByChannel(channelId);
    if (!incident) return;
    // The headline card itself is pinned by the bot: not a timeline entry.
    if (message.ts === (await deps.readModel.findSlackPresence(incident.id)).headlineTs) return;
    await deps.lifecycle.captureMessage(
      incident.id,
      await describeMessage(client, channelId, message, via),
      tsToDate(message.ts),
      actor,
      eventId,
    );
  }

  async function uncapture(channelId: string, ts: string, eventId: string): Promise<void> {
    const incident = await deps.incidents.findByChannel(channelId);
    if (incident) await deps.lifecycle.uncaptureMessage(incident.id, channelId, ts, eventId);
  }
}

async function describeMessage(
  client: WebClient,
  channelId: string,
  message: { ts: string; user?: string; text?: string },
  via: CapturedMessage['via'],
): Promise<CapturedMessage> {
  const link = await tolerate(['message_not_found', 'channel_not_found'], () =>
    client.chat.getPermalink({ channel: channelId, message_ts: message.ts }),
  ).catch(() => null);
  return {
    channelId,
    ts: message.ts,
    authorId: message.user ?? null,
    text: message.text ?? '',
    permalink: link?.permalink ?? null,
    via,
  };
}

/** A reaction event names only the message: read it (the bot is a member of incident channels). */
async function findMessage(client: WebClient, channelId: string, ts: string) {
  const history = await tolerate(['channel_not_found', 'not_in_channel'], () =>
    client.conversations.history({ channel: channelId, latest: ts, inclusive: true, limit: 1 }),
  ).catch(() => null);
  const found = history?.messages?.find((m) => m.ts === ts);
  return found?.ts
    ? { ts: found.ts, ...(found.user ? { user: found.user } : {}), text: found.text ?? '' }
    : null;
}
