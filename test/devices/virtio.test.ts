import { describe, expect, it } from 'vitest';
import {
  VIRTIO_BLK_F_FLUSH, VIRTIO_BLK_F_SEG_MAX, VIRTIO_BLK_S_IOERR, VIRTIO_BLK_S_OK, VIRTIO_BLK_S_UNSUPP,
  VIRTIO_BLK_T_FLUSH, VIRTIO_BLK_T_GET_ID, VIRTIO_BLK_T_IN, VIRTIO_BLK_T_OUT,
} from '../../src/devices/virtio-blk.ts';
import { VIRTIO_F_VERSION_1, VIRTIO_RING_F_INDIRECT_DESC, VirtioReg, VirtioStatus } from '../../src/devices/virtio-mmio.ts';
import { Board, VIRT, VIRTIO_SLOT, virtioBase } from '../../src/machine/board.ts';
import { DiskRegion, diskExtraBytes } from '../../src/machine/disk-layout.ts';
import { MIP, readMip } from '../../src/machine/interrupts.ts';
import { CtrlFlags, Ctrl, MiB } from '../../src/machine/layout.ts';
import { makeConfig, makeMemory } from './helpers.ts';
import { TestVirtioDriver } from './virtio-driver.ts';

const RAM = 0x8000_0000;
const RINGS = RAM + 0x10_0000;
const HDR = RAM + 0x20_0000;
const DATA = RAM + 0x30_0000;
const STATUS = RAM + 0x40_0000;
const DISK_SIZE = 1 * MiB + 512; // not a multiple of 4 KiB on purpose

function setup(opts: { deterministic?: boolean } = {}) {
  const mem = makeMemory(1, diskExtraBytes(DISK_SIZE));
  if (opts.deterministic) mem.setCtrl(Ctrl.flags, CtrlFlags.deterministic);
  const config = makeConfig(1, 16, { disk: { name: 'disk.img', sha256: '', size: DISK_SIZE } });
  const disk = new DiskRegion(mem, 16 * MiB, DISK_SIZE);
  const image = new Uint8Array(DISK_SIZE);
  for (let i = 0; i < image.length; i++) image[i] = (i * 7 + (i >> 9)) & 0xff;
  disk.loadImage(image);
  const board = new Board(mem, config);
  board.resetDevices();
  const bus = { load: (a: number, s: 1 | 2 | 4 | 8) => board.load(0, a, s), store: (a: number, s: 1 | 2 | 4 | 8, v: bigint) => board.store(0, a, s, v) };
  // Route the device's IRQ to hart 0's S context.
  const plic = VIRT.plic.base;
  for (const slot of [VIRTIO_SLOT.blk, VIRTIO_SLOT.rng]) {
    const irq = VIRT.virtio.firstIrq + slot;
    bus.store(plic + 4 * irq, 4, 1n);
    bus.store(plic + 0x2080, 4, bus.load(plic + 0x2080, 4) | (1n << BigInt(irq)));
  }
  const blk = new TestVirtioDriver(mem, virtioBase(VIRTIO_SLOT.blk), bus, RINGS);
  const rng = new TestVirtioDriver(mem, virtioBase(VIRTIO_SLOT.rng), bus, RINGS + 0x1_0000);
  return { mem, board, bus, disk, image, blk, rng };
}

function header(mem: ReturnType<typeof setup>['mem'], type: number, sector: number, at = HDR): void {
  const o = mem.ramOffset(at);
  mem.view.setUint32(o, type, true);
  mem.view.setUint32(o + 4, 0, true);
  mem.view.setBigUint64(o + 8, BigInt(sector), true);
}

const guest = (mem: ReturnType<typeof setup>['mem'], addr: number, len: number) =>
  mem.u8.subarray(mem.ramOffset(addr), mem.ramOffset(addr) + len);

