/**
 * The content of test/snapshot/fixtures/format-v1.amber, the compatibility fixture: a
 * snapshot written by format version 1 that every later release must keep reading.
 *
 * Regenerate ONLY when format v1 itself was wrong (never for a later format or section
 * version: the point of the file is that it was written by the old code):
 *   npx tsx test/snapshot/make-fixture.ts
 *
 * The fake device schemas are frozen here at the version the fixture was written with.
 * Later releases read the file with their own registry (current hart schema, current
 * built-in kinds, with migrations) plus these frozen schemas.
 */
import type { FieldValues, StateSchema } from '../../src/devices/state.ts';
import type { MachineConfig } from '../../src/machine/config.ts';
import { HART_STATE_FIELDS } from '../../src/machine/layout.ts';
import { PAGE_SIZE, type BaseImage, type ConsoleScreen, type SnapshotMeta } from '../../src/snapshot/index.ts';

export const FIXTURE_PATH = new URL('./fixtures/format-v1.amber', import.meta.url);

export const fakeTimerSchema: StateSchema = {
  name: 'fake-timer',
  version: 1,
  fields: { mtimecmp: { type: 'u64', count: 2 }, msip: { type: 'u32', count: 2 } },
};
export const fakeUartSchema: StateSchema = {
  name: 'fake-uart',
  version: 1,
  fields: { ier: { type: 'u8' }, lcr: { type: 'u8' }, rxHead: { type: 'u16' }, rxBuffer: { type: 'u8', count: 16 } },
};

export const config: MachineConfig = {
  version: 1,
  harts: 1,
  memoryMiB: 16,
  boot: {
    kind: 'linux',
    firmware: { name: 'fw_jump.bin', sha256: '11'.repeat(32), size: 262144 },
    kernel: { name: 'Image', sha256: '22'.repeat(32), size: 8388608 },
    bootargs: 'console=ttyS0 earlycon',
  },
  disk: { name: 'rootfs.ext2', sha256: '33'.repeat(32), size: 65536 },
  deterministic: true,
};

export function hartValues(): FieldValues {
  const v: FieldValues = {};
  HART_STATE_FIELDS.forEach((f, i) =>
    (v[f.name] = Array.from({ length: f.count ?? 1 }, (_, j) => (BigInt(i + 1) << 32n) | BigInt(j))));
  v.pc = [0x8020_0000n];
  v.priv = [1n];
  v.x[0] = 0n;
  return v;
}

export const timerValues: FieldValues = { mtimecmp: [0xffff_ffff_ffff_ffffn, 123456789n], msip: [0n, 1n] };
export const uartValues: FieldValues = {
  ier: [0x0fn],
  lcr: [0x03n],
  rxHead: [3n],
  rxBuffer: Array.from({ length: 16 }, (_, i) => BigInt(0x41 + i)),
};
export const clockValues: FieldValues = { mtime: [987654321n], timeBaseMs: [1_700_000_000_000n] };

export const RAM_BYTES = 16 << 20;
/** Non-zero pages of the RAM image: page → fill. */
export function ramImage(): Uint8Array {
  const ram = new Uint8Array(RAM_BYTES);
  const text = new TextEncoder().encode('OpenSBI v1.5 / Linux 6.12 on Amber, format v1 fixture. ');
  for (let o = 0; o < PAGE_SIZE; o += text.length) ram.set(text.subarray(0, Math.min(text.length, PAGE_SIZE - o)), o);
  ram.fill(0xa5, 513 * PAGE_SIZE, 515 * PAGE_SIZE);
  for (let i = 0; i < PAGE_SIZE; i++) ram[4095 * PAGE_SIZE + i] = (i * 31) & 0xff;
  return ram;
}

export const diskBase: BaseImage = { name: 'rootfs.ext2', sha256: '33'.repeat(32), size: 65536 };
export function diskBaseImage(): Uint8Array {
  return new Uint8Array(65536).fill(0x11);
}
/** The disk after the guest wrote block 2 (zeros) and block 9. */
export function diskImage(): { disk: Uint8Array; written: Uint8Array } {
  const disk = diskBaseImage();
  disk.fill(0, 2 * PAGE_SIZE, 3 * PAGE_SIZE);
  disk.fill(0x99, 9 * PAGE_SIZE, 10 * PAGE_SIZE);
  return { disk, written: new Uint8Array([0b0000_0100, 0b0000_0010]) };
}

export const screen: ConsoleScreen = { text: '\x1b[1mWelcome to Amber\x1b[0m\r\n/ # ', cols: 80, rows: 24 };
export const meta: SnapshotMeta = { name: 'format v1 fixture', createdAt: '2026-11-29T00:00:00.000Z', appVersion: '0.1.0' };
/** An optional section no release knows: every reader must skip it with a note. */
export const VENDOR_SECTION = 'x-vendor/note';
