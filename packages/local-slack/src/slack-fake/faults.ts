import type { FakeFault } from './types.js';

interface PendingFault {
  method: string;
  fault: FakeFault;
  remaining: number;
}

export interface FaultRegistry {
  /** Queues `fault` for the next `times` calls of `method` (`'*'` matches every method). */
  inject(method: string, fault: FakeFault, times?: number): void;
  clear(): void;
  /** Takes one use of the first fault queued for `method`, if any. */
  take(method: string): FakeFault | undefined;
}

export function createFaultRegistry(): FaultRegistry {
  let pending: PendingFault[] = [];
  return {
    inject(method, fault, times = 1) {
      if (!(times > 0)) throw new Error('slack fake: a fault needs times > 0');
      pending.push({ method, fault, remaining: times });
    },
    clear() {
      pending = [];
    },
    take(method) {
      const match = pending.find((entry) => entry.method === method || entry.method === '*');
      if (!match) return undefined;
      match.remaining -= 1;
      if (match.remaining <= 0) pending = pending.filter((entry) => entry !== match);
      return match.fault;
    },
  };
}