describe('virtio-blk', () => {
  it('offers VERSION_1, INDIRECT_DESC, SEG_MAX, FLUSH and shows the capacity in config space', () => {
    const { blk, bus } = setup();
    const f = blk.deviceFeatures();
    for (const bit of [VIRTIO_F_VERSION_1, VIRTIO_RING_F_INDIRECT_DESC, VIRTIO_BLK_F_SEG_MAX, VIRTIO_BLK_F_FLUSH]) {
      expect(f & bit).toBe(bit);
    }
    expect(f & (1n << 29n)).toBe(0n); // no EVENT_IDX
    expect(blk.reg(VirtioReg.vendorId)).toBe(0x554d_4551);
    const base = virtioBase(VIRTIO_SLOT.blk);
    expect(Number(bus.load(base + 0x100, 4))).toBe(Math.floor(DISK_SIZE / 512)); // capacity low
    expect(Number(bus.load(base + 0x104, 4))).toBe(0); // capacity high
    expect(Number(bus.load(base + 0x100, 8))).toBe(Math.floor(DISK_SIZE / 512));
    expect(Number(bus.load(base + 0x10c, 4))).toBe(254); // seg_max
    expect(Number(bus.load(base + 0x114, 4))).toBe(512); // blk_size
    expect(Number(bus.load(base + 0x114, 2))).toBe(512);
  });

  it('refuses FEATURES_OK without VERSION_1', () => {
    const { blk } = setup();
    const status = blk.init(VIRTIO_BLK_F_FLUSH);
    expect(status & VirtioStatus.featuresOk).toBe(0);
  });

  it('reads sectors into guest buffers, with the used ring entry and an interrupt', () => {
    const { mem, blk, image } = setup();
    expect(blk.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_FLUSH | VIRTIO_BLK_F_SEG_MAX)).toBe(0xf);
    header(mem, VIRTIO_BLK_T_IN, 3);
    guest(mem, STATUS, 1)[0] = 0xff;
    // Two data segments (512 + 1024 bytes) after the header: a scattered read of sectors 3–5.
    const head = blk.submit([
      { addr: HDR, len: 16 },
      { addr: DATA, len: 512, write: true },
      { addr: DATA + 0x1000, len: 1024, write: true },
      { addr: STATUS, len: 1, write: true },
    ]);
    expect(blk.takeUsed()).toEqual([{ id: head, len: 1536 + 1 }]);
    expect(guest(mem, STATUS, 1)[0]).toBe(VIRTIO_BLK_S_OK);
    expect([...guest(mem, DATA, 512)]).toEqual([...image.subarray(3 * 512, 4 * 512)]);
    expect([...guest(mem, DATA + 0x1000, 1024)]).toEqual([...image.subarray(4 * 512, 6 * 512)]);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(MIP.SEIP);
    expect(blk.ack()).toBe(1);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(0);
  });

  it('writes sectors from guest buffers to the disk and tracks the written 4 KiB blocks', () => {
    const { mem, blk, disk, image } = setup();
    blk.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_FLUSH);
    expect(disk.dirtyBlocks()).toEqual([]);
    const payload = guest(mem, DATA, 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = 0xa0 ^ (i & 0xff);
    header(mem, VIRTIO_BLK_T_OUT, 15); // bytes 7680..8703: straddles blocks 1 and 2
    const head = blk.submit([{ addr: HDR, len: 16 }, { addr: DATA, len: 1024 }, { addr: STATUS, len: 1, write: true }]);
    expect(blk.takeUsed()).toEqual([{ id: head, len: 1 }]);
    expect(guest(mem, STATUS, 1)[0]).toBe(VIRTIO_BLK_S_OK);
    expect([...disk.bytes().subarray(15 * 512, 17 * 512)]).toEqual([...payload]);
    expect([...disk.bytes().subarray(0, 15 * 512)]).toEqual([...image.subarray(0, 15 * 512)]);
    expect(disk.dirtyBlocks()).toEqual([1, 2]);

    // Read back what was written, through an indirect table.
    blk.init(VIRTIO_F_VERSION_1 | VIRTIO_RING_F_INDIRECT_DESC);
    header(mem, VIRTIO_BLK_T_IN, 15);
    guest(mem, DATA + 0x8000, 1024).fill(0);
    const h2 = blk.submit([{ addr: HDR, len: 16 }, { addr: DATA + 0x8000, len: 1024, write: true }, { addr: STATUS, len: 1, write: true }], true);
    expect(blk.takeUsed()).toEqual([{ id: h2, len: 1025 }]);
    expect([...guest(mem, DATA + 0x8000, 1024)]).toEqual([...payload]);

    // The last sector of the disk (its size is not a multiple of 4 KiB).
    header(mem, VIRTIO_BLK_T_OUT, Math.floor(DISK_SIZE / 512) - 1);
    blk.submit([{ addr: HDR, len: 16 }, { addr: DATA, len: 512 }, { addr: STATUS, len: 1, write: true }], true);
    expect(guest(mem, STATUS, 1)[0]).toBe(VIRTIO_BLK_S_OK);
    expect(disk.dirtyBlocks()).toEqual([1, 2, Math.floor((DISK_SIZE - 1) / 4096)]);
    disk.clearDirty();
    expect(disk.dirtyBlocks()).toEqual([]);
  });

  it('answers IOERR past the end, UNSUPP for unknown types, and handles FLUSH and GET_ID', () => {
    const { mem, blk, board } = setup();
    blk.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_FLUSH);
    const sectors = Math.floor(DISK_SIZE / 512);
    header(mem, VIRTIO_BLK_T_IN, sectors - 1);
    blk.submit([{ addr: HDR, len: 16 }, { addr: DATA, len: 1024, write: true }, { addr: STATUS, len: 1, write: true }]);
    expect(guest(mem, STATUS, 1)[0]).toBe(VIRTIO_BLK_S_IOERR);
    header(mem, VIRTIO_BLK_T_OUT, 0);
    blk.submit([{ addr: HDR, len: 16 }, { addr: DATA, len: 100 }, { addr: STATUS, len: 1, write: true }]);
    expect(guest(mem, STATUS, 1)[0]).toBe(VIRTIO_BLK_S_IOERR); // not a whole sector
    header(mem, 99, 0);
    blk.submit([{ addr: HDR, len: 16 }, { addr: STATUS, len: 1, write: true }]);
    expect(guest(mem, STATUS, 1)[0]).toBe(VIRTIO_BLK_S_UNSUPP);

    header(mem, VIRTIO_BLK_T_FLUSH, 0);
    blk.submit([{ addr: HDR, len: 16 }, { addr: STATUS, len: 1, write: true }]);
    expect(guest(mem, STATUS, 1)[0]).toBe(VIRTIO_BLK_S_OK);
    expect(board.blk!.state.get('flushes')).toBe(1);
    // A driver reset (Status = 0) keeps the device's own counters; a power-on reset clears them.
    blk.set(VirtioReg.status, 0);
    expect(board.blk!.state.get('flushes')).toBe(1);
    expect(board.blk!.state.get('capacity')).toBe(Math.floor(DISK_SIZE / 512));
    board.blk!.state.locked(() => board.blk!.reset());
    expect(board.blk!.state.get('flushes')).toBe(0);
    blk.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_FLUSH);

    header(mem, VIRTIO_BLK_T_GET_ID, 0);
    guest(mem, DATA, 20).fill(0xee);
    blk.submit([{ addr: HDR, len: 16 }, { addr: DATA, len: 20, write: true }, { addr: STATUS, len: 1, write: true }]);
    expect(new TextDecoder().decode(guest(mem, DATA, 10))).toBe('amber-disk');
    expect(guest(mem, DATA + 10, 10).every((b) => b === 0)).toBe(true);
    expect(blk.takeUsed().map((u) => u.len)).toEqual([21]); // the earlier ones were before the re-init
  });

  it('processes every chain made available before one notify, and honours NO_INTERRUPT', () => {
    const { mem, blk } = setup();
    blk.init(VIRTIO_F_VERSION_1);
    blk.setAvailFlags(1);
    for (let i = 0; i < 3; i++) {
      header(mem, VIRTIO_BLK_T_IN, i, HDR + 16 * i);
      blk.add([{ addr: HDR + 16 * i, len: 16 }, { addr: DATA + 512 * i, len: 512, write: true }, { addr: STATUS + i, len: 1, write: true }]);
    }
    blk.notify();
    expect(blk.takeUsed().map((u) => u.id)).toEqual([0, 3, 6]);
    expect(blk.reg(VirtioReg.interruptStatus)).toBe(0);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(0);
  });

  it('sets DEVICE_NEEDS_RESET on a descriptor outside RAM, and a reset clears everything', () => {
    const { mem, blk } = setup();
    blk.init(VIRTIO_F_VERSION_1);
    header(mem, VIRTIO_BLK_T_IN, 0);
    blk.submit([{ addr: HDR, len: 16 }, { addr: 0x1000_0000, len: 512, write: true }, { addr: STATUS, len: 1, write: true }]);
    expect(blk.reg(VirtioReg.status) & VirtioStatus.needsReset).toBe(VirtioStatus.needsReset);
    expect(blk.reg(VirtioReg.interruptStatus) & 2).toBe(2);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(MIP.SEIP);
    blk.set(VirtioReg.status, 0);
    expect(blk.reg(VirtioReg.status)).toBe(0);
    expect(blk.reg(VirtioReg.interruptStatus)).toBe(0);
    expect(blk.reg(VirtioReg.queueReady)).toBe(0);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(0);
  });

  it('refuses an indirect descriptor the driver did not negotiate', () => {
    const { mem, blk } = setup();
    blk.init(VIRTIO_F_VERSION_1);
    header(mem, VIRTIO_BLK_T_IN, 0);
    blk.submit([{ addr: HDR, len: 16 }, { addr: DATA, len: 512, write: true }, { addr: STATUS, len: 1, write: true }], true);
    expect(blk.takeUsed()).toEqual([]);
    expect(blk.reg(VirtioReg.status) & VirtioStatus.needsReset).toBe(VirtioStatus.needsReset);
  });
});

