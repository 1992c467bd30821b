import { expect } from 'vitest';
import { COMMAND_SPECS } from '../../src/slack/commands/command-specs.js';
import type { CommandName } from '../../src/slack/commands/parse-command.js';
import { ActionId, CallbackId } from '../../src/slack/ids.js';
import type { Harness } from './bot-harness.js';
import { waitFor } from './wait-for.js';

/**
 * What an outsider types and clicks in the outsider suite (test/integration/outsider.test.ts), and
 * the helpers that collect what they are answered. Every command, button and form is listed here,
 * and checked against the declarations, so a new one cannot be left out of the suite.
 */

/** Arguments each command is run with; `{me}` is the outsider's id. Keyed by every declared command. */
export const COMMAND_SAMPLES = {
  create: 'Outsider made this one',
  list: '',
  stats: '',
  oncall: '',
  // Only the asker's own rules (the outsider has none: Slack DM only).
  'oncall-me': '',
  // Names no schedule: the override's own rule is tested with overrides; here nothing may change.
  'oncall-override': '<@{me}> 2h --schedule nosuch',
  'oncall-overrides': '',
  // Nobody's override: refused or unknown, and nothing changes.
  'oncall-override-cancel': '1',
  alerts: '',
  // A service the outsider is not paged for: refused, and no window starts.
  maintenance: 'checkout 2h outsider silence',
  // Open to anyone: the outsider's own links, which show only what `/incident oncall` shows.
  'oncall-calendar': '',
  'oncall-calendar-reset': '',
  // In no schedule: refused whatever the window.
  'oncall-cover': '"2027-01-04 09:00" "2027-01-04 17:00" <!channel> please',
  'oncall-cover-cancel': '1',
  help: '',
  status: 'resolved',
  severity: 'SEV4',
  role: 'commander <@{me}>',
  update: '<!channel> rotate your creds at <https://evil.example|sso.acme.com>',
  note: 'outsider was here',
  link: 'https://evil.example Totally the runbook',
  followup: 'Give the outsider admin',
  timeline: '',
  show: '',
  page: '<@{me}>',
  // A service that exists: refused before anyone is paged.
  'page-team': 'checkout <!channel> outsider wants in',
  escalate: '',
  resolve: '',
  close: '',
  reopen: '',
  postmortem: '',
} satisfies Record<CommandName, string>;

export function checkSamplesCoverCommands(): void {
  expect(Object.keys(COMMAND_SAMPLES).sort()).toEqual(COMMAND_SPECS.map((s) => s.name).sort());
}

/** `/incident <verb> …` for a spec, with the reference where its grammar reads it. */
export function commandLine(name: CommandName, me: string, reference: string | null): string {
  const spec = COMMAND_SPECS.find((s) => s.name === name)!;
  const verb = spec.verbs[0]!.join(' ');
  const sample = COMMAND_SAMPLES[name].replaceAll('{me}', me);
  const freeText = Object.values(spec.args).some((a) => a.kind === 'text');
  const parts = freeText ? [verb, reference, sample] : [verb, sample, reference];
  return parts.filter((p) => p !== null && p !== '').join(' ');
}

/** Every button: the value it carries for an incident id. Form inputs are not buttons. */
export const BUTTONS: Record<string, (incidentId: number) => string> = {
  [ActionId.joinIncident]: String,
  [ActionId.acknowledgePage]: String,
  [ActionId.escalateNow]: (id) => `${id}-0`,
  [ActionId.headlineUpdate]: String,
  [ActionId.headlineStatus]: String,
  [ActionId.headlineSeverity]: String,
  [ActionId.headlineRole]: String,
  [ActionId.headlineResolve]: String,
  [ActionId.headlineReopen]: String,
  [ActionId.headlineClose]: String,
  [ActionId.snoozeReminder]: (id) => `${id}-30`,
};
/** Every button of an alert page: the value it carries for an alert group id. */
export const ALERT_BUTTONS: Record<string, (groupId: number) => string> = {
  [ActionId.alertAcknowledge]: String,
  [ActionId.alertEscalate]: (id) => `${id}-0`,
  [ActionId.alertResolve]: String,
  [ActionId.alertDeclare]: String,
};

/** The cover request buttons: their value is a request id, not an incident's. */
export const COVER_BUTTONS: Record<string, (requestId: number) => string> = {
  [ActionId.takeCover]: String,
  [ActionId.cancelCover]: String,
};
/** Send test on someone's notification rules: the value names the owner (a Slack id) and a nonce. */
export const TEST_BUTTONS: Record<string, (ownerId: string) => string> = {
  [ActionId.testSlack]: (owner) => `${owner}:forgednonce1`,
  [ActionId.testEmail]: (owner) => `${owner}:forgednonce2`,
  [ActionId.testSms]: (owner) => `${owner}:forgednonce3`,
  [ActionId.testVoice]: (owner) => `${owner}:forgednonce4`,
  [ActionId.testPush]: (owner) => `${owner}:forgednonce5`,
};
const FORM_INPUTS: string[] = [
  ActionId.updateText,
  ActionId.statusSelect,
  ActionId.severitySelect,
  ActionId.roleSelect,
  ActionId.roleUser,
  ActionId.declareTitle,
  ActionId.declareSeverity,
  ActionId.declareSummary,
  ActionId.declareService,
  ActionId.declareCommander,
  ActionId.declarePrivate,
];

