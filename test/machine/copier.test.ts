/** Copy threads: jobs shared between this thread and helpers give exactly the source, zero-page skipping included. */
import { afterAll, describe, expect, it } from 'vitest';
import { copyInParallel, copyJobs, copyThreadReady, type CopyThread } from '../../src/workers/copier.ts';
import { nodePlatform } from '../../src/workers/node-platform.ts';

const SIZE = 24 << 20;

function sparse(seed: number): SharedArrayBuffer {
  const buf = new SharedArrayBuffer(SIZE);
  const u8 = new Uint8Array(buf);
  let x = seed;
  for (let p = 0; p < SIZE / 4096; p++) {
    x = (x * 1103515245 + 12345) >>> 0;
    if (x % 3 === 0) continue; // a zero page
    u8[p * 4096 + ((x >>> 8) % 4096)] = 1 + (x & 0x7f); // one byte anywhere in the page, also its last
  }
  return buf;
}

describe('copyInParallel', () => {
  const helpers: CopyThread[] = [];
  afterAll(() => helpers.forEach((h) => h.terminate()));

  for (const skipZeroPages of [false, true]) {
    for (const threads of [0, 2]) {
      it(`${threads} helper(s)${skipZeroPages ? ', zero pages skipped' : ''}: the copy equals the source`, async () => {
        while (helpers.length < threads) {
          const h = nodePlatform.spawnCopier!();
          await copyThreadReady(h, 30_000);
          helpers.push(h);
        }
        for (const seed of [1, 7]) {
          const src = sparse(seed);
          const dst = new SharedArrayBuffer(SIZE);
          // Offsets inside both buffers, and pieces smaller than the length, as the machine uses them.
          copyInParallel(copyJobs(src, 4096, dst, 4096, SIZE - 8192, { piece: 1 << 20, skipZeroPages }), helpers.slice(0, threads), 30_000);
          const a = new Uint8Array(src, 4096, SIZE - 8192);
          const b = new Uint8Array(dst, 4096, SIZE - 8192);
          expect(Buffer.compare(a, b)).toBe(0);
          expect(new Uint8Array(dst, 0, 4096).every((v) => v === 0)).toBe(true);
        }
      });
    }
  }
});
