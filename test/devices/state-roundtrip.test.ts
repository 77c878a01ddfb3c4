/**
 * Every device's state survives save() → load() on a fresh machine (as a snapshot restore
 * does): the named values are identical and the machine carries on where it was.
 */
import { describe, expect, it } from 'vitest';
import type { FieldValues } from '../../src/devices/state.ts';
import { VIRTIO_BLK_T_IN, VIRTIO_BLK_T_OUT } from '../../src/devices/virtio-blk.ts';
import { VIRTIO_F_VERSION_1, VIRTIO_RING_F_INDIRECT_DESC } from '../../src/devices/virtio-mmio.ts';
import { Board, VIRT, VIRTIO_SLOT, virtioBase } from '../../src/machine/board.ts';
import { DiskRegion, diskExtraBytes, diskRegionBytes } from '../../src/machine/disk-layout.ts';
import { MIP, readMip } from '../../src/machine/interrupts.ts';
import { MiB, RAM_BASE } from '../../src/machine/layout.ts';
import type { SharedMachineMemory } from '../../src/machine/shared-memory.ts';
import { makeConfig, makeMemory } from './helpers.ts';
import { TestVirtioDriver } from './virtio-driver.ts';

const DISK = 256 * 1024;
const RINGS = 0x8010_0000;
const HDR = 0x8020_0000;
const DATA = 0x8030_0000;
const STATUS = 0x8040_0000;

function machine(harts = 2) {
  const mem = makeMemory(harts, diskExtraBytes(DISK));
  const config = makeConfig(harts, 16, { disk: { name: 'd.img', sha256: '', size: DISK } });
  new DiskRegion(mem, 16 * MiB, DISK).loadImage(new Uint8Array(DISK).fill(0x5a));
  const board = new Board(mem, config);
  board.resetDevices();
  const bus = { load: (a: number, s: 1 | 2 | 4 | 8) => board.load(0, a, s), store: (a: number, s: 1 | 2 | 4 | 8, v: bigint) => board.store(0, a, s, v) };
  return { mem, board, bus, config };
}

function header(mem: SharedMachineMemory, type: number, sector: number): void {
  const o = mem.ramOffset(HDR);
  mem.view.setUint32(o, type, true);
  mem.view.setBigUint64(o + 8, BigInt(sector), true);
}

function saveAll(board: Board): Record<string, { schema: string; version: number; values: FieldValues }> {
  return Object.fromEntries(board.devices.map((d) => [d.name, { schema: d.state.schema.name, version: d.state.schema.version, values: d.state.locked(() => d.state.save()) }]));
}

