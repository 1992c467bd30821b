import type { SetupStep } from './incident-types.js';

/**
 * Where an incident shows in Slack and how far its set-up got (`slack_incident_presence`, migration
 * 0009). The Slack adapter owns this state; the incident record does not carry it.
 */
export interface SlackPresence {
  incidentId: number;
  headlineTs: string | null;
  announceChannelId: string | null;
  announceTs: string | null;
  setupSteps: SetupStep[];
  setupCompletedAt: Date | null;
  setupFailedAt: Date | null;
}

/** Message references a set-up step produced. */
export interface PresenceRefs {
  headlineTs?: string;
  announceChannelId?: string;
  announceTs?: string;
}
