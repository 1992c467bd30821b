import type { WebClient } from '@slack/web-api';
import { tolerate } from './slack-errors.js';

export type UserNames = ReturnType<typeof createUserNames>;

type SlackUser = { name?: string; real_name?: string; profile?: { display_name?: string } };

/**
 * Display names of Slack users (for the postmortem and the schedule calendar feeds), looked up once
 * each per process. A person may be named by email, as oncall.yaml allows (`users.lookupByEmail`).
 */
export function createUserNames(client: WebClient) {
  const names = new Map<string, string>();
  const find = async (idOrEmail: string): Promise<SlackUser | undefined> => {
    const found = idOrEmail.includes('@')
      ? await tolerate(['users_not_found'], () => client.users.lookupByEmail({ email: idOrEmail }))
      : await tolerate(['user_not_found', 'user_not_visible'], () => client.users.info({ user: idOrEmail }));
    return found?.user;
  };
  return {
    async lookupNames(ids: string[]): Promise<Record<string, string>> {
      const result: Record<string, string> = {};
      for (const id of ids) {
        let name = names.get(id);
        if (!name) {
          const user = await find(id).catch(() => undefined);
          name = user?.profile?.display_name || user?.real_name || user?.name || id;
          names.set(id, name);
        }
        result[id] = name;
      }
      return result;
    },
  };
}
