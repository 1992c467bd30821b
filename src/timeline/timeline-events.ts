import { z } from 'zod';
import { SEVERITIES } from '../config.js';

/**
 * Every kind of timeline entry, named `domain.past_tense`. The details of each kind are checked
 * when written and when read back, so the postmortem can trust what it renders.
 */
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
