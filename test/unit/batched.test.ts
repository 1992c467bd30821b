import { describe, expect, it } from 'vitest';
import { batched } from '../../src/db/batched.js';

/** A run that records its batches and answers when told to. */
function recorder(answer: (items: number[]) => Promise<string[]>) {
  const batches: number[][] = [];
  const run = (items: number[]) => {
    batches.push(items);
    return answer(items);
  };
  return { batches, run };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('batched (group commit)', () => {
  it('sends an item at once when a run is free, and the items that wait together in the next run', async () => {
    const gates: Array<() => void> = [];
    const { batches, run } = recorder(async (items) => {
      await new Promise<void>((resolve) => gates.push(resolve));
      return items.map((i) => `r${i}`);
    });
    const submit = batched(run, { maxInFlight: 1, overlapAfterMs: 0, maxBatch: 10, key: (i) => i });
    const results = [1, 2, 3, 4].map(submit);
    await tick();
    expect(batches).toEqual([[1]]);
    gates.shift()!();
    await tick();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    gates.shift()!();
    expect(await Promise.all(results)).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('never puts two items with the same key in one run, and keeps at most maxBatch', async () => {
    const { batches, run } = recorder(async (items) => items.map(String));
    const submit = batched(run, { maxInFlight: 1, overlapAfterMs: 0, maxBatch: 2, key: (i) => i % 10 });
    await Promise.all([1, 11, 2, 3, 21].map(submit));
    expect(batches).toEqual([[1], [11, 2], [3, 21]]);
  });

  it('tries each item of a failed run alone, so one bad item fails only itself', async () => {
    const { batches, run } = recorder(async (items) => {
      if (items.includes(3)) throw new Error('bad item 3');
      return items.map(String);
    });
    const submit = batched(run, { maxInFlight: 1, overlapAfterMs: 0, maxBatch: 10, key: (i) => i });
    const results = await Promise.allSettled([1, 2, 3, 4].map(submit));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('fails the whole run at once when isolate says the error is not about one item', async () => {
    const { batches, run } = recorder(async () => {
      throw new Error('database down');
    });
    const submit = batched(run, {
      maxInFlight: 1,
      overlapAfterMs: 0,
      maxBatch: 10,
      key: (i) => i,
      isolate: () => false,
    });
    const results = await Promise.allSettled([1, 2, 3].map(submit));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('starts a second run only once the first has taken overlapAfterMs', async () => {
    const gates: Array<() => void> = [];
    const { batches, run } = recorder(async (items) => {
      await new Promise<void>((resolve) => gates.push(resolve));
      return items.map(String);
    });
    const submit = batched(run, { maxInFlight: 2, overlapAfterMs: 40, maxBatch: 10, key: (i) => i });
    const results = [1, 2, 3].map(submit);
    await tick();
    expect(batches).toEqual([[1]]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(batches).toEqual([[1], [2, 3]]);
    for (const open of gates) open();
    expect(await Promise.all(results)).toEqual(['1', '2', '3']);
  });
});
