import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/notify/group-commit';

/** A write that records each batch and finishes when the test says so. */
function gated() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const write = async (items: number[]) => {
    batches.push(items);
    await new Promise<void>((resolve) => gates.push(resolve));
    if (items.includes(13)) throw new Error('unlucky batch');
    return items.map((i) => i * 10);
  };
  return { batches, open: () => gates.shift()?.(), write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes the first item at once and everything added meanwhile in the next write, answering each in order', async () => {
    const g = gated();
    const commit = new GroupCommit(g.write);
    const first = commit.add(1);
    const rest = [2, 3, 4].map((i) => commit.add(i));
    await tick();
    expect(g.batches).toEqual([[1]]);
    g.open();
    expect(await first).toBe(10);
    await tick();
    expect(g.batches).toEqual([[1], [2, 3, 4]]);
    g.open();
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
  });

  it('a failed write rejects only its own batch; the next one goes on', async () => {
    const g = gated();
    const commit = new GroupCommit(g.write);
    const bad = commit.add(13);
    const later = commit.add(5);
    g.open();
    await expect(bad).rejects.toThrow('unlucky batch');
    await tick();
    g.open();
    expect(await later).toBe(50);
  });

  it('splits a long queue at the batch size, and idle() waits for all of it', async () => {
    const g = gated();
    const commit = new GroupCommit(g.write, 2);
    const all = [1, 2, 3, 4, 5].map((i) => commit.add(i));
    const idle = commit.idle();
    for (let i = 0; i < 3; i++) {
      await tick();
      g.open();
    }
    await idle;
    expect(g.batches).toEqual([[1], [2, 3], [4, 5]]);
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50]);
  });
});
