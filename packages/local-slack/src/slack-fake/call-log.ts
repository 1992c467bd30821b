import type { CallRecord } from './types.js';

export interface CallLog {
  record(call: CallRecord): void;
  list(method?: string): CallRecord[];
  clear(): void;
}

export function createCallLog(): CallLog {
  let calls: CallRecord[] = [];
  return {
    record(call) {
      calls.push(call);
    },
    list(method) {
      return structuredClone(method === undefined ? calls : calls.filter((call) => call.method === method));
    },
    clear() {
      calls = [];
    },
  };
}
