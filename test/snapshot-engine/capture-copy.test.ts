/**
 * The checkpoint's pause copy takes shortcuts (RAM split between copy threads, only the
 * disk's written blocks): a capture must still equal, byte for byte, what a plain full copy
 * of the paused machine gives — while the guest writes memory, writes its disk and reads it
 * back through virtio DMA on both harts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskRegion } from '../../src/machine/disk-layout.ts';
import { saveHartState } from '../../src/machine/hart-state.ts';
import { GuestSession } from '../../src/machine/node-session.ts';
import { encodeDisk } from '../../src/snapshot/encodings.ts';
import { collectBytes } from '../../src/snapshot/source.ts';
import { images, linux } from './helpers.ts';

const BOOT_MS = 180_000;

/** First differing byte of two equal-length arrays, or -1 (expect().toEqual on 256 MiB is too slow). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  if (Buffer.compare(a, b) === 0) return -1;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('checkpoint capture equals a full copy of the paused machine', () => {
  let guest: GuestSession;

  beforeAll(async () => {
    guest = await GuestSession.start(linux(2), images);
    await guest.waitForShell(BOOT_MS);
    // Memory writers (tmpfs and anonymous memory), a disk writer and a disk reader (DMA into RAM).
    const started = await guest.run(
      '(while true; do dd if=/dev/urandom of=/tmp/r bs=64k count=32 2>/dev/null; done) & ' +
        '(while true; do dd if=/dev/urandom of=/mnt/w bs=4k count=64 2>/dev/null; sync; done) & ' +
        '(while true; do echo 3 > /proc/sys/vm/drop_caches; cat /mnt/* > /dev/null 2>&1; done) & ' +
        'sleep 1; echo started',
      120_000,
    );
    expect(started.output).toContain('started');
  }, BOOT_MS + 120_000);

  afterAll(async () => {
    await guest?.stop();
  });

  it('RAM, disk blocks, bitmap and hart state, in 6 checkpoints under load', async () => {
    const m = guest.machine;
    const disk = new DiskRegion(m.mem, m.mem.ramSize, m.config.disk!.size);
    for (let round = 0; round < 6; round++) {
      await new Promise((r) => setTimeout(r, 150 + round * 50));
      const { capture } = await m.checkpoint({ suspend: true });
      try {
        expect(m.state).toBe('paused');
        // RAM: every byte.
        expect(firstDifference(capture.ram, m.mem.ramBytes())).toBe(-1);
        // Harts.
        capture.harts.forEach((values, h) => expect(values).toEqual(saveHartState(m.mem, h)));
        // Disk: the bitmap, and the encoded delta from the capture equals one from the live disk.
        const written = disk.bitmap().slice();
        expect(firstDifference(capture.disk!.written, written)).toBe(-1);
        expect(disk.dirtyBlocks().length).toBeGreaterThan(0);
        const opts = { mode: 'delta' as const, base: capture.disk!.base, written };
        const fromCapture = await collectBytes(encodeDisk(capture.disk!.bytes, opts));
        const fromLive = await collectBytes(encodeDisk(disk.region().slice(), opts));
        expect(firstDifference(fromCapture, fromLive)).toBe(-1);
      } finally {
        m.resume();
      }
    }
    const after = await guest.run('echo alive', 60_000);
    expect(after.output).toContain('alive');
  }, 300_000);
});
