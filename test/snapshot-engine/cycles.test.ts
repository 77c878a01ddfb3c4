/**
 * Fifty checkpoint → save → restore cycles while the guest writes to its disk: every cycle
 * resumes a new machine from the previous one's file, and the disk ends up exactly as an
 * uninterrupted run would leave it.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GuestSession } from '../../src/machine/node-session.ts';
import { images, linux, plan, snapshotBytes } from './helpers.ts';

const CYCLES = 50;
const LINES = 300;

describe('repeated save/restore during disk writes', () => {
  it(`survives ${CYCLES} cycles with a correct disk checksum`, { timeout: 900_000 }, async () => {
    let guest = await GuestSession.start(linux(1, 64), images);
    let writerDone = false;
    try {
      await guest.waitForShell(180_000);
      // Appends and syncs line by line, so cycles land in the middle of disk writes.
      guest.console.type(`rm -f /mnt/log; i=0; while [ $i -lt ${LINES} ]; do i=$((i+1)); echo "line $i" >> /mnt/log; sync; done; echo writer-fin''ished\n`);
      for (let c = 0; c < CYCLES; c++) {
        await new Promise((r) => setTimeout(r, 100 + ((c * 37) % 200)));
        const { capture } = await guest.machine.checkpoint({ suspend: true });
        writerDone ||= guest.console.output.includes('writer-finished');
        const bytes = await snapshotBytes(capture);
        await guest.stop();
        guest = await GuestSession.resume(await plan(bytes), images);
      }
      if (!writerDone) await guest.console.waitFor('writer-finished', 300_000);
      const expected = createHash('md5')
        .update(Array.from({ length: LINES }, (_, i) => `line ${i + 1}\n`).join(''))
        .digest('hex');
      const r = await guest.run('sync; umount /mnt && mount /dev/vda /mnt && md5sum < /mnt/log', 120_000);
      expect(r.output.trim().split(/\s+/)[0]).toBe(expected);
    } finally {
      await guest.stop();
    }
  });
});
