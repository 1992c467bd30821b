import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { waitFor } from '../helpers/wait-for.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await queryRows(h.databaseUrl, 'DROP TRIGGER IF EXISTS fail_capture ON timeline_events').catch(() => {});
  await h?.stop();
});

const captured = (incidentId: number) =>
  queryRows(
    h.databaseUrl,
    "SELECT id FROM timeline_events WHERE incident_id = $1 AND kind = 'timeline.message_added' AND removed_at IS NULL",
    [incidentId],
  );
const recorded = async (eventId: string) =>
  (await queryRows(h.databaseUrl, 'SELECT 1 FROM processed_slack_events WHERE event_id = $1', [eventId]))
    .length;

describe('Events API deliveries', () => {
  it('records an event as processed only with its effect: a failed capture answers 500, and Slack’s redelivery captures it once', async () => {
    const declared = await h.driver.slashCommand({
      userId: h.people.alice,
      channelId: h.generalId,
      text: 'create --title "Capture survives a failure"',
    });
    const number = Number(/#(\d+)/.exec((declared.body as { text: string }).text)![1]);
    const incident = await waitFor(async () => {
      const [r] = await queryRows<{ id: number; channel_id: string | null; setup_completed_at: Date | null }>(
        h.databaseUrl,
        'SELECT id, channel_id, setup_completed_at FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE number = $1',
        [number],
      );
      return r?.setup_completed_at ? r : null;
    });
    const channel = incident.channel_id!;
    const message = h.fake.postAsUser({
      userId: h.people.alice,
      channelId: channel,
      text: 'Rolled back at 14:02',
    });
    const pinEvent = {
      type: 'pin_added',
      user: h.people.bob,
      channel_id: channel,
      item: { type: 'message', channel, created_by: h.people.bob, message },
      event_ts: `${Math.floor(Date.now() / 1000)}.000200`,
    };

    // The database refuses the capture (a real failure inside the transaction, not a mock).
    await queryRows(
      h.databaseUrl,
      `CREATE OR REPLACE FUNCTION fail_capture() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'capture refused for the test'; END $$;
       CREATE TRIGGER fail_capture BEFORE INSERT ON timeline_events FOR EACH ROW
       WHEN (NEW.kind = 'timeline.message_added') EXECUTE FUNCTION fail_capture()`,
    );
    const first = await h.driver.event({ event: pinEvent });
    expect(first.status).toBe(500);
    expect(await recorded(first.eventId)).toBe(0);
    expect(await captured(incident.id)).toHaveLength(0);

    await queryRows(h.databaseUrl, 'DROP TRIGGER fail_capture ON timeline_events');
    const retry = await h.driver.event({
      event: pinEvent,
      eventId: first.eventId,
      retryNum: 1,
      retryReason: 'http_error',
    });
    expect(retry.status).toBe(200);
    expect(await captured(incident.id)).toHaveLength(1);
    expect(await recorded(first.eventId)).toBe(1);

    // A further redelivery of the handled event changes nothing; un-pinning (a new event) does.
    const again = await h.driver.event({ event: pinEvent, eventId: first.eventId, retryNum: 2 });
    expect(again.status).toBe(200);
    expect(await captured(incident.id)).toHaveLength(1);
    const unpin = await h.driver.event({ event: { ...pinEvent, type: 'pin_removed' } });
    expect(unpin.status).toBe(200);
    expect(await captured(incident.id)).toHaveLength(0);
    expect(await recorded(unpin.eventId)).toBe(1);
  });
});
