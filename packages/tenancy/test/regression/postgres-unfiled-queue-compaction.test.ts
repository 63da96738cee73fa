/**
 * No upstream issue found. postgres.js's Queue (src/queue.js: a pool's open, busy and waiting
 * lists) shifts by moving an index and leaves a hole behind; the array is only reset when the
 * queue empties. A queue that never empties (a pool under steady load) grew without bound, and
 * remove()'s indexOf slowed every query down over time. patches/postgres@3.4.9.patch compacts
 * it once more than half of it is holes. Drop the fix (and keep this test) when upstream releases
 * one. (Queue is internal and has nothing to do with the server: this test loads it directly.)
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

type Queue<T> = { readonly length: number; push(x: T): T; shift(): T; remove(x: T): T | null };

describe("postgres.js's Queue under load that never lets it empty", () => {
  it('keeps its array bounded', async () => {
    // The ESM build, the one vitest and the apps load (the package's "import" condition).
    const main = createRequire(import.meta.url).resolve('postgres'); // <package>/cjs/src/index.js
    const { default: Queue } = (await import(pathToFileURL(path.resolve(path.dirname(main), '../../src/queue.js')).href)) as {
      default: <T>(initial?: T[]) => Queue<T>;
    };
    // Queue copies its initial array with slice(), and compacts with slice(): with an Array
    // subclass, each array the queue holds is one we can see (slice() keeps the species).
    const arrays: unknown[][] = [];
    class Seen<T> extends Array<T> {
      constructor(...args: unknown[]) {
        super(...(args as []));
        arrays.push(this);
      }
    }
    const queue = Queue<number>(new Seen<number>());
    queue.push(0);
    for (let i = 1; i <= 10_000; i++) {
      queue.push(i);
      expect(queue.shift()).toBe(i - 1);
    }
    // The array in use is the last one made (unpatched, the initial copy: 10,001 slots long).
    expect(arrays.at(-1)!.length).toBeLessThan(200);
    expect(queue.length).toBe(1);
    expect(queue.remove(10_000)).toBe(10_000);
    expect(queue.length).toBe(0);
  });
});
