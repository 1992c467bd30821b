// What the page shows and for whom: one object every module reads.

/** @type {{ users: {id:string,label:string,name:string}[], user: string|null, data: any, selected: {kind:'channel'|'home'|'outbox', id?:string}|null, thread: {channel:string, ts:string}|null, modalId: string|null }} */
export const app = {
  users: [],
  user: null,
  data: null,
  selected: null,
  thread: null,
  modalId: null,
  /** Whether the server has provider fakes (the Outbox panel), and what they were sent, newest first. */
  outboxEnabled: false,
  /** Whether SMS and calls can be answered from the panel (the Twilio fake posts the webhooks). */
  outboxReplies: false,
  outbox: [],
  /** The app's first slash command (from the server's slashCommands), shown in the composer's hint. */
  command: '/command',
};

export function currentChannel() {
  if (app.selected?.kind !== 'channel') return null;
  return app.data?.channels.find((c) => c.id === app.selected.id) ?? null;
}
