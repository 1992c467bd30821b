import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.js';
import type { Pool } from '../db/pool.js';
import { findIncidentById } from '../incidents/incident-repo.js';
import type { Logger } from '../logger.js';
import { recordPostmortemFile } from '../postmortem/postmortem-repo.js';
import type { PostmortemService } from '../postmortem/postmortem-service.js';
import { signPostmortemPath } from '../postmortem/signed-links.js';
import { isTransientSlackError, slackErrorCode, tolerate } from './slack-errors.js';

export interface PostmortemPublisherDeps {
  pool: Pool;
  client: WebClient;
  clock: Clock;
  logger: Logger;
  postmortems: PostmortemService;
  /** Base URL of the bot for the download link (PUBLIC_URL, or where it listens). */
  baseUrl: () => string;
  linkSecret: string;
  linkTtlMs?: number;
}

const WEEK_MS = 7 * 86_400_000;

/** The draft, three ways: stored in Postgres, uploaded to the channel as a file, and a signed link. */
export function createPostmortemPublisher(deps: PostmortemPublisherDeps) {
  const names = new Map<string, string>();

  async function lookupNames(ids: string[]): Promise<Record<string, string>> {
    const result: Record<string, string> = {};
    for (const id of ids) {
      let name = names.get(id);
      if (!name) {
        const info = await tolerate(['user_not_found', 'user_not_visible'], () =>
          deps.client.users.info({ user: id }),
        ).catch(() => null);
        name = info?.user?.profile?.display_name || info?.user?.real_name || info?.user?.name || id;
        names.set(id, name);
      }
      result[id] = name;
    }
    return result;
  }

  return {
    lookupNames,

    async publish(incidentId: number, by: string): Promise<void> {
      const incident = await findIncidentById(deps.pool, incidentId);
      if (!incident) return;
      const stored = await deps.postmortems.generate(incidentId, by);
      if (!stored) return;
      const expiresAt = new Date(deps.clock.now().getTime() + (deps.linkTtlMs ?? WEEK_MS));
      const link = `${deps.baseUrl().replace(/\/$/, '')}${signPostmortemPath(deps.linkSecret, incidentId, expiresAt)}`;
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
        if (fileId) await recordPostmortemFile(deps.pool, stored.id, fileId);
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