describe('virtio-rng', () => {
  it('fills the guest buffers with random bytes', () => {
    const { mem, rng } = setup();
    expect(rng.deviceFeatures() & VIRTIO_F_VERSION_1).toBe(VIRTIO_F_VERSION_1);
    expect(rng.init(VIRTIO_F_VERSION_1)).toBe(0xf);
    const big = 200_000; // more than one getRandomValues chunk
    guest(mem, DATA, big).fill(0);
    guest(mem, DATA + 0x10_0000, 64).fill(0);
    const head = rng.submit([{ addr: DATA, len: big, write: true }, { addr: DATA + 0x10_0000, len: 64, write: true }]);
    expect(rng.takeUsed()).toEqual([{ id: head, len: big + 64 }]);
    const a = guest(mem, DATA, big);
    // Random bytes: every byte value appears, and no long zero run is left.
    expect(new Set(a).size).toBe(256);
    for (let i = 0; i < big; i += 4096) expect(a.subarray(i, i + 64).some((b) => b !== 0)).toBe(true);
    expect(guest(mem, DATA + 0x10_0000, 64).some((b) => b !== 0)).toBe(true);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(MIP.SEIP);
  });

  it('repeats exactly in deterministic mode', () => {
    const run = () => {
      const { mem, rng } = setup({ deterministic: true });
      rng.init(VIRTIO_F_VERSION_1);
      rng.submit([{ addr: DATA, len: 100, write: true }]);
      return [...guest(mem, DATA, 100)];
    };
    const first = run();
    expect(new Set(first).size).toBeGreaterThan(50);
    expect(run()).toEqual(first);
  });
});
