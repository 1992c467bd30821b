import type { Clock } from '../clock.js';
import type { Queryable } from '../db/pool.js';
import { notifyTestCallJob } from '../jobs/notify-test-call.js';
import type { Outbox } from '../jobs/outbox.js';
import { recordTestCallStatus } from './notify-tests-repo.js';

/** Twilio's final call statuses that mean nobody heard the page (the next rule goes on anyway). */
export const CALL_FAILURES: Readonly<Record<string, string>> = {
  busy: 'call busy',
  'no-answer': 'call not answered',
  failed: 'call failed',
  canceled: 'call canceled',
};

const FINAL = new Set([...Object.keys(CALL_FAILURES), 'completed']);

/**
 * Records a call's final status (Twilio's status callback) on the voice step that placed it, once:
 * busy, no-answer, failed and canceled make the step failed; a completed call whose page is still
 * open was answered without pressing 1 ("answered, not acknowledged"). Returns whether a step was
 * updated; unknown calls and other statuses change nothing.
 */
export async function recordCallStatus(
  db: Queryable,
  report: { callSid: string; status: string; at: Date },
): Promise<boolean> {
  if (!FINAL.has(report.status)) return false;
  const failure = CALL_FAILURES[report.status] ?? null;
  const { rowCount } = await db.query(
    `UPDATE deliveries d SET call_status = $2, call_status_at = $3,
       status = CASE WHEN $4::text IS NULL THEN d.status ELSE 'failed' END,
       error = CASE
         WHEN $4::text IS NOT NULL THEN $4::text
         WHEN EXISTS (SELECT 1 FROM pages p JOIN escalations e ON e.id = p.escalation_id
                      WHERE p.id = d.page_id AND e.state = 'triggered' AND e.epoch = p.epoch)
           THEN 'answered, not acknowledged'
         ELSE d.error END
     WHERE d.channel = 'voice' AND d.receipt = $1 AND d.status = 'sent' AND d.call_status IS NULL`,
    [report.callSid, report.status, report.at, failure],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Twilio's call-status callback: the page call's voice step, or a test call (whose person is then
 * told how it ended, by the `notify.test-call` job written in the same transaction).
 */
export function createCallStatus({ clock, outbox }: { clock: Clock; outbox: Outbox }) {
  return {
    async record(input: { callSid: string; status: string }): Promise<void> {
      if (!FINAL.has(input.status)) return;
      const report = { ...input, at: clock.now() };
      await outbox.transaction(async (tx, emit) => {
        if (await recordCallStatus(tx, report)) return;
        const testId = await recordTestCallStatus(tx, report);
        if (testId !== null) emit(notifyTestCallJob, { testId });
      });
    },
  };
}
