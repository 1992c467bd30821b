import type { Logger } from '../logger.js';
import { incidentChannelName } from './channel-name.js';
import type { IncidentSetupStore } from './incident-setup-store.js';
import { type Incident, isSlackUserId, SETUP_STEPS, type SetupStep } from './incident-types.js';
import { type IncidentWorkspace, type SetupNotice, WorkspaceRefusal } from './incident-workspace.js';
import type { SlackPresence } from './slack-presence.js';

const MAX_NAME_ATTEMPTS = 20;

export interface IncidentSetupDeps {
  /** Where the set-up's progress and the incident's channel are recorded. */
  store: IncidentSetupStore;
  workspace: IncidentWorkspace;
  logger: Logger;
  announceChannelId: string | undefined;
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
 * Sets up a declared incident's workspace after the declare commits, in this order: channel,
 * invites, topic, headline, pin, announcement, a note to the reporter. Each finished step is
 * recorded, so a retried run resumes where the last one stopped and never repeats a step; a step
 * refused for good is recorded and reported, and the incident goes on without it.
 */
export function createIncidentSetup(deps: IncidentSetupDeps) {
  const { store, workspace, logger } = deps;

  async function run(incidentId: number, options: SetupRunOptions): Promise<void> {
    let loaded = await store.load(incidentId);
    if (!loaded || loaded.presence.setupCompletedAt || loaded.presence.setupFailedAt) return;
    const log = logger.child({ incident: loaded.incident.number });
    for (const name of SETUP_STEPS) {
      if (loaded.presence.setupSteps.includes(name)) continue;
      const { incident, presence } = loaded;
      try {
        await runStep(name, incident, presence, options);
      } catch (error) {
        if (!(error instanceof PermanentStepError))
          throw await transientOrFinal(incident, name, error, options);
        if (name === 'channel') return giveUp(incident, error);
        // The incident stays usable without this step; say so where people will see it.
        log.warn({ step: name, reason: error.reason }, 'incident set-up step failed');
        await store.recordStepFailure(incident.id, name, error.reason);
        await reportProblem(incident, { kind: 'step_failed', incident, step: name, reason: error.reason });
        await store.recordStep(incident.id, name);
      }
      loaded = (await store.load(incidentId))!;
    }
    await deps.afterSetup?.(incidentId);
    await store.markFinished(incidentId, 'completed');
    log.info({ channel: loaded.incident.channelName }, 'incident set-up complete');
  }

  async function runStep(
    name: SetupStep,
    incident: Incident,
    presence: SlackPresence,
    options: SetupRunOptions,
  ) {
    const channelId = incident.channelId!;
    switch (name) {
      case 'channel':
        return createChannel(incident, options);
      case 'invite':
        return invite(incident);
      case 'topic':
        await refusalAs('topic', () => workspace.setTopic(channelId, incident));
        return store.recordStep(incident.id, 'topic');
      case 'headline': {
        const state = await store.headlineState(incident.id);
        const headlineTs = await refusalAs('headline', () =>
          workspace.postHeadline(channelId, incident, state, { lookFirst: options.mayRepeat }),
        );
        return store.recordStep(incident.id, 'headline', { headlineTs });
      }
      case 'pin':
        if (presence.headlineTs) await refusalAs('pin', () => workspace.pin(channelId, presence.headlineTs!));
        return store.recordStep(incident.id, 'pin');
      case 'announce':
        return announce(incident, options);
      case 'notify':
        // An incident declared from an alert has its source as reporter: nobody to tell.
        if (!isSlackUserId(incident.reporterId)) return store.recordStep(incident.id, 'notify');
        await refusalAs('notify', () =>
          workspace.tell(incident.reporterId, incident.originChannelId, { kind: 'declared', incident }),
        );
        return store.recordStep(incident.id, 'notify');
    }
  }

  async function createChannel(incident: Incident, options: SetupRunOptions): Promise<void> {
    const create = (name: string) =>
      refusalAs('channel', () => workspace.createChannel(name, incident.isPrivate));
    for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
      const name = incidentChannelName(incident.number, incident.title, attempt);
      const created = await create(name);
      if (created.ok) return store.recordChannel(incident.id, created.id, created.name);
      if (created.why === 'name_taken') {
        // A run that died after creating the channel but before recording it: adopt that channel.
        const adopted = options.mayRepeat ? await findOwnUnclaimedChannel(name) : null;
        if (adopted) return store.recordChannel(incident.id, adopted, name);
        continue;
      }
      // Our names follow Slack's rules; if Slack still refuses, fall back to the bare number.
      if (attempt === 1) logger.warn({ name }, 'channel name refused; using the plain incident number');
      const fallback = `inc-${incident.number}${attempt > 1 ? `-${attempt}` : ''}`;
      const again = fallback !== name ? await create(fallback) : null;
      if (again?.ok) return store.recordChannel(incident.id, again.id, again.name);
    }
    throw new PermanentStepError('channel', `no free channel name after ${MAX_NAME_ATTEMPTS} tries`);
  }

