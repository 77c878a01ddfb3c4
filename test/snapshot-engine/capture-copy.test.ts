/**
 * The checkpoint's copy takes shortcuts — RAM copied while the guest runs and then, in the
 * pause, only the pages the dirty-page bitmap names (set by the core's store TLB fills and by
 * device DMA); the copying split between threads; only the disk's written blocks — so a
 * capture must be shown to equal, byte for byte, what a plain full copy of the paused machine
 * gives, while the guest writes memory, writes its disk and reads it back through virtio DMA.
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
    // Two shell loops, one per hart, that keep storing to the same few heap pages. With nothing
    // else running there is no context switch to flush the harts' TLBs for them: only the
    // checkpoint's own TLB drop makes their stores after the bitmap clear mark those pages.
    const started = await guest.run('(i=0; while true; do i=$((i+1)); done) & (j=0; while true; do j=$((j+1)); done) & sleep 1; echo started', 120_000);
    expect(started.output).toContain('started');
  }, BOOT_MS + 120_000);

  afterAll(async () => {
    await guest?.stop();
  });

  async function checkRounds(rounds: number): Promise<void> {
    const m = guest.machine;
    const disk = new DiskRegion(m.mem, m.mem.ramSize, m.config.disk!.size);
    for (let round = 0; round < rounds; round++) {
      await new Promise((r) => setTimeout(r, 150 + round * 50));
      const { capture, pausePages, precopyMs } = await m.checkpoint({ suspend: true });
      try {
        expect(m.state).toBe('paused');
        // The pre-copy path ran: the pause copied some pages, not all of them.
        expect(precopyMs).toBeGreaterThan(0);
        expect(pausePages).toBeGreaterThan(0);
        expect(pausePages).toBeLessThan(m.mem.ramSize / 4096);
        // RAM: every byte.
        expect(firstDifference(capture.ram, m.mem.ramBytes())).toBe(-1);
        // Harts.
        capture.harts.forEach((values, h) => expect(values).toEqual(saveHartState(m.mem, h)));
        // Disk: the bitmap, and the encoded delta from the capture equals one from the live disk.
        const written = disk.bitmap().slice();
        expect(firstDifference(capture.disk!.written, written)).toBe(-1);
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
  }

  it('RAM and hart state, in 6 checkpoints of two busy shell loops', async () => {
    await checkRounds(6);
  }, 300_000);

  it('RAM, disk blocks, bitmap and hart state, in 6 checkpoints under memory, disk and DMA load', async () => {
    // tmpfs writes, a disk writer and a disk reader (virtio-blk DMA into the page cache).
    const started = await guest.run(
      '(while true; do dd if=/dev/urandom of=/tmp/r bs=64k count=32 2>/dev/null; done) & ' +
        '(while true; do dd if=/dev/urandom of=/mnt/w bs=4k count=64 2>/dev/null; sync; done) & ' +
        '(while true; do echo 3 > /proc/sys/vm/drop_caches; cat /mnt/* > /dev/null 2>&1; done) & ' +
        'sleep 1; echo started',
      120_000,
    );
    expect(started.output).toContain('started');
    expect(new DiskRegion(guest.machine.mem, guest.machine.mem.ramSize, guest.machine.config.disk!.size).dirtyBlocks().length).toBeGreaterThan(0);
    await checkRounds(6);
  }, 300_000);
});
