import type { WebClient } from '@slack/web-api';
import type { NotifyTestReporter } from '../escalation/notify-tests.js';
import { openDm, postOnce } from './recent-messages.js';
import { testReportText } from './views/notify-rules.js';

const TEST_EVENT_TYPE = 'notify_test';

/** DMs a person how their test notification went (for Slack, the DM is the test), once. */
export function createNotifyTestReporter({ client }: { client: WebClient }): NotifyTestReporter {
  return {
    async report(test, mayRepeat) {
      const channel = await openDm(client, test.userId);
      if (channel === null) return;
      await postOnce(client, {
        channel,
        text: testReportText(test),
        eventType: TEST_EVENT_TYPE,
        key: `notify-test-${test.id}`,
        mayRepeat,
        joinable: false,
      });
    },
  };
}