describe('device state save/load', () => {
  it('every schema is version 1 with named fields', () => {
    const { board } = machine();
    for (const d of board.devices) {
      expect(d.state.schema.version, d.name).toBe(1);
      expect(d.state.schema.name.length, d.name).toBeGreaterThan(0);
    }
  });

  it('round-trips every device and the machine carries on', () => {
    const a = machine();
    const { mem, board, bus } = a;
    // PLIC: route the UART and blk lines to hart 0's S context and hart 1's M context.
    const plic = VIRT.plic.base;
    const blkIrq = VIRT.virtio.firstIrq + VIRTIO_SLOT.blk;
    for (const irq of [VIRT.uart0.irq, blkIrq]) bus.store(plic + 4 * irq, 4, 2n);
    bus.store(plic + 0x2080, 4, BigInt((1 << VIRT.uart0.irq) | (1 << blkIrq)));
    bus.store(plic + 0x2100, 4, BigInt(1 << VIRT.uart0.irq));
    bus.store(plic + 0x20_2000, 4, 1n); // hart 1 M threshold
    // UART: divisor, IER, typed-ahead input.
    bus.store(VIRT.uart0.base + 3, 1, 0x80n);
    bus.store(VIRT.uart0.base, 1, 3n);
    bus.store(VIRT.uart0.base + 3, 1, 0x03n);
    bus.store(VIRT.uart0.base + 1, 1, 0x01n);
    board.uart.state.locked(() => board.uart.receive([0x6c, 0x73, 0x0a]));
    // CLINT: a timer far in the future, and an IPI to hart 1.
    bus.store(VIRT.clint.base + 0x4000, 8, 1n << 60n);
    bus.store(VIRT.clint.base + 4, 4, 1n);
    // RTC: guest-set time and an armed alarm.
    bus.store(VIRT.rtc.base + 4, 4, 0x1234n);
    bus.store(VIRT.rtc.base, 4, 0n);
    bus.store(VIRT.rtc.base + 0x0c, 4, 0xffffn);
    bus.store(VIRT.rtc.base + 0x08, 4, 0n);
    // virtio-blk: one write and one read done; rng: live queue.
    const blk = new TestVirtioDriver(mem, virtioBase(VIRTIO_SLOT.blk), bus, RINGS);
    blk.init(VIRTIO_F_VERSION_1 | VIRTIO_RING_F_INDIRECT_DESC);
    mem.u8.fill(0x11, mem.ramOffset(DATA), mem.ramOffset(DATA) + 4096);
    header(mem, VIRTIO_BLK_T_OUT, 8);
    blk.submit([{ addr: HDR, len: 16 }, { addr: DATA, len: 4096 }, { addr: STATUS, len: 1, write: true }], true);
    header(mem, VIRTIO_BLK_T_IN, 0);
    blk.submit([{ addr: HDR, len: 16 }, { addr: DATA, len: 512, write: true }, { addr: STATUS, len: 1, write: true }]);
    expect(blk.takeUsed()).toHaveLength(2);
    const rng = new TestVirtioDriver(mem, virtioBase(VIRTIO_SLOT.rng), bus, RINGS + 0x1_0000);
    rng.init(VIRTIO_F_VERSION_1);
    rng.submit([{ addr: DATA + 0x2000, len: 32, write: true }]);

    const saved = saveAll(board);
    const mipBefore = [readMip(mem, 0), readMip(mem, 1)];
    expect(mipBefore[0] & MIP.SEIP).toBe(MIP.SEIP);
    expect(mipBefore[1] & MIP.MEIP).toBe(MIP.MEIP);

    // A fresh machine from the same config: copy RAM and the disk (with its bitmap), load the device states.
    const b = machine();
    b.mem.u8.set(mem.u8.subarray(RAM_BASE, RAM_BASE + 16 * MiB + diskExtraBytes(DISK)), RAM_BASE);
    for (const d of b.board.devices) {
      const s = saved[d.name];
      expect(s.schema).toBe(d.state.schema.name);
      d.state.locked(() => d.state.load(s.values));
    }
    for (const d of b.board.devices) d.state.locked(() => d.afterLoad?.());
    expect(saveAll(b.board)).toEqual(saved);

    // Derived state is rebuilt: interrupt outputs and the pending mip bits.
    expect(readMip(b.mem, 0) & MIP.SEIP).toBe(MIP.SEIP);
    expect(readMip(b.mem, 1) & (MIP.MEIP | MIP.MSIP)).toBe(MIP.MEIP | MIP.MSIP);
    // The UART's typed-ahead input is still there.
    expect(Number(b.bus.load(VIRT.uart0.base, 1))).toBe(0x6c);
    // The written block is still marked dirty on the new machine.
    expect(b.board.blk!.disk.dirtyBlocks()).toEqual([1]);

    // The blk queue continues where it was: the next request lands in used slot 2.
    const u = b.mem.ramOffset(RINGS + 0x2000);
    expect(b.mem.view.getUint16(u + 2, true)).toBe(2);
    const avail = b.mem.ramOffset(RINGS + 0x1000);
    header(b.mem, VIRTIO_BLK_T_IN, 8);
    const v = b.mem.view;
    const desc = (i: number, addr: number, len: number, flags: number, next: number) => {
      const o = b.mem.ramOffset(RINGS) + 16 * i;
      v.setBigUint64(o, BigInt(addr), true); v.setUint32(o + 8, len, true); v.setUint16(o + 12, flags, true); v.setUint16(o + 14, next, true);
    };
    desc(5, HDR, 16, 1, 6);
    desc(6, DATA + 0x4000, 512, 3, 7);
    desc(7, STATUS, 1, 2, 0);
    v.setUint16(avail + 4 + 2 * 2, 5, true);
    v.setUint16(avail + 2, 3, true);
    b.bus.store(virtioBase(VIRTIO_SLOT.blk) + 0x50, 4, 0n);
    expect(v.getUint16(u + 2, true)).toBe(3);
    expect(v.getUint32(u + 4 + 8 * 2, true)).toBe(5);
    expect(b.mem.u8[b.mem.ramOffset(DATA + 0x4000)]).toBe(0x11);
  });

  it('refuses virtio-blk state saved for a disk of another size', () => {
    const { board } = machine();
    const values = board.blk!.state.save();
    values.capacity = [12345n];
    expect(() => board.blk!.state.locked(() => { board.blk!.state.load(values); board.blk!.afterLoad(); })).toThrow(/sector/);
  });

  it('exposes the disk and its bitmap in the snapshot encoder\'s format', () => {
    const { board } = machine();
    const disk = board.blk!.disk;
    expect(disk.region().length).toBe(DISK);
    expect(disk.bitmap().length).toBe(DISK / 4096 / 8);
    disk.markDirty(4096 * 9, 1);
    disk.markDirty(4096 * 40, 4096 * 2);
    const bits = disk.bitmap();
    expect(bits[1]).toBe(1 << 1); // block 9
    expect(bits[5]).toBe((1 << 0) | (1 << 1)); // blocks 40, 41
    const copy = bits.slice();
    disk.clearDirty();
    expect(disk.dirtyBlocks()).toEqual([]);
    disk.setBitmap(copy);
    expect(disk.dirtyBlocks()).toEqual([9, 40, 41]);
  });

  it('sizes the disk region and bitmap as documented', () => {
    expect(diskRegionBytes(DISK + 1)).toBe(DISK + 4096);
    expect(diskExtraBytes(0)).toBe(0);
    expect(diskExtraBytes(64 * MiB)).toBe(64 * MiB + 4096); // 16384 blocks = 2 KiB of bits, one page
  });
});