  async function findOwnUnclaimedChannel(name: string): Promise<string | null> {
    const found = await workspace.findChannelCreatedBy(name, await workspace.botUserId());
    return found && !(await store.isChannelClaimed(found)) ? found : null;
  }

  async function invite(incident: Incident): Promise<void> {
    const botUserId = await workspace.botUserId();
    const people = [
      ...new Set([incident.reporterId, incident.commanderId].filter((u): u is string => !!u)),
    ].filter((u) => u !== botUserId && isSlackUserId(u));
    const failures: { userId: string; reason: string }[] = [];
    for (const userId of people) {
      try {
        await workspace.invite(incident.channelId!, userId);
      } catch (error) {
        if (!(error instanceof WorkspaceRefusal)) throw error;
        failures.push({ userId, reason: error.reason });
      }
    }
    await store.recordStep(incident.id, 'invite');
    if (failures.length > 0) await reportProblem(incident, { kind: 'invites_failed', failures });
  }

  async function announce(incident: Incident, options: SetupRunOptions): Promise<void> {
    const channel = deps.announceChannelId;
    if (incident.isPrivate || !channel) return store.recordStep(incident.id, 'announce');
    const announceTs = await refusalAs('announce', () =>
      workspace.announce(channel, incident, { lookFirst: options.mayRepeat }),
    );
    await store.recordStep(incident.id, 'announce', { announceChannelId: channel, announceTs });
  }

  /** Tells people about a failure: in the incident channel when there is one, else the reporter. Never throws. */
  async function reportProblem(incident: Incident, notice: SetupNotice): Promise<void> {
    try {
      if (incident.channelId) return await workspace.post(incident.channelId, notice);
    } catch (error) {
      logger.warn({ err: error, incident: incident.number }, 'could not report in the incident channel');
    }
    if (!isSlackUserId(incident.reporterId)) {
      logger.error(
        { incident: incident.number, notice: notice.kind },
        'a set-up problem with no channel to report it in',
      );
      return;
    }
    try {
      await workspace.post(incident.reporterId, notice);
    } catch (error) {
      logger.error(
        { err: error, incident: incident.number, notice: notice.kind },
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
    await reportProblem(incident, { kind: 'channel_refused', incident, reason: error.reason });
  }

  /** On the last attempt a transient failure is reported (the reconciler keeps retrying later). */
  async function transientOrFinal(
    incident: Incident,
    step: SetupStep,
    error: unknown,
    options: SetupRunOptions,
  ) {
    if (options.finalAttempt) {
      await reportProblem(incident, {
        kind: 'stuck',
        incident,
        step,
        reason: workspace.describeError(error),
      });
    }
    return error;
  }

  return { run };
}

/** Runs a workspace call; a refusal becomes a permanent failure of `step`. */
async function refusalAs<T>(step: SetupStep, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof WorkspaceRefusal) throw new PermanentStepError(step, error.reason);
    throw error;
  }
}