/** Every modal that acts on an existing incident, with values a person could submit. */
export const MODALS: Record<string, Record<string, Record<string, unknown>>> = {
  [CallbackId.updateModal]: {
    update: { 'update-text': { type: 'plain_text_input', value: '<!here> outsider update' } },
  },
  [CallbackId.statusModal]: {
    status: { 'status-select': { type: 'static_select', selected_option: { value: 'resolved' } } },
  },
  [CallbackId.severityModal]: {
    severity: {
      'severity-select-change': { type: 'static_select', selected_option: { value: 'SEV4' } },
    },
  },
  [CallbackId.roleModal]: {
    role: { 'role-select': { type: 'static_select', selected_option: { value: 'commander' } } },
    person: { 'role-user': { type: 'users_select', selected_user: 'U0OUTSIDER' } },
  },
  [CallbackId.closeModal]: { resolution: { resolution: { type: 'plain_text_input', value: 'outsider' } } },
};
/** Callbacks that act on no existing incident: declaring a new one, and the timeline shortcut. */
const NOT_ON_AN_INCIDENT: string[] = [CallbackId.declareModal, CallbackId.addToTimelineShortcut];

export function checkButtonsAndModalsCovered(): void {
  expect(
    [
      ...Object.keys(BUTTONS),
      ...Object.keys(ALERT_BUTTONS),
      ...Object.keys(COVER_BUTTONS),
      ...Object.keys(TEST_BUTTONS),
      ...FORM_INPUTS,
    ].sort(),
  ).toEqual(Object.values(ActionId).sort());
  expect([...Object.keys(MODALS), ...NOT_ON_AN_INCIDENT].sort()).toEqual(Object.values(CallbackId).sort());
}

/** A message in #general carrying every button with `value`: a forged payload, as anyone can send. */
export function postButtons<T = number>(
  h: Harness,
  userId: string,
  id: T,
  buttons: Record<string, (id: T) => string> = BUTTONS as unknown as Record<string, (id: T) => string>,
): string {
  const elements = Object.entries(buttons).map(([actionId, value]) => ({
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: actionId },
    value: value(id),
  }));
  const blocks = [];
  for (let i = 0; i < elements.length; i += 5)
    blocks.push({ type: 'actions', elements: elements.slice(i, i + 5) });
  return h.fake.postAsUser({ userId, channelId: h.generalId, text: `buttons for ${id}`, blocks }).ts;
}

/** What the clicker is told (an ephemeral reply on the response URL). */
export async function click(
  h: Harness,
  userId: string,
  ts: string,
  actionId: string,
  channelId = h.generalId,
): Promise<string> {
  const clicked = await h.driver.clickButton({ userId, channelId, messageTs: ts, actionId });
  expect(clicked.status).toBe(200);
  const posted = await waitFor(() => h.fake.responses(clicked.responseUrl)[0], {
    what: `the answer to ${actionId}`,
  });
  return (posted.body as { text: string }).text;
}

/** A forged modal submission naming `incidentId` in its private_metadata; returns the errors shown. */
export async function submitForged(
  h: Harness,
  userId: string,
  callbackId: string,
  incidentId: number,
): Promise<unknown> {
  const values = MODALS[callbackId]!;
  const view = {
    id: `VFORGED${callbackId.replace(/\W/g, '').toUpperCase()}`,
    team_id: h.fake.config.teamId,
    type: 'modal',
    callback_id: callbackId,
    private_metadata: JSON.stringify({ incidentId }),
    title: { type: 'plain_text', text: 'Forged' },
    blocks: Object.keys(values).map((block) => ({
      type: 'input',
      block_id: block,
      label: { type: 'plain_text', text: block },
      element: { type: 'plain_text_input', action_id: Object.keys(values[block]!)[0] },
    })),
    state: { values },
    hash: '1.forged',
  };
  const user = h.fake.getUser(userId)!;
  const payload = {
    type: 'view_submission',
    team: { id: h.fake.config.teamId, domain: h.fake.config.teamDomain },
    user: { id: userId, username: user.name, name: user.name, team_id: h.fake.config.teamId },
    api_app_id: h.fake.config.appId,
    token: 'sandbox-verification-token',
    trigger_id: h.fake.issueTriggerId(userId),
    view,
    response_urls: [],
  };
  const response = await h.driver.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  expect(response.status).toBe(200);
  return response.body;
}

/** Everything the person was shown: answers on response URLs, ephemerals, DMs and the App Home. */
export function seenBy(h: Harness, userId: string, answers: string[]): string {
  const dm = h.fake.dmChannelId(userId);
  return JSON.stringify([
    answers,
    h.fake.ephemerals().filter((e) => e.user === userId),
    dm ? h.fake.messages(dm, { includeReplies: true }) : [],
    h.fake.homeView(userId)?.view ?? null,
    h.fake.openViews(userId).map((v) => v.view),
  ]);
}
