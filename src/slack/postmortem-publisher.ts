import type { WebClient } from '@slack/web-api';
import type { Incident } from '../incidents/incident-types.js';
import type { Logger } from '../logger.js';
import type { PostmortemService } from '../postmortem/postmortem-service.js';
import { LINK_TTL_MS, type LinkKeys, signPostmortemPath } from '../postmortem/signed-links.js';
import { findRecentMessage } from './recent-messages.js';
import { isTransientSlackError, slackErrorCode, tolerate } from './slack-errors.js';

export interface PostmortemPublisherDeps {
  incidents: { find(incidentId: number): Promise<Incident | null> };
  client: WebClient;
  logger: Logger;
  postmortems: PostmortemService;
  /** Remembers which Slack file carries a stored draft. */
  recordFile(postmortemId: number, fileId: string): Promise<void>;
  /** Base URL of the bot for the download link (PUBLIC_URL, or where it listens). */
  baseUrl: () => string;
  linkKeys: LinkKeys;
}

/** The draft, three ways: stored in Postgres, uploaded to the channel as a file, and a signed link. */
export type PostmortemPublisher = ReturnType<typeof createPostmortemPublisher>;

export function createPostmortemPublisher(deps: PostmortemPublisherDeps) {
  return {
    /**
     * Stores a fresh draft, uploads it with a comment carrying its signed link, and records the file.
     * The link expires a fixed time after `requestedAt`, so every run of one request writes the same
     * comment: a run that may be a repeat looks for it in the channel and does not upload again.
     */
    async publish(
      incidentId: number,
      by: string,
      run: { mayRepeat: boolean; requestedAt: Date },
    ): Promise<void> {
      const incident = await deps.incidents.find(incidentId);
      if (!incident) return;
      const expiresAt = new Date(run.requestedAt.getTime() + LINK_TTL_MS);
      const path = signPostmortemPath(deps.linkKeys, incidentId, expiresAt);
      if (run.mayRepeat && incident.channelId) {
        // The signature alone: Slack returns the text with `&` escaped.
        const signature = path.slice(path.indexOf('sig='));
        const earlier = await findRecentMessage(deps.client, { channel: incident.channelId }, (m) =>
          Boolean(m.text?.includes(signature)),
        );
        if (earlier) return;
      }
      const stored = await deps.postmortems.generate(incidentId, by);
      // Nothing changed since a draft that reached the channel: the one there is still current.
      if (!stored || (stored.unchanged && stored.slackFileId)) return;
      const link = `${deps.baseUrl().replace(/\/$/, '')}${path}`;
      const comment = `:memo: Postmortem draft for incident #${incident.number} (generated from the timeline). Download: <${link}|postmortem.md> (link valid 7 days). Regenerate with \`/incident postmortem\`.`;
      if (!incident.channelId) return;
      try {
        const upload = await deps.client.filesUploadV2({
          channel_id: incident.channelId,
          filename: `incident-${incident.number}-postmortem.md`,
          title: `Postmortem draft: incident #${incident.number}`,
          content: stored.markdown,
          initial_comment: comment,
        });
        const fileId = (upload.files as { files?: { id?: string }[] }[] | undefined)?.[0]?.files?.[0]?.id;
        if (fileId) await deps.recordFile(stored.id, fileId);
      } catch (error) {
        if (isTransientSlackError(error)) throw error;
        deps.logger.warn(
          { incident: incident.number, code: slackErrorCode(error) },
          'could not upload the postmortem; posting the link',
        );
        await tolerate(['is_archived', 'channel_not_found', 'not_in_channel'], () =>
          deps.client.chat.postMessage({ channel: incident.channelId!, text: comment }),
        );
      }
    },
  };
}
