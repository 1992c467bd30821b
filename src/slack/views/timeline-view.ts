import type { KnownBlock } from '@slack/types';
import type { Incident } from '../../incidents/incident-types.js';
import { describeEvent, type EventRenderer } from '../../timeline/describe-event.js';
import type { TimelineEvent } from '../../timeline/timeline-events.js';
import { mrkdwnFit, slackToPlain } from './escape.js';
import { slackDate, userMention } from './format.js';
import type { SlackMessage } from './incident-headline.js';
import { section, sectionsOf } from './incident-list.js';

export const TIMELINE_PAGE_SIZE = 25;

/** Slack's rendering of a timeline line: mentions and channel links resolve in the viewer's client. */
const SLACK_RENDERER: EventRenderer = {
  person: (id) => (id ? userMention(id) : 'someone'),
  text: (text) => mrkdwnFit(text, 300),
  // A captured message is shown as the text its author saw, never re-emitting its mentions or links.
  message: (text) => mrkdwnFit(slackToPlain(text), 300),
  channel: (id) => `<#${id}>`,
};

/** `/incident timeline`: the events so far, a page at a time, times in the viewer's own zone. */
export function buildTimelineMessage(
  incident: Incident,
  events: TimelineEvent[],
  page: number,
): SlackMessage {
  const pages = Math.max(1, Math.ceil(events.length / TIMELINE_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const slice = events.slice((current - 1) * TIMELINE_PAGE_SIZE, current * TIMELINE_PAGE_SIZE);
  const lines = slice.map(
    (e) => `${slackDate(e.occurredAt, '{date_short} {time}')} — ${describeEvent(e, SLACK_RENDERER)}`,
  );
  const header = `*Timeline of incident #${incident.number}* (${events.length} event${events.length === 1 ? '' : 's'}; page ${current} of ${pages})`;
  const blocks: KnownBlock[] = [section(header), ...sectionsOf(lines)];
  if (current < pages) {
    blocks.push({
      type: 'context',
      // With the reference, the hint works in any channel.
      elements: [{ type: 'mrkdwn', text: `More: \`/incident timeline #${incident.number} ${current + 1}\`` }],
    });
  }
  return { text: [header, ...lines].join('\n'), blocks };
}
