import { randomBytes, randomInt } from 'node:crypto';

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

/** Makes ids that look like Slack's (`C` + 10 upper alphanumerics etc.), unique within one fake. */
export interface IdFactory {
  channel(): string;
  dm(): string;
  user(): string;
  file(): string;
  view(): string;
  bookmark(): string;
  usergroup(): string;
  /** Random block/action ids, as Slack assigns to blocks and elements sent without one. */
  blockId(): string;
  triggerId(): string;
  secret(): string;
}

export function createIdFactory(): IdFactory {
  const used = new Set<string>();
  const unique = (make: () => string): string => {
    for (;;) {
      const id = make();
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  };
  const prefixed =
    (prefix: string, length = 10) =>
    () =>
      unique(() => prefix + randomAlphanumeric(length));
  return {
    channel: prefixed('C'),
    dm: prefixed('D'),
    user: prefixed('U'),
    file: prefixed('F'),
    view: prefixed('V'),
    bookmark: prefixed('Bk'),
    usergroup: prefixed('S'),
    blockId: () => unique(() => randomBytes(3).toString('base64url').slice(0, 4)),
    // Real trigger ids look like `13345224609.738474920.8088930838d88f008e0`.
    triggerId: () =>
      unique(() => `${randomInt(1e10, 1e11)}.${randomInt(1e8, 1e9)}.${randomBytes(10).toString('hex')}`),
    secret: () => unique(() => randomBytes(12).toString('hex')),
  };
}

/**
 * Message timestamps: `"<seconds>.<6 digits>"` from the clock, strictly increasing within a channel even
 * when the clock stands still (a fixed test clock), because Slack uses `ts` as a message's identity in
 * its channel. Channels are independent, as in Slack, so a clock set back gives older messages there.
 */
export function createTsSource(now: () => number): (channelId?: string) => string {
  const last = new Map<string, number>();
  return (channelId = '') => {
    const micros = Math.max(Math.floor(now()) * 1000, (last.get(channelId) ?? 0) + 1);
    last.set(channelId, micros);
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  };
}

/** Modal hashes look like `1567729382.4gWVyGUY`: they change with every update of a view. */
export function viewHash(nowMs: number): string {
  return `${Math.floor(nowMs / 1000)}.${randomBytes(6).toString('base64url')}`;
}
