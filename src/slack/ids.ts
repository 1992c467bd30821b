/** Every id Slack echoes back to us, in one place, so listeners and views cannot drift apart. */
export const CallbackId = {
  declareModal: 'incident-declare',
  updateModal: 'incident-update',
  statusModal: 'incident-status',
  severityModal: 'incident-severity',
  roleModal: 'incident-role',
  closeModal: 'incident-close',
  addToTimelineShortcut: 'timeline-add',
} as const;

export const ActionId = {
  joinIncident: 'incident-join',
  acknowledgePage: 'escalation-ack',
  escalateNow: 'escalation-escalate',
  /** An alert group's page (value: the group id; Escalate now: `<group>-<epoch>`). */
  alertAcknowledge: 'alert-ack',
  alertEscalate: 'alert-escalate',
  alertResolve: 'alert-resolve',
  /** Opens the declare modal prefilled from the group (value: the group id; handler: branch `declare`). */
  alertDeclare: 'alert_declare',
  headlineUpdate: 'headline-update',
  headlineStatus: 'headline-status',
  headlineSeverity: 'headline-severity',
  headlineRole: 'headline-role',
  headlineResolve: 'headline-resolve',
  headlineReopen: 'headline-reopen',
  headlineClose: 'headline-close',
  snoozeReminder: 'reminder-snooze',
  takeCover: 'cover-take',
  cancelCover: 'cover-cancel',
  /**
   * *Send test* per channel of your notification rules (`/incident oncall me`, App Home). Value:
   * `<owner>:<nonce>`; only the owner may press it (checked on the server).
   */
  testSlack: 'notify-test-slack',
  testEmail: 'notify-test-email',
  testSms: 'notify-test-sms',
  testVoice: 'notify-test-voice',
  testPush: 'notify-test-push',
  updateText: 'update-text',
  statusSelect: 'status-select',
  severitySelect: 'severity-select-change',
  roleSelect: 'role-select',
  roleUser: 'role-user',
  declareTitle: 'title-input',
  declareSeverity: 'severity-select',
  declareSummary: 'summary-input',
  declareService: 'service-input',
  declareCommander: 'commander-select',
  declarePrivate: 'private-toggle',
} as const;

export const BlockId = {
  declareTitle: 'title',
  declareSeverity: 'severity',
  declareSummary: 'summary',
  declareService: 'service',
  declareCommander: 'commander',
  declarePrivate: 'visibility',
  headlineActions: 'incident-actions',
  announceActions: 'announce-actions',
  pageActions: 'page-actions',
  alertPageActions: 'alert-page-actions',
  reminderActions: 'reminder-actions',
  coverActions: 'cover-actions',
  updateText: 'update',
  statusSelect: 'status',
  severitySelect: 'severity',
  roleSelect: 'role',
  roleUser: 'person',
} as const;

/** Message metadata type on the headline card, so a retried set-up can find a card it already posted. */
export const HEADLINE_EVENT_TYPE = 'incident_headline';

/**
 * The value of an incident's Acknowledge button: `12`, the incident's own paging, or `12-e7`, one
 * escalation of it (a page's buttons act on the escalation that sent it, not on another team's).
 */
export const acknowledgeValue = (incidentId: number, escalationId?: number): string =>
  escalationId === undefined ? String(incidentId) : `${incidentId}-e${escalationId}`;

/** Escalate now's value: the incident, the epoch the person saw and, optionally, the escalation. */
export const escalateValue = (incidentId: number, epoch: number, escalationId?: number): string =>
  `${incidentId}-${epoch}${escalationId === undefined ? '' : `-e${escalationId}`}`;

/** Reads either value back (escalate's has an epoch); null when it is not one. Checked again on the server. */
export function parsePagingValue(
  value: string | undefined,
  withEpoch: boolean,
): { incidentId: string; epoch: number | null; escalationId: number | undefined } | null {
  const match = (
    withEpoch ? /^(\d{1,15})-(\d{1,9})(?:-e(\d{1,15}))?$/ : /^(\d{1,15})(?:-e(\d{1,15}))?$/
  ).exec(value ?? '');
  if (!match) return null;
  const escalation = withEpoch ? match[3] : match[2];
  return {
    incidentId: match[1]!,
    epoch: withEpoch ? Number(match[2]) : null,
    escalationId: escalation === undefined ? undefined : Number(escalation),
  };
}
