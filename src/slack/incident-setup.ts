import type { WebClient } from '@slack/web-api';
import { incidentChannelName } from '../incidents/channel-name.js';
import type { IncidentSetupStore } from '../incidents/incident-setup-store.js';
import type { Incident, SetupStep } from '../incidents/incident-types.js';
import type { SlackPresence } from '../incidents/slack-presence.js';
import type { Logger } from '../logger.js';
import { HEADLINE_EVENT_TYPE } from './ids.js';
import { describeSlackError, isTransientSlackError, slackErrorCode, tolerate } from './slack-errors.js';
import { mrkdwn } from './views/escape.js';
import { buildIncidentAnnouncement } from './views/incident-announcement.js';
import { buildIncidentHeadline, buildIncidentTopic } from './views/incident-headline.js';

export const ANNOUNCEMENT_EVENT_TYPE = 'incident_announcement';
const MAX_NAME_ATTEMPTS = 20;

export interface IncidentSetupDeps {
  /** Where the set-up's progress and the incident's channel are recorded. */
  store: IncidentSetupStore;
  client: WebClient;
  logger: Logger;
  announceChannelId: string | undefined;
  /** The bot's own user id (auth.test), to skip inviting itself and to recognise its channels. */
  botUserId: () => Promise<string>;
  /** Runs once the channel is set up: e.g. note pages that went out before it existed. */
  afterSetup?: (incidentId: number) => Promise<void>;
}

export interface SetupRunOptions {
  /** The run may repeat an earlier one that died mid-way: look for messages it already posted. */
  mayRepeat: boolean;
  /** No retry follows this run: report transient failures to people instead of throwing. */
  finalAttempt: boolean;
}

/** A step failed in a way no retry will fix; the incident goes on without it. */
class PermanentStepError extends Error {
  constructor(
    readonly step: SetupStep,
    readonly reason: string,
  ) {
    super(`${step}: ${reason}`);
  }
}

export type IncidentSetup = ReturnType<typeof createIncidentSetup>;

/**
 * Builds an incident's Slack presence after the declare commits: channel, invites, topic, pinned
 * headline, announcement, and a note to the reporter. Each finished step is reported to the store,
 * so a retried job resumes where the last one stopped and never repeats a step.
 */
