import { z } from 'zod';
import { SEVERITIES } from '../incidents/incident-types.js';

/**
 * Every kind of timeline entry, named `domain.past_tense`. The details of each kind are checked
 * when written and when read back, so the postmortem can trust what it renders.
 */
/** On an escalation's events: the other team (service) paged in, absent for the incident's own paging. */
const team = { service: z.string().optional() };

export const timelineEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('incident.declared'),
    details: z.object({
      title: z.string(),
      severity: z.enum(SEVERITIES),
      isPrivate: z.boolean(),
      service: z.string().nullable(),
      commanderId: z.string().nullable(),
      summary: z.string().nullable(),
    }),
  }),
  z.object({
    kind: z.literal('incident.channel_created'),
    details: z.object({ channelId: z.string(), channelName: z.string() }),
  }),
  z.object({
    kind: z.literal('incident.setup_step_failed'),
    details: z.object({ step: z.string(), error: z.string() }),
  }),
  z.object({
    kind: z.literal('incident.status_changed'),
    details: z.object({ from: z.string(), to: z.string() }),
  }),
  z.object({
    kind: z.literal('incident.severity_changed'),
    details: z.object({ from: z.enum(SEVERITIES), to: z.enum(SEVERITIES) }),
  }),
  z.object({
    kind: z.literal('incident.role_assigned'),
    details: z.object({ role: z.string(), userId: z.string(), previous: z.string().nullable() }),
  }),
  z.object({ kind: z.literal('incident.update_posted'), details: z.object({ text: z.string() }) }),
  z.object({ kind: z.literal('incident.note_added'), details: z.object({ text: z.string() }) }),
  z.object({
    kind: z.literal('incident.followup_added'),
    details: z.object({
      followupId: z.number().int(),
      text: z.string(),
      ownerId: z.string().nullable(),
      due: z.string().nullable(),
    }),
  }),
  z.object({
    kind: z.literal('incident.link_added'),
    details: z.object({ url: z.string(), title: z.string().nullable() }),
  }),
  z.object({ kind: z.literal('incident.reopened'), details: z.object({ from: z.string() }) }),
  z.object({ kind: z.literal('incident.closed'), details: z.object({ resolution: z.string().nullable() }) }),
  z.object({
    kind: z.literal('timeline.message_added'),
    details: z.object({
      channelId: z.string(),
      ts: z.string(),
      authorId: z.string().nullable(),
      text: z.string(),
      permalink: z.string().nullable(),
      via: z.enum(['shortcut', 'pin', 'reaction']),
    }),
  }),
  z.object({
    kind: z.literal('reminder.sent'),
    details: z.object({ to: z.string().nullable(), overdueMinutes: z.number() }),
  }),
  z.object({ kind: z.literal('reminder.snoozed'), details: z.object({ minutes: z.number() }) }),
  z.object({
    kind: z.literal('escalation.started'),
    details: z.object({
      policy: z.string(),
      levels: z.number().int(),
      repeat: z.number().int(),
      ...team,
      /** Why another team was paged in (`/incident page service:payments <reason>`). */
      reason: z.string().nullable().optional(),
    }),
  }),
  z.object({
    kind: z.literal('escalation.paged'),
    details: z.object({
      level: z.number().int(),
      pass: z.number().int(),
      targets: z.array(z.object({ target: z.string(), via: z.string() })),
      ...team,
    }),
  }),
  z.object({
    kind: z.literal('escalation.level_skipped'),
    details: z.object({ level: z.number().int(), pass: z.number().int(), reason: z.string(), ...team }),
  }),
  z.object({
    kind: z.literal('escalation.acknowledged'),
    // `via`: where the page was acknowledged from (absent on events written before it was recorded).
    details: z.object({ by: z.string(), via: z.enum(['slack', 'link', 'sms', 'voice']).optional(), ...team }),
  }),
  z.object({
    kind: z.literal('escalation.escalated'),
    details: z.object({
      by: z.string().nullable(),
      reason: z.enum(['escalate_now', 'ack_timeout']),
      ...team,
    }),
  }),
  z.object({
    kind: z.literal('escalation.exhausted'),
    details: z.object({ passes: z.number().int(), ...team }),
  }),
  z.object({ kind: z.literal('escalation.stopped'), details: z.object({ reason: z.string(), ...team }) }),
  z.object({
    kind: z.literal('alert.linked'),
    details: z.object({
      groupId: z.number().int(),
      title: z.string(),
      service: z.string(),
      source: z.string(),
    }),
  }),
  // The alert's own events, copied from alert_events once each (source_ref `alert-event-<id>`);
  // the actor is the source ("Alertmanager") or the Slack user who acted.
  z.object({
    kind: z.literal('alert.triggered'),
    details: z.object({
      alertId: z.number().int(),
      title: z.string(),
      service: z.string(),
      /** How many times this alert has fired so far (1: the first trigger). */
      count: z.number().int(),
    }),
  }),
  z.object({
    kind: z.literal('alert.acknowledged'),
    details: z.object({ alertId: z.number().int(), title: z.string() }),
  }),
  z.object({
    kind: z.literal('alert.resolved'),
    details: z.object({ alertId: z.number().int(), title: z.string() }),
  }),
  // One step of a person's notification rules (#13): it reached them, or why it did not.
  z.object({
    kind: z.literal('delivery.sent'),
    details: z.object({ person: z.string(), userId: z.string().nullable(), channel: z.string() }),
  }),
  z.object({
    kind: z.literal('delivery.failed'),
    details: z.object({
      person: z.string(),
      userId: z.string().nullable(),
      channel: z.string(),
      outcome: z.enum(['failed', 'throttled', 'skipped']),
      reason: z.string(),
    }),
  }),
  z.object({
    kind: z.literal('escalation.page_failed'),
    details: z.object({ target: z.string(), error: z.string() }),
  }),
]);

export type TimelineEventInput = z.infer<typeof timelineEventSchema>;
export type TimelineEventKind = TimelineEventInput['kind'];

export type TimelineEvent = TimelineEventInput & {
  id: number;
  incidentId: number;
  occurredAt: Date;
  recordedAt: Date;
  actorId: string | null;
};
