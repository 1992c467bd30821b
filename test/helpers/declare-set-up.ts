import type { Harness } from './bot-harness.js';
import { queryRows } from './incidents-db.js';
import { waitFor } from './wait-for.js';

/** An incident row joined with its Slack presence (channel, headline ts, set-up progress). */
export interface SetUpIncident {
  id: number;
  number: number;
  channel_id: string;
  headline_ts: string;
}

/** Alice runs `/incident create <flags>` in #general; resolves once the incident's set-up completed. */
export async function declareSetUp(h: Harness, flags: string, timeoutMs = 20_000): Promise<SetUpIncident> {
  const response = await h.driver.slashCommand({
    userId: h.people.alice,
    channelId: h.generalId,
    text: `create ${flags}`,
  });
  const number = Number(/#(\d+)/.exec((response.body as { text: string }).text)![1]);
  return waitFor(
    async () => {
      const [row] = await queryRows<SetUpIncident & { setup_completed_at: Date | null }>(
        h.databaseUrl,
        'SELECT * FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE number = $1',
        [number],
      );
      return row?.setup_completed_at ? row : null;
    },
    { timeoutMs, what: `incident #${number} set up` },
  );
}
