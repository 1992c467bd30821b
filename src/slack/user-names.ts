import type { WebClient } from '@slack/web-api';
import { tolerate } from './slack-errors.js';

export type UserNames = ReturnType<typeof createUserNames>;

/** Display names of Slack users (for the postmortem), looked up once each per process. */
export function createUserNames(client: WebClient) {
  const names = new Map<string, string>();
  return {
    async lookupNames(ids: string[]): Promise<Record<string, string>> {
      const result: Record<string, string> = {};
      for (const id of ids) {
        let name = names.get(id);
        if (!name) {
          const info = await tolerate(['user_not_found', 'user_not_visible'], () =>
            client.users.info({ user: id }),
          ).catch(() => null);
          name = info?.user?.profile?.display_name || info?.user?.real_name || info?.user?.name || id;
          names.set(id, name);
        }
        result[id] = name;
      }
      return result;
    },
  };
}
