/**
 * A minimal virtio-mmio driver for tests: negotiates features, sets up one split virtqueue
 * in guest RAM and submits descriptor chains (direct or through an indirect table), the way
 * Linux's virtio_mmio and virtio_ring do.
 */
import type { AccessSize } from '../../src/devices/device.ts';
import { VirtioReg } from '../../src/devices/virtio-mmio.ts';
import type { SharedMachineMemory } from '../../src/machine/shared-memory.ts';

export interface Buf {
  addr: number;
  len: number;
  write?: boolean;
}

export class TestVirtioDriver {
  readonly desc: number;
  readonly avail: number;
  readonly used: number;
  private nextDesc = 0;
  private availIdx = 0;
  private usedSeen = 0;

  constructor(
    readonly mem: SharedMachineMemory,
    readonly base: number,
    readonly bus: { load(paddr: number, size: AccessSize): bigint; store(paddr: number, size: AccessSize, v: bigint): void },
    /** Guest physical address of a free 64 KiB area for the rings and indirect tables. */
    readonly area: number,
    readonly queueSize = 16,
  ) {
    this.desc = area;
    this.avail = area + 0x1000;
    this.used = area + 0x2000;
  }

  reg(offset: number): number {
    return Number(this.bus.load(this.base + offset, 4));
  }

  set(offset: number, value: number): void {
    this.bus.store(this.base + offset, 4, BigInt(value >>> 0));
  }

  deviceFeatures(): bigint {
    this.set(VirtioReg.deviceFeaturesSel, 1);
    const hi = BigInt(this.reg(VirtioReg.deviceFeatures) >>> 0);
    this.set(VirtioReg.deviceFeaturesSel, 0);
    return (hi << 32n) | BigInt(this.reg(VirtioReg.deviceFeatures) >>> 0);
  }

  /** Reset, negotiate `features` (∩ the device's), set up queue 0, DRIVER_OK. Returns the status read back. */
  init(features: bigint): number {
    this.set(VirtioReg.status, 0);
    this.nextDesc = 0;
    this.availIdx = 0;
    this.usedSeen = 0;
    this.set(VirtioReg.status, 1);
    this.set(VirtioReg.status, 1 | 2);
    const accepted = features & this.deviceFeatures();
    this.set(VirtioReg.driverFeaturesSel, 0);
    this.set(VirtioReg.driverFeatures, Number(accepted & 0xffff_ffffn));
    this.set(VirtioReg.driverFeaturesSel, 1);
    this.set(VirtioReg.driverFeatures, Number(accepted >> 32n));
    this.set(VirtioReg.status, 1 | 2 | 8);
    if (!(this.reg(VirtioReg.status) & 8)) return this.reg(VirtioReg.status);
    this.mem.u8.fill(0, this.mem.ramOffset(this.area), this.mem.ramOffset(this.area) + 0x3000);
    this.set(VirtioReg.queueSel, 0);
    if (this.reg(VirtioReg.queueReady) !== 0) throw new Error('queue already live');
    if (this.reg(VirtioReg.queueNumMax) < this.queueSize) throw new Error('queue too small');
    this.set(VirtioReg.queueNum, this.queueSize);
    this.set(VirtioReg.queueDescLow, this.desc);
    this.set(VirtioReg.queueDescHigh, 0);
    this.set(VirtioReg.queueDriverLow, this.avail);
    this.set(VirtioReg.queueDriverHigh, 0);
    this.set(VirtioReg.queueDeviceLow, this.used);
    this.set(VirtioReg.queueDeviceHigh, 0);
    this.set(VirtioReg.queueReady, 1);
    this.set(VirtioReg.status, 1 | 2 | 8 | 4);
    return this.reg(VirtioReg.status);
  }

  private writeDesc(table: number, i: number, b: Buf, flags: number, next: number): void {
    const o = this.mem.ramOffset(table + 16 * i);
    const v = this.mem.view;
    v.setBigUint64(o, BigInt(b.addr), true);
    v.setUint32(o + 8, b.len, true);
    v.setUint16(o + 12, flags, true);
    v.setUint16(o + 14, next, true);
  }

  /** Put a chain in the avail ring (not yet notified); returns its head id. */
  add(bufs: Buf[], indirect = false): number {
    const head = this.nextDesc;
    if (indirect) {
      const table = this.area + 0x4000 + 0x400 * (head % 16);
      bufs.forEach((b, i) => this.writeDesc(table, i, b, (i < bufs.length - 1 ? 1 : 0) | (b.write ? 2 : 0), i + 1));
      this.writeDesc(this.desc, head, { addr: table, len: 16 * bufs.length }, 4, 0);
      this.nextDesc = (this.nextDesc + 1) % this.queueSize;
    } else {
      bufs.forEach((b, i) => {
        const id = (head + i) % this.queueSize;
        const last = i === bufs.length - 1;
        this.writeDesc(this.desc, id, b, (last ? 0 : 1) | (b.write ? 2 : 0), (id + 1) % this.queueSize);
      });
      this.nextDesc = (this.nextDesc + bufs.length) % this.queueSize;
    }
    const v = this.mem.view;
    const a = this.mem.ramOffset(this.avail);
    v.setUint16(a + 4 + 2 * (this.availIdx % this.queueSize), head, true);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    v.setUint16(a + 2, this.availIdx, true);
    return head;
  }

  notify(q = 0): void {
    this.set(VirtioReg.queueNotify, q);
  }

  /** Submit one chain and notify. */
  submit(bufs: Buf[], indirect = false): number {
    const head = this.add(bufs, indirect);
    this.notify();
    return head;
  }

  usedIdx(): number {
    return this.mem.view.getUint16(this.mem.ramOffset(this.used) + 2, true);
  }

  /** Used ring entries published since the last call. */
  takeUsed(): Array<{ id: number; len: number }> {
    const out: Array<{ id: number; len: number }> = [];
    const u = this.mem.ramOffset(this.used);
    while (this.usedSeen !== this.usedIdx()) {
      const e = u + 4 + 8 * (this.usedSeen % this.queueSize);
      out.push({ id: this.mem.view.getUint32(e, true), len: this.mem.view.getUint32(e + 4, true) });
      this.usedSeen = (this.usedSeen + 1) & 0xffff;
    }
    return out;
  }

  /** Read and acknowledge InterruptStatus. */
  ack(): number {
    const s = this.reg(VirtioReg.interruptStatus);
    this.set(VirtioReg.interruptAck, s);
    return s;
  }

  setAvailFlags(flags: number): void {
    this.mem.view.setUint16(this.mem.ramOffset(this.avail), flags, true);
  }
}
