import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.js';
import { type Pool, withTransaction } from '../db/pool.js';
import { findEscalation } from '../escalation/escalation-repo.js';
import { incidentChannelName } from '../incidents/channel-name.js';
import {
  findIncidentByChannelId,
  findIncidentById,
  markSetupFinished,
  recordSetupStep,
} from '../incidents/incident-repo.js';
import type { Incident, SetupStep } from '../incidents/incident-types.js';
import type { Logger } from '../logger.js';
import { appendTimelineEvent } from '../timeline/timeline-repo.js';
import { HEADLINE_EVENT_TYPE } from './ids.js';
import { describeSlackError, isTransientSlackError, slackErrorCode, tolerate } from './slack-errors.js';
import { buildIncidentAnnouncement } from './views/incident-announcement.js';
import { buildIncidentHeadline, buildIncidentTopic } from './views/incident-headline.js';

export const ANNOUNCEMENT_EVENT_TYPE = 'incident_announcement';
const MAX_NAME_ATTEMPTS = 20;

export interface IncidentSetupDeps {
  pool: Pool;
  client: WebClient;
  clock: Clock;
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
 * headline, announcement, and a note to the reporter. Each finished step is recorded in Postgres,
 * so a retried job resumes where the last one stopped and never repeats a step.
 */
export function createIncidentSetup(deps: IncidentSetupDeps) {
  const { pool, client, logger } = deps;

  async function run(incidentId: number, options: SetupRunOptions): Promise<void> {
    let incident = await findIncidentById(pool, incidentId);
    if (!incident || incident.setupCompletedAt || incident.setupFailedAt) return;
    const log = logger.child({ incident: incident.number });

    try {
      incident = await step(incident, 'channel', () => createChannel(incident!, options));
    } catch (error) {
      if (error instanceof PermanentStepError) {
        await giveUp(incident, error);
        return;
      }
      throw await transientOrFinal(incident, 'channel', error, options);
    }

    for (const name of ['invite', 'topic', 'headline', 'pin', 'announce', 'notify'] as const) {
      try {
        incident = await step(incident, name, () => runStep(name, incident!, options));
      } catch (error) {
        if (!(error instanceof PermanentStepError))
          throw await transientOrFinal(incident, name, error, options);
        // The incident stays usable without this step; say so where people will see it.
        log.warn({ step: name, reason: error.reason }, 'incident set-up step failed');
        await recordStepFailure(incident, name, error.reason);
        await reportProblem(incident, stepFailureMessage(incident, name, error.reason));
        await recordSetupStep(pool, incident.id, name);
        incident = (await findIncidentById(pool, incident.id))!;
      }
    }
    await deps.afterSetup?.(incident.id);
    await markSetupFinished(pool, incident.id, 'completed');
    log.info({ channel: incident.channelName }, 'incident set-up complete');
  }

  /** Runs a step unless it was done before; returns the incident as re-read after recording it. */
  async function step(incident: Incident, name: SetupStep, fn: () => Promise<void>): Promise<Incident> {
    if (incident.setupSteps.includes(name)) return incident;
    await fn();
    return (await findIncidentById(pool, incident.id))!;
  }

  async function runStep(name: Exclude<SetupStep, 'channel'>, incident: Incident, options: SetupRunOptions) {
    switch (name) {
      case 'invite':
        return invite(incident);
      case 'topic':
        return setTopic(incident);
      case 'headline':
        return postHeadline(incident, options);
      case 'pin':
        return pinHeadline(incident);
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
    await withTransaction(pool, async (tx) => {
      await recordSetupStep(tx, incident.id, 'channel', { channelId, channelName });
      await appendTimelineEvent(
        tx,
        incident.id,
        { kind: 'incident.channel_created', details: { channelId, channelName } },
        { occurredAt: deps.clock.now(), actorId: null },
      );
    });
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
        return (await findIncidentByChannelId(pool, found.id)) ? null : found.id;
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
    await recordSetupStep(pool, incident.id, 'invite');
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
    await recordSetupStep(pool, incident.id, 'topic');
  }

  async function postHeadline(incident: Incident, options: SetupRunOptions): Promise<void> {
    const channel = incident.channelId!;
    const existing = options.mayRepeat
      ? await findPostedMessage(channel, HEADLINE_EVENT_TYPE, incident.id)
      : null;
    const paging = await pagingState(incident.id);
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
    await recordSetupStep(pool, incident.id, 'headline', { headlineTs: ts });
  }

  async function pinHeadline(incident: Incident): Promise<void> {
    if (incident.headlineTs) {
      await permanentAs('pin', () =>
        tolerate(['already_pinned'], () =>
          client.pins.add({ channel: incident.channelId!, timestamp: incident.headlineTs! }),
        ),
      );
    }
    await recordSetupStep(pool, incident.id, 'pin');
  }

  async function announce(incident: Incident, options: SetupRunOptions): Promise<void> {
    const channel = deps.announceChannelId;
    if (incident.isPrivate || !channel) {
      await recordSetupStep(pool, incident.id, 'announce');
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
    await recordSetupStep(pool, incident.id, 'announce', { announceChannelId: channel, announceTs: ts });
  }

  async function notifyReporter(incident: Incident): Promise<void> {
    const text = `:white_check_mark: Incident #${incident.number} is declared. Its channel is <#${incident.channelId}>: you, ${incident.commanderId && incident.commanderId !== incident.reporterId ? 'the commander ' : ''}and the bot are in it.`;
    await sendToUser(incident, text);
    await recordSetupStep(pool, incident.id, 'notify');
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

  async function recordStepFailure(incident: Incident, name: SetupStep, reason: string): Promise<void> {
    await appendTimelineEvent(
      pool,
      incident.id,
      { kind: 'incident.setup_step_failed', details: { step: name, error: reason } },
      { occurredAt: deps.clock.now(), actorId: null },
    );
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
    await recordStepFailure(incident, error.step, error.reason);
    await markSetupFinished(pool, incident.id, 'failed');
    await reportProblem(
      incident,
      `:x: Incident #${incident.number} (${incident.title}) is declared, but Slack refused to create its channel: \`${error.reason}\`. ` +
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

  /** What the card shows of paging when it is first posted (paging may have started already). */
  async function pagingState(incidentId: number) {
    const escalation = await findEscalation(pool, incidentId);
    return escalation
      ? { state: escalation.state, epoch: escalation.epoch, acknowledgedBy: escalation.acknowledgedBy }
      : null;
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
