import { alertGroupDeclareJob } from './alert-group-declare.js';
import { alertGroupRefreshJob } from './alert-group-refresh.js';
import { channelBookmarkJob } from './channel-bookmark.js';
import { coverExpiryJob } from './cover-expiry.js';
import { coverPostJob } from './cover-post.js';
import { coverRefreshJob } from './cover-refresh.js';
import { coverTakenJob } from './cover-taken.js';
import { deliveryNoteJob } from './delivery-note.js';
import { deliverySendJob } from './delivery-send.js';
import { escalationAckTimeoutJob } from './escalation-ack-timeout.js';
import { escalationAcknowledgedJob } from './escalation-acknowledged.js';
import { escalationExhaustedJob } from './escalation-exhausted.js';
import { escalationStepJob } from './escalation-step.js';
import { handoffAnnounceJob } from './handoff-announce.js';
import { handoffFireJob } from './handoff-fire.js';
import { heartbeatMissJob } from './heartbeat-miss.js';
import { incidentArchiveJob } from './incident-archive.js';
import { incidentRefreshJob } from './incident-refresh.js';
import { incidentSetupJob } from './incident-setup.js';
import type { JobDefinition } from './job.js';
import { maintenanceAnnounceJob } from './maintenance-announce.js';
import { maintenanceEndJob } from './maintenance-end.js';
import { notifyTestJob } from './notify-test.js';
import { notifyTestCallJob } from './notify-test-call.js';
import { overrideAnnounceJob } from './override-announce.js';
import { overridesRetentionJob } from './overrides-retention.js';
import { pageAcknowledgedJob } from './page-acknowledged.js';
import { pageNoteJob } from './page-note.js';
import { pageSendJob } from './page-send.js';
import { postmortemPublishJob } from './postmortem-publish.js';
import { reconcileJob } from './reconcile.js';
import { reminderFireJob } from './reminder-fire.js';
import { reminderSendJob } from './reminder-send.js';
import { retentionJob } from './retention.js';
import { shiftNoticeJob } from './shift-notice.js';
import { updatePostJob } from './update-post.js';
import { usergroupSyncJob } from './usergroup-sync.js';

/** Every background job, by name: the workers dispatch through it, the reconciler re-enqueues by it. */
export const jobCatalogue: ReadonlyMap<string, JobDefinition> = new Map(
  (
    [
      incidentSetupJob,
      incidentRefreshJob,
      updatePostJob,
      channelBookmarkJob,
      reminderFireJob,
      reminderSendJob,
      incidentArchiveJob,
      postmortemPublishJob,
      pageSendJob,
      pageNoteJob,
      pageAcknowledgedJob,
      deliverySendJob,
      deliveryNoteJob,
      escalationStepJob,
      escalationAckTimeoutJob,
      escalationAcknowledgedJob,
      escalationExhaustedJob,
      reconcileJob,
      overrideAnnounceJob,
      overridesRetentionJob,
      coverPostJob,
      coverRefreshJob,
      coverTakenJob,
      coverExpiryJob,
      retentionJob,
      maintenanceEndJob,
      maintenanceAnnounceJob,
      heartbeatMissJob,
      alertGroupDeclareJob,
      alertGroupRefreshJob,
      handoffFireJob,
      usergroupSyncJob,
      shiftNoticeJob,
      handoffAnnounceJob,
      notifyTestJob,
      notifyTestCallJob,
    ] as JobDefinition[]
  ).map((job) => [job.name, job]),
);
