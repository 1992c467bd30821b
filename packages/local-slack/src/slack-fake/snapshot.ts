import type { FakeState } from './state.js';

/** The parts of a workspace worth keeping across restarts (trigger ids and response URLs are short-lived). */
const KEPT = [
  'users',
  'channels',
  'messages',
  'ephemerals',
  'pins',
  'bookmarks',
  'views',
  'modalStacks',
  'homeViews',
  'files',
  'uploads',
  'dms',
  'usergroups',
] as const;

/** Maps, Sets and Buffers survive a JSON round trip through tagged objects. */
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return { __map: [...value.entries()] };
  if (value instanceof Set) return { __set: [...value.values()] };
  if (
    value &&
    typeof value === 'object' &&
    (value as { type?: string }).type === 'Buffer' &&
    Array.isArray((value as { data?: unknown }).data)
  ) {
    return { __buffer: Buffer.from((value as { data: number[] }).data).toString('base64') };
  }
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object') {
    const v = value as { __map?: [unknown, unknown][]; __set?: unknown[]; __buffer?: string };
    if (v.__map) return new Map(v.__map);
    if (v.__set) return new Set(v.__set);
    if (typeof v.__buffer === 'string') return Buffer.from(v.__buffer, 'base64');
  }
  return value;
}

/** The workspace as JSON text (the sandbox writes it to disk so channels outlive a restart). */
export function snapshotState(state: FakeState): string {
  const kept = Object.fromEntries(KEPT.map((key) => [key, state[key]]));
  return JSON.stringify(kept, replacer);
}

/** Replaces the workspace's contents with a snapshot taken by `snapshotState`. */
export function restoreState(state: FakeState, text: string): void {
  const saved = JSON.parse(text, reviver) as Partial<Record<(typeof KEPT)[number], unknown>>;
  for (const key of KEPT) {
    const target = state[key];
    const source = saved[key];
    if (target instanceof Map && source instanceof Map) {
      target.clear();
      for (const [k, v] of source) target.set(k, v);
    } else if (Array.isArray(target) && Array.isArray(source)) {
      target.length = 0;
      target.push(...source);
    }
  }
}
