import type { WebClient } from '@slack/web-api';
import type { Incident } from '../incidents/incident-types.js';
import { tolerate } from './slack-errors.js';

export type ChannelBookmarks = ReturnType<typeof createChannelBookmarks>;

/** Slack refuses these for good: the channel went away or was archived; retrying will not help. */
const GONE = ['channel_not_found', 'is_archived', 'not_in_channel'];

/** Bookmarks links in incident channels; the domain decides which, this only calls Slack. */
export function createChannelBookmarks(deps: {
  client: WebClient;
  incidents: { find(incidentId: number): Promise<Incident | null> };
}) {
  const { client } = deps;
  return {
    async add(incidentId: number, link: { url: string; title: string | null }): Promise<void> {
      // Null while the set-up has not created the channel yet.
      const channel = (await deps.incidents.find(incidentId))?.channelId ?? null;
      // Thrown, so the job is retried: the set-up creates the channel within seconds.
      if (!channel) throw new Error(`incident ${incidentId} has no channel yet`);
      // A repeated job finds the bookmark it already added: one bookmark per link.
      const listed = await tolerate(GONE, () => client.bookmarks.list({ channel_id: channel }));
      if (!listed || listed.bookmarks?.some((b) => b.link === link.url)) return;
      await tolerate(GONE, () =>
        client.bookmarks.add({
          channel_id: channel,
          type: 'link',
          title: (link.title ?? new URL(link.url).host).slice(0, 100),
          link: link.url,
        }),
      );
    },
  };
}
