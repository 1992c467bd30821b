import type { WebClient } from '@slack/web-api';
import type { NotifyTestReporter } from '../escalation/notify-tests.js';
import { openDm, postOnce } from './recent-messages.js';
import { testCallText, testReportText } from './views/notify-rules.js';

const TEST_EVENT_TYPE = 'notify_test';

/** DMs a person how their test notification went (for Slack, the DM is the test), once. */
export function createNotifyTestReporter({ client }: { client: WebClient }): NotifyTestReporter {
  const dm = async (userId: string, text: string, key: string, mayRepeat: boolean) => {
    const channel = await openDm(client, userId);
    if (channel === null) return;
    await postOnce(client, { channel, text, eventType: TEST_EVENT_TYPE, key, mayRepeat, joinable: false });
  };
  return {
    report: (test, mayRepeat) => dm(test.userId, testReportText(test), `notify-test-${test.id}`, mayRepeat),
    reportCall: (test, mayRepeat) =>
      dm(test.userId, testCallText(test), `notify-test-call-${test.id}`, mayRepeat),
  };
}