export function createIncidentSetup(deps: IncidentSetupDeps) {
  const { store, client, logger } = deps;

  async function run(incidentId: number, options: SetupRunOptions): Promise<void> {
    const loaded = await store.load(incidentId);
    if (!loaded || loaded.presence.setupCompletedAt || loaded.presence.setupFailedAt) return;
    let { incident, presence } = loaded;
    const log = logger.child({ incident: incident.number });

    try {
      ({ incident, presence } = await step(incident, presence, 'channel', () =>
        createChannel(incident, options),
      ));
    } catch (error) {
      if (error instanceof PermanentStepError) {
        await giveUp(incident, error);
        return;
      }
      throw await transientOrFinal(incident, 'channel', error, options);
    }

    for (const name of ['invite', 'topic', 'headline', 'pin', 'announce', 'notify'] as const) {
      try {
        ({ incident, presence } = await step(incident, presence, name, () =>
          runStep(name, incident, presence, options),
        ));
      } catch (error) {
        if (!(error instanceof PermanentStepError))
          throw await transientOrFinal(incident, name, error, options);
        // The incident stays usable without this step; say so where people will see it.
        log.warn({ step: name, reason: error.reason }, 'incident set-up step failed');
        await store.recordStepFailure(incident.id, name, error.reason);
        await reportProblem(incident, stepFailureMessage(incident, name, error.reason));
        await store.recordStep(incident.id, name);
        ({ incident, presence } = (await store.load(incident.id))!);
      }
    }
    await deps.afterSetup?.(incident.id);
    await store.markFinished(incident.id, 'completed');
    log.info({ channel: incident.channelName }, 'incident set-up complete');
  }

  /** Runs a step unless it was done before; returns the state as re-read after recording it. */
  async function step(
    incident: Incident,
    presence: SlackPresence,
    name: SetupStep,
    fn: () => Promise<void>,
  ): Promise<{ incident: Incident; presence: SlackPresence }> {
    if (presence.setupSteps.includes(name)) return { incident, presence };
    await fn();
    return (await store.load(incident.id))!;
  }

  async function runStep(
    name: Exclude<SetupStep, 'channel'>,
    incident: Incident,
    presence: SlackPresence,
    options: SetupRunOptions,
  ) {
    switch (name) {
      case 'invite':
        return invite(incident);
      case 'topic':
        return setTopic(incident);
      case 'headline':
        return postHeadline(incident, options);
      case 'pin':
        return pinHeadline(incident, presence);
      case 'announce':
        return announce(incident, options);
      case 'notify':
        return notifyReporter(incident);
    }
  }

  async function createChannel(incident: Incident, options: SetupRunOptions): Promise<void> {
    const botUserId = await deps.botUserId();
    for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
      const name = incidentChannelName(incident.number, incident.title, attempt);
      try {
        const created = await client.conversations.create({ name, is_private: incident.isPrivate });
        await saveChannel(incident, created.channel!.id!, created.channel!.name ?? name);
        return;
      } catch (error) {
        const code = slackErrorCode(error);
        if (code === 'name_taken') {
          // A run that died after creating the channel but before recording it: adopt that channel.
          const adopted = options.mayRepeat ? await findOwnUnclaimedChannel(name, botUserId) : null;
          if (adopted) {
            await saveChannel(incident, adopted, name);
            return;
          }
          continue;
        }
        if (code?.startsWith('invalid_name')) {
          // Our names follow Slack's rules; if Slack still refuses, fall back to the bare number.
          if (attempt === 1)
            logger.warn({ name, code }, 'channel name refused; using the plain incident number');
          const fallback = `inc-${incident.number}${attempt > 1 ? `-${attempt}` : ''}`;
          if (fallback !== name) {
            const created = await tolerate(['name_taken'], () =>
              client.conversations.create({ name: fallback, is_private: incident.isPrivate }),
            );
            if (created) {
              await saveChannel(incident, created.channel!.id!, created.channel!.name ?? fallback);
              return;
            }
          }
          continue;
        }
        if (code !== null && !isTransientSlackError(error)) throw new PermanentStepError('channel', code);
        throw error;
      }
    }
    throw new PermanentStepError('channel', `no free channel name after ${MAX_NAME_ATTEMPTS} tries`);
  }

  async function saveChannel(incident: Incident, channelId: string, channelName: string): Promise<void> {
    await store.recordChannel(incident.id, channelId, channelName);
  }

  async function findOwnUnclaimedChannel(name: string, botUserId: string): Promise<string | null> {
    let cursor: string | undefined;
    do {
      const page = await client.conversations.list({
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      const found = page.channels?.find((c) => c.name === name);
      if (found?.id) {
        if (found.creator !== botUserId) return null;
        return (await store.isChannelClaimed(found.id)) ? null : found.id;
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return null;
  }

  async function invite(incident: Incident): Promise<void> {
    const botUserId = await deps.botUserId();
    const people = [
      ...new Set([incident.reporterId, incident.commanderId].filter((u): u is string => !!u)),
    ].filter((u) => u !== botUserId);
    const failed: string[] = [];
    for (const user of people) {
      try {
        await tolerate(['already_in_channel', 'cant_invite_self'], () =>
          client.conversations.invite({ channel: incident.channelId!, users: user }),
        );
      } catch (error) {
        if (isTransientSlackError(error)) throw error;
        failed.push(`<@${user}> (${describeSlackError(error)})`);
      }
    }
    await store.recordStep(incident.id, 'invite');
    if (failed.length > 0) {
      await reportProblem(
        incident,
        `:warning: I could not invite ${failed.join(', ')}. Please add them by hand.`,
      );
    }
  }

  async function setTopic(incident: Incident): Promise<void> {
    await permanentAs('topic', () =>
      client.conversations.setTopic({ channel: incident.channelId!, topic: buildIncidentTopic(incident) }),
    );
    await store.recordStep(incident.id, 'topic');
  }

  async function postHeadline(incident: Incident, options: SetupRunOptions): Promise<void> {
    const channel = incident.channelId!;
    const existing = options.mayRepeat
      ? await findPostedMessage(channel, HEADLINE_EVENT_TYPE, incident.id)
      : null;
    const paging = await store.pagingState(incident.id);
    const ts =
      existing ??
      (
        await permanentAs('headline', () =>
          client.chat.postMessage({
            channel,
            ...buildIncidentHeadline(incident, paging),
            unfurl_links: false,
          }),
        )
      ).ts!;
    await store.recordStep(incident.id, 'headline', { headlineTs: ts });
  }

  async function pinHeadline(incident: Incident, presence: SlackPresence): Promise<void> {
    if (presence.headlineTs) {
      await permanentAs('pin', () =>
        tolerate(['already_pinned'], () =>
          client.pins.add({ channel: incident.channelId!, timestamp: presence.headlineTs! }),
        ),
      );
    }
    await store.recordStep(incident.id, 'pin');
  }

  async function announce(incident: Incident, options: SetupRunOptions): Promise<void> {
    const channel = deps.announceChannelId;
    if (incident.isPrivate || !channel) {
      await store.recordStep(incident.id, 'announce');
      return;
    }
    const existing = options.mayRepeat
      ? await findPostedMessage(channel, ANNOUNCEMENT_EVENT_TYPE, incident.id)
      : null;
    const ts =
      existing ??
      (
        await permanentAs('announce', () =>
          client.chat.postMessage({
            channel,
            ...buildIncidentAnnouncement(incident),
            metadata: { event_type: ANNOUNCEMENT_EVENT_TYPE, event_payload: { incident_id: incident.id } },
            unfurl_links: false,
          }),
        )
      ).ts!;
    await store.recordStep(incident.id, 'announce', { announceChannelId: channel, announceTs: ts });
  }

  async function notifyReporter(incident: Incident): Promise<void> {
    const text = `:white_check_mark: Incident #${incident.number} is declared. Its channel is <#${incident.channelId}>: you, ${incident.commanderId && incident.commanderId !== incident.reporterId ? 'the commander ' : ''}and the bot are in it.`;
    await sendToUser(incident, text);
    await store.recordStep(incident.id, 'notify');
  }

  /** Ephemeral where the reporter typed the command; a DM when that is not possible. */
  async function sendToUser(incident: Incident, text: string): Promise<void> {
    if (incident.originChannelId && !incident.originChannelId.startsWith('D')) {
      try {
        await client.chat.postEphemeral({
          channel: incident.originChannelId,
          user: incident.reporterId,
          text,
        });
        return;
      } catch (error) {
        if (isTransientSlackError(error)) throw error;
        // not_in_channel, user_not_in_channel, channel_not_found…: fall back to a DM.
      }
    }
    await permanentAs('notify', () => client.chat.postMessage({ channel: incident.reporterId, text }));
  }

  async function findPostedMessage(
    channel: string,
    eventType: string,
    incidentId: number,
  ): Promise<string | null> {
    const read = () => client.conversations.history({ channel, limit: 50, include_all_metadata: true });
    let history = await tolerate(['channel_not_found', 'not_in_channel'], read);
    if (history === null) {
      // The bot may post in a public channel without being in it (chat:write.public), but reading
      // needs membership: join, then look again.
      const joined = await tolerate(
        ['channel_not_found', 'is_archived', 'method_not_supported_for_channel_type'],
        () => client.conversations.join({ channel }),
      );
      if (joined) history = await tolerate(['channel_not_found', 'not_in_channel'], read);
    }
    const found = history?.messages?.find(
      (m) =>
        (m.metadata as { event_type?: string; event_payload?: { incident_id?: number } } | undefined)
          ?.event_type === eventType &&
        (m.metadata as { event_payload?: { incident_id?: number } }).event_payload?.incident_id ===
          incidentId,
    );
    return found?.ts ?? null;
  }

  /** Tells people about a failure: in the incident channel when there is one, else the reporter. Never throws. */
  async function reportProblem(incident: Incident, text: string): Promise<void> {
    try {
      if (incident.channelId) {
        await client.chat.postMessage({ channel: incident.channelId, text });
        return;
      }
    } catch (error) {
      logger.warn({ err: error, incident: incident.number }, 'could not report in the incident channel');
    }
    try {
      await client.chat.postMessage({ channel: incident.reporterId, text });
    } catch (error) {
      logger.error(
        { err: error, incident: incident.number, text },
        'could not report a set-up problem to anyone',
      );
    }
  }

  async function giveUp(incident: Incident, error: PermanentStepError): Promise<void> {
    logger.error(
      { incident: incident.number, step: error.step, reason: error.reason },
      'incident channel could not be created',
    );
    await store.recordStepFailure(incident.id, error.step, error.reason);
    await store.markFinished(incident.id, 'failed');
    await reportProblem(
      incident,
      `:x: Incident #${incident.number} (${mrkdwn(incident.title)}) is declared, but Slack refused to create its channel: \`${error.reason}\`. ` +
        'Create a channel by hand, or ask a workspace admin to allow the bot to create channels.',
    );
  }

  /** On the last attempt a transient failure is reported (the reconciler keeps retrying later). */
  async function transientOrFinal(
    incident: Incident,
    name: SetupStep,
    error: unknown,
    options: SetupRunOptions,
  ) {
    if (options.finalAttempt) {
      await reportProblem(
        incident,
        `:hourglass: Slack is not answering reliably (\`${describeSlackError(error)}\`), so setting up incident #${incident.number} ` +
          `is stuck at "${name}". I will keep retrying in the background.`,
      );
    }
    return error;
  }

  return { run };
}

/** Wraps a call so that a non-transient Slack error becomes a permanent failure of `step`. */
async function permanentAs<T>(step: SetupStep, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isTransientSlackError(error)) throw error;
    throw new PermanentStepError(step, describeSlackError(error));
  }
}

export function stepFailureMessage(incident: Incident, step: SetupStep, reason: string): string {
  const what: Record<SetupStep, string> = {
    channel: 'create the incident channel',
    invite: 'invite the responders',
    topic: 'set the channel topic',
    headline: 'post the headline card',
    pin: 'pin the headline card',
    announce: 'announce the incident in the announcement channel (is the bot a member there?)',
    notify: 'tell the reporter where the channel is',
  };
  return `:warning: Incident #${incident.number}: I could not ${what[step]} (\`${reason}\`).`;
}
