/**
 * The strongest check of the generated device tree short of Amber itself: QEMU's virt machine
 * booted with `-dtb <ours>` (OpenSBI fw_jump + Linux from guest/images), which must find the
 * PLIC, UART, virtio-blk, virtio-rng and goldfish RTC through our tree and power off through
 * the syscon node. Skipped when QEMU or the guest images are not there.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeviceTree } from '../../src/machine/devicetree.ts';
import { makeConfig } from './helpers.ts';

const IMAGES = join(import.meta.dirname, '../../guest/images');
const haveQemu = spawnSync('qemu-system-riscv64', ['--version'], { stdio: 'ignore' }).status === 0;
const haveImages = ['fw_jump.bin', 'Image', 'initramfs.cpio.gz', 'disk.ext4.gz'].every((f) => existsSync(join(IMAGES, f)));

function boot(harts: number, timeoutMs: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'amber-qemu-'));
  const dtb = join(dir, 'amber.dtb');
  writeFileSync(dtb, buildDeviceTree(makeConfig(harts, 256)));
  const disk = join(dir, 'disk.ext4');
  writeFileSync(disk, spawnSync('gzip', ['-dc', join(IMAGES, 'disk.ext4.gz')], { maxBuffer: 1 << 30 }).stdout);
  const qemu = spawn('qemu-system-riscv64', [
    '-M', 'virt', '-cpu', 'rv64,h=false,sstc=false,zba=false,zbb=false,zbc=false,zbs=false,Zihintpause=false',
    '-smp', String(harts), '-m', '256M', '-nographic', '-dtb', dtb,
    '-bios', join(IMAGES, 'fw_jump.bin'), '-kernel', join(IMAGES, 'Image'), '-initrd', join(IMAGES, 'initramfs.cpio.gz'),
    '-append', 'console=ttyS0 loglevel=7 no4lvl',
    '-drive', `file=${disk},format=raw,if=none,id=d0`, '-device', 'virtio-blk-device,drive=d0', '-device', 'virtio-rng-device',
  ]);
  let out = '';
  let sent = false;
  return new Promise((resolve) => {
    const timer = setTimeout(() => qemu.kill(), timeoutMs);
    qemu.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!sent && /~ # $|amber: ready/.test(out)) {
        sent = true;
        qemu.stdin.write('cat /proc/interrupts; cat /sys/class/rtc/rtc0/name; head -c 16 /dev/hwrng | wc -c; poweroff -f\n');
      }
    });
    qemu.on('exit', () => {
      clearTimeout(timer);
      resolve(out.replace(/\r/g, ''));
    });
  });
}

describe.skipIf(!haveQemu || !haveImages)('QEMU virt booted with our device tree', () => {
  it('finds every device through it and powers off through syscon', async () => {
    const log = await boot(4, 100_000);
    expect(log).toContain('riscv-plic: plic@c000000: mapped 95 interrupts with 4 handlers for 8 contexts');
    expect(log).toContain('smp: Brought up 1 node, 4 CPUs');
    expect(log).toMatch(/ttyS0 at MMIO 0x10000000/);
    expect(log).toMatch(/virtio_blk virtio\d+: \[vda\]/);
    expect(log).toContain('goldfish_rtc 101000.rtc: registered as rtc0');
    expect(log).toMatch(/SiFive PLIC\s+8 \w+\s+virtio/); // blk at the top slot, IRQ 8
    expect(log).toMatch(/^16$/m); // 16 bytes from virtio-rng
    expect(log).toContain('reboot: Power down');
  }, 120_000);
});
