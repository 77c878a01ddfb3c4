/**
 * Linux on the virt board: SMP, the disk, the console, the RTC, power-off.
 * One guest per hart count; each `describe` boots once and runs several checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskRegion } from '../../src/machine/disk-layout.ts';
import { PowerState } from '../../src/machine/layout.ts';
import type { GuestSession } from '../../src/machine/node-session.ts';
import { bootLinux } from './guest.ts';

describe.each([1, 4])('Linux with %i hart(s)', (harts) => {
  let guest: GuestSession;
  beforeAll(async () => {
    guest = await bootLinux(harts);
  });
  afterAll(async () => {
    await guest?.stop();
  });

  it('sees every hart', async () => {
    expect((await guest.run('nproc')).output.trim()).toBe(String(harts));
    const cpuinfo = (await guest.run('grep -c ^processor /proc/cpuinfo')).output.trim();
    expect(cpuinfo).toBe(String(harts));
  });

  it('reports command exit statuses', async () => {
    expect(await guest.run('true')).toEqual({ output: '', status: 0 });
    expect((await guest.run('(exit 7)')).status).toBe(7);
  });
});

describe('Linux with 2 harts', () => {
  let guest: GuestSession;
  beforeAll(async () => {
    guest = await bootLinux(2);
  });
  afterAll(async () => {
    await guest?.stop();
  });

  it('sees 2 harts', async () => {
    expect((await guest.run('nproc')).output.trim()).toBe('2');
  });

  it('runs two busy processes on both harts at once', { timeout: 300_000 }, async () => {
    // Per-CPU user+system ticks from /proc/stat, before and after two busy loops.
    const ticks = async () => {
      const out = (await guest.run("grep '^cpu[0-9]' /proc/stat")).output.trim().split('\n');
      return out.map((line) => {
        const f = line.split(/\s+/).slice(1).map(Number);
        return f[0] + f[2]; // user + system
      });
    };
    const before = await ticks();
    const r = await guest.run(
      "(i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done) & (i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done) & wait; echo both-done",
      280_000,
    );
    expect(r.output).toContain('both-done');
    const after = await ticks();
    const busy = after.map((t, i) => t - before[i]);
    // Each CPU spent a real share of the work (a loop that ran on one CPU only would leave the other near 0).
    const total = busy[0] + busy[1];
    expect(total).toBeGreaterThan(20);
    expect(Math.min(...busy)).toBeGreaterThan(total * 0.25);
  });

  it('writes a file to the virtio disk, syncs, and reads it back after remounting', async () => {
    expect((await guest.run('cat /mnt/hello.txt')).output).toBe('hello from the amber disk\n');
    const write = await guest.run('echo amber-disk-check > /mnt/check.txt && sync && umount /mnt && mount /dev/vda /mnt && cat /mnt/check.txt');
    expect(write).toEqual({ output: 'amber-disk-check\n', status: 0 });
  });

  it('moves 16 MiB through the disk with a correct checksum, and tracks the written blocks', async () => {
    const region = new DiskRegion(guest.machine.mem, guest.machine.mem.ramSize, guest.machine.config.disk!.size);
    const dirtyBefore = countBits(region.bitmap());
    const written = await guest.run('dd if=/dev/urandom of=/tmp/src bs=1M count=16 2>/dev/null && md5sum < /tmp/src', 180_000);
    expect(written.status).toBe(0);
    const expected = written.output.trim().split(/\s+/)[0];
    expect(expected).toMatch(/^[0-9a-f]{32}$/);
    const copied = await guest.run(
      'dd if=/tmp/src of=/mnt/big bs=1M 2>/dev/null && sync && umount /mnt && mount /dev/vda /mnt && md5sum < /mnt/big && rm /mnt/big /tmp/src && sync',
      180_000,
    );
    expect(copied.status).toBe(0);
    expect(copied.output.trim().split(/\s+/)[0]).toBe(expected);
    // 16 MiB = 4096 blocks of 4 KiB, at least, are now marked written.
    expect(countBits(region.bitmap()) - dirtyBefore).toBeGreaterThanOrEqual(4096);
  });

  it('takes interactive input: line editing and Ctrl-C', async () => {
    const c = guest.console;
    // Backspace (DEL) edits the line before it runs.
    let from = c.output.length;
    c.type('echo ab\x7f\x7fxy-edited\n');
    await c.waitFor('xy-edited\r\n', 30_000, from);
    expect(c.output.slice(from)).not.toContain('abxy-edited\r\n');
    // Ctrl-C interrupts a running command and the shell comes back.
    from = c.output.length;
    c.type('sleep 1000\n');
    await c.waitFor('sleep 1000', 30_000, from);
    await new Promise((r) => setTimeout(r, 500));
    c.type('\x03');
    const r = await guest.run('echo after-interrupt', 30_000);
    expect(r.output).toBe('after-interrupt\n');
  });

  it("keeps the host's date through the goldfish RTC", async () => {
    const guestSeconds = Number((await guest.run('date +%s')).output.trim());
    expect(Math.abs(guestSeconds - Date.now() / 1000)).toBeLessThan(30);
  });

  it('powers off with status 0', async () => {
    const outcome = await guest.powerOff(60_000);
    expect(outcome).toEqual({ event: PowerState.poweroff, code: 0 });
  });
});

function countBits(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) for (let v = b; v; v &= v - 1) n++;
  return n;
}
