import { EventEmitter } from 'node:events';

/** One message a provider fake accepted, as the Outbox panel shows it. */
export type OutboxEntry =
  | { kind: 'email'; id: string; at: string; to: string; from: string; subject: string; text: string }
  | { kind: 'sms'; id: string; at: string; to: string; from: string; body: string }
  | { kind: 'call'; id: string; at: string; to: string; from: string; said: string[] }
  | {
      kind: 'push';
      id: string;
      at: string;
      topic: string;
      title: string;
      body: string;
      click: string | null;
    };

/** An entry before the log gives it its time; `id` is the provider's receipt (message id, sid). */
export type NewOutboxEntry = OutboxEntry extends infer E
  ? E extends unknown
    ? Omit<E, 'at'>
    : never
  : never;

/**
 * What every provider fake sent, in one list (the sandbox's Outbox panel): `'change'` after each
 * new entry, `list()` newest first. At most `limit` entries are kept (oldest dropped first).
 */
export interface OutboxLog {
  add(entry: NewOutboxEntry): OutboxEntry;
  list(): OutboxEntry[];
  readonly events: EventEmitter<{ change: [OutboxEntry] }>;
}

export function createOutboxLog(options: { limit?: number; now?: () => Date } = {}): OutboxLog {
  const limit = options.limit ?? 500;
  const now = options.now ?? (() => new Date());
  const entries: OutboxEntry[] = [];
  const events = new EventEmitter<{ change: [OutboxEntry] }>();
  return {
    add(entry) {
      const stored = { ...entry, at: now().toISOString() } as OutboxEntry;
      entries.push(stored);
      if (entries.length > limit) entries.splice(0, entries.length - limit);
      events.emit('change', stored);
      return stored;
    },
    list: () => [...entries].reverse(),
    events,
  };
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The text of each `<verb>` in TwiML (`Say` by default, or `Message`), unescaped, in order. */
export function twimlSaid(twiml: string, verb: 'Say' | 'Message' = 'Say'): string[] {
  return [...twiml.matchAll(new RegExp(`<${verb}\\b[^>]*>([\\s\\S]*?)</${verb}>`, 'g'))].map((match) =>
    unescapeXml(match[1]!),
  );
}

export function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => XML_ENTITIES[name]!);
}
