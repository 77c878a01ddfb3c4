/**
 * virtio-mmio transport, version 2 (virtio 1.x §4.2), with split virtqueues in guest RAM.
 *
 * A device type (blk, rng, …) extends `VirtioMmio`, adding its id, features, config space
 * and a `handle` function for one descriptor chain. Requests are processed synchronously
 * inside the QueueNotify write, in the hart thread that wrote it, under the device's lock;
 * the used ring is updated and the interrupt raised before the write returns.
 *
 * Offered transport features: VIRTIO_F_VERSION_1 and VIRTIO_RING_F_INDIRECT_DESC.
 * VIRTIO_RING_F_EVENT_IDX is not offered, so notification suppression is just the avail
 * ring's NO_INTERRUPT flag.
 *
 * Every piece of transport state is in the device's state block (schema fields below,
 * merged with the device type's own fields); a model object holds only host wiring.
 */
import type { SharedMachineMemory } from '../machine/shared-memory.ts';
import type { AccessSize, Device, InterruptSink } from './device.ts';
import { DeviceState, type FieldDecls, type StateSchema, defineSchema } from './state.ts';

export const VIRTIO_MAGIC = 0x7472_6976; // 'virt'
export const VIRTIO_VENDOR_QEMU = 0x554d_4551; // 'QEMU'
/** Queues a transport can hold state for (blk and rng use one). */
export const VIRTIO_MAX_QUEUES = 4;

export const VirtioReg = {
  magic: 0x000,
  version: 0x004,
  deviceId: 0x008,
  vendorId: 0x00c,
  deviceFeatures: 0x010,
  deviceFeaturesSel: 0x014,
  driverFeatures: 0x020,
  driverFeaturesSel: 0x024,
  queueSel: 0x030,
  queueNumMax: 0x034,
  queueNum: 0x038,
  queueReady: 0x044,
  queueNotify: 0x050,
  interruptStatus: 0x060,
  interruptAck: 0x064,
  status: 0x070,
  queueDescLow: 0x080,
  queueDescHigh: 0x084,
  queueDriverLow: 0x090,
  queueDriverHigh: 0x094,
  queueDeviceLow: 0x0a0,
  queueDeviceHigh: 0x0a4,
  shmSel: 0x0ac,
  shmLenLow: 0x0b0,
  shmLenHigh: 0x0b4,
  shmBaseLow: 0x0b8,
  shmBaseHigh: 0x0bc,
  configGeneration: 0x0fc,
  config: 0x100,
} as const;

export const VirtioStatus = {
  acknowledge: 1,
  driver: 2,
  driverOk: 4,
  featuresOk: 8,
  needsReset: 0x40,
  failed: 0x80,
} as const;

export const VIRTIO_F_VERSION_1 = 1n << 32n;
export const VIRTIO_RING_F_INDIRECT_DESC = 1n << 28n;

export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;
export const VIRTQ_DESC_F_INDIRECT = 4;
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;

/** InterruptStatus bits. */
export const VIRTIO_INT_VRING = 1;
export const VIRTIO_INT_CONFIG = 2;

/** Transport fields, present in every virtio device's schema. */
export const virtioTransportFields = {
  status: { type: 'u32' },
  deviceFeaturesSel: { type: 'u32' },
  /** Features the driver accepted, low and high words. */
  driverFeatures: { type: 'u32', count: 2 },
  driverFeaturesSel: { type: 'u32' },
  queueSel: { type: 'u32' },
  interruptStatus: { type: 'u32' },
  configGeneration: { type: 'u32' },
  irqLevel: { type: 'u8' },
  queueNum: { type: 'u32', count: VIRTIO_MAX_QUEUES },
  queueReady: { type: 'u8', count: VIRTIO_MAX_QUEUES },
  queueDesc: { type: 'u64', count: VIRTIO_MAX_QUEUES },
  queueDriver: { type: 'u64', count: VIRTIO_MAX_QUEUES },
  queueDevice: { type: 'u64', count: VIRTIO_MAX_QUEUES },
  /** Next avail ring index the device will read. */
  lastAvail: { type: 'u16', count: VIRTIO_MAX_QUEUES },
  /** Used ring index the device last published. */
  usedIdx: { type: 'u16', count: VIRTIO_MAX_QUEUES },
} as const satisfies FieldDecls;

export type VirtioTransportFields = typeof virtioTransportFields;

/** A virtio device type's schema: the transport fields followed by its own. */
export function defineVirtioSchema<F extends FieldDecls>(
  name: string,
  fields: F,
): StateSchema<VirtioTransportFields & F> {
  return defineSchema({ name, version: 1, fields: { ...virtioTransportFields, ...fields } });
}

/** One segment of a descriptor chain, as a byte range of the shared memory. */
export interface ChainSegment {
  /** Wasm offset in the shared memory. */
  offset: number;
  length: number;
  /** Device-writable (VIRTQ_DESC_F_WRITE). */
  write: boolean;
}

/** A descriptor chain resolved to shared-memory ranges. */
export class Chain {
  readonly segments: ChainSegment[] = [];
  readable = 0;
  writable = 0;

  constructor(readonly head: number) {}

  add(offset: number, length: number, write: boolean): void {
    this.segments.push({ offset, length, write });
    if (write) this.writable += length;
    else this.readable += length;
  }

  /**
   * Visit bytes [skip, skip + length) of the chain's readable (write = false) or writable
   * (write = true) part, as contiguous shared-memory ranges: fn(offset, length, position).
   */
  forEach(write: boolean, skip: number, length: number, fn: (offset: number, length: number, pos: number) => void): void {
    let pos = 0;
    let done = 0;
    for (const s of this.segments) {
      if (s.write !== write || done >= length) continue;
      const start = Math.max(skip - pos, 0);
      if (start < s.length) {
        const n = Math.min(s.length - start, length - done);
        fn(s.offset + start, n, done);
        done += n;
      }
      pos += s.length;
    }
  }

  /** Copy `length` readable bytes starting at `skip` out of the chain. */
  read(mem: SharedMachineMemory, skip: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.forEach(false, skip, length, (off, n, p) => out.set(mem.u8.subarray(off, off + n), p));
    return out;
  }

  /** Copy `bytes` into the writable part at `skip`. */
  write(mem: SharedMachineMemory, skip: number, bytes: Uint8Array): void {
    this.forEach(true, skip, bytes.length, (off, n, p) => mem.u8.set(bytes.subarray(p, p + n), off));
  }
}

export abstract class VirtioMmio<F extends FieldDecls = FieldDecls> implements Device<VirtioTransportFields & F> {
  readonly state: DeviceState<VirtioTransportFields & F>;
  readonly size = 0x1000;
  private readonly u16: Uint16Array;

  /** Virtio device id (2 = block, 4 = entropy). */
  abstract readonly deviceId: number;
  /** Device-type feature bits; the transport adds VERSION_1 and INDIRECT_DESC. */
  abstract readonly deviceTypeFeatures: bigint;
  abstract readonly queueCount: number;
  /** QueueNumMax of queue `q`. */
  abstract queueMax(q: number): number;
  /** The device-specific configuration space, as bytes (read at 0x100). */
  abstract configSpace(): Uint8Array;
  /** Process one available chain of queue `q`; return the bytes written into its writable part. */
  abstract handle(q: number, chain: Chain): number;

  constructor(
    readonly mem: SharedMachineMemory,
    slot: number,
    schema: StateSchema<VirtioTransportFields & F>,
    readonly name: string,
    readonly base: number,
    readonly irq: number,
    protected readonly irqs: InterruptSink,
  ) {
    this.state = new DeviceState(mem, slot, schema);
    this.u16 = new Uint16Array(mem.buffer);
  }

  get deviceFeatures(): bigint {
    return this.deviceTypeFeatures | VIRTIO_F_VERSION_1 | VIRTIO_RING_F_INDIRECT_DESC;
  }

  /** Features the driver accepted. */
  get driverFeatures(): bigint {
    const s = this.ts;
    return BigInt(s.get('driverFeatures', 0)) | (BigInt(s.get('driverFeatures', 1)) << 32n);
  }

  /** The state seen through its transport fields only (keeps field names checked in this file). */
  private get ts(): DeviceState<VirtioTransportFields> {
    return this.state as unknown as DeviceState<VirtioTransportFields>;
  }

  reset(): void {
    this.state.clear();
    this.deviceReset();
    this.updateIrq(true);
  }

  afterLoad(): void {
    this.validateLoad();
    this.updateIrq(true);
  }

  /**
   * Reset by the driver (Status = 0): the transport fields go back to zero (queues, features,
   * status, interrupt); the device type's own fields (a disk's flush counter…) are kept.
   */
  private driverReset(): void {
    const s = this.ts;
    for (const [name, decl] of Object.entries(virtioTransportFields) as Array<[keyof VirtioTransportFields, { type: string; count?: number }]>) {
      for (let i = 0; i < (decl.count ?? 1); i++) {
        if (decl.type === 'u64') s.set64(name, 0n, i);
        else s.set(name, 0, i);
      }
    }
    this.updateIrq(true);
  }

  /** Device-type power-on state of its own fields (after the whole block was zeroed). */
  protected deviceReset(): void {}
  /** Device-type check of loaded state (throw if it cannot belong to this machine). */
  protected validateLoad(): void {}
  /** Device-type config space write (most devices have none). */
  protected configWrite(_offset: number, _size: AccessSize, _value: number): void {}

  read(offset: number, size: AccessSize): bigint {
    if (offset >= VirtioReg.config) {
      const cfg = this.configSpace();
      const at = offset - VirtioReg.config;
      let v = 0n;
      for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(cfg[at + i] ?? 0);
      return v;
    }
    if (size !== 4) return 0n;
    const s = this.ts;
    const q = s.get('queueSel');
    const qv = q < this.queueCount;
    switch (offset) {
      case VirtioReg.magic: return BigInt(VIRTIO_MAGIC);
      case VirtioReg.version: return 2n;
      case VirtioReg.deviceId: return BigInt(this.deviceId);
      case VirtioReg.vendorId: return BigInt(VIRTIO_VENDOR_QEMU);
      case VirtioReg.deviceFeatures: {
        const sel = s.get('deviceFeaturesSel');
        return sel < 2 ? (this.deviceFeatures >> BigInt(32 * sel)) & 0xffff_ffffn : 0n;
      }
      case VirtioReg.queueNumMax: return BigInt(qv ? this.queueMax(q) : 0);
      case VirtioReg.queueReady: return BigInt(qv ? s.get('queueReady', q) : 0);
      case VirtioReg.interruptStatus: return BigInt(s.get('interruptStatus'));
      case VirtioReg.status: return BigInt(s.get('status'));
      case VirtioReg.configGeneration: return BigInt(s.get('configGeneration'));
      case VirtioReg.shmLenLow: case VirtioReg.shmLenHigh:
      case VirtioReg.shmBaseLow: case VirtioReg.shmBaseHigh:
        return 0xffff_ffffn; // no shared memory regions
      case VirtioReg.queueDescLow: return qv ? this.half('queueDesc', q, 0) : 0n;
      case VirtioReg.queueDescHigh: return qv ? this.half('queueDesc', q, 1) : 0n;
      case VirtioReg.queueDriverLow: return qv ? this.half('queueDriver', q, 0) : 0n;
      case VirtioReg.queueDriverHigh: return qv ? this.half('queueDriver', q, 1) : 0n;
      case VirtioReg.queueDeviceLow: return qv ? this.half('queueDevice', q, 0) : 0n;
      case VirtioReg.queueDeviceHigh: return qv ? this.half('queueDevice', q, 1) : 0n;
      default: return 0n;
    }
  }

  write(offset: number, size: AccessSize, value: bigint): void {
    if (offset >= VirtioReg.config) {
      this.configWrite(offset - VirtioReg.config, size, Number(value & 0xffff_ffffn));
      return;
    }
    if (size !== 4) return;
    const s = this.ts;
    const v = Number(value & 0xffff_ffffn);
    const q = s.get('queueSel');
    const qv = q < this.queueCount;
    switch (offset) {
      case VirtioReg.deviceFeaturesSel: s.set('deviceFeaturesSel', v); break;
      case VirtioReg.driverFeaturesSel: s.set('driverFeaturesSel', v); break;
      case VirtioReg.driverFeatures: {
        const sel = s.get('driverFeaturesSel');
        // Only before FEATURES_OK; bits the device does not offer are dropped.
        if (sel < 2 && !(s.get('status') & VirtioStatus.featuresOk)) {
          s.set('driverFeatures', v & Number((this.deviceFeatures >> BigInt(32 * sel)) & 0xffff_ffffn), sel);
        }
        break;
      }
      case VirtioReg.queueSel: s.set('queueSel', v); break;
      case VirtioReg.queueNum:
        if (qv && v <= this.queueMax(q)) s.set('queueNum', v, q);
        break;
      case VirtioReg.queueReady:
        if (qv) s.set('queueReady', v & 1, q);
        break;
      case VirtioReg.queueNotify:
        if (v < this.queueCount) this.notify(v);
        break;
      case VirtioReg.interruptAck:
        s.set('interruptStatus', s.get('interruptStatus') & ~v);
        this.updateIrq();
        break;
      case VirtioReg.status: this.writeStatus(v); break;
      case VirtioReg.queueDescLow: if (qv) this.setHalf('queueDesc', q, 0, v); break;
      case VirtioReg.queueDescHigh: if (qv) this.setHalf('queueDesc', q, 1, v); break;
      case VirtioReg.queueDriverLow: if (qv) this.setHalf('queueDriver', q, 0, v); break;
      case VirtioReg.queueDriverHigh: if (qv) this.setHalf('queueDriver', q, 1, v); break;
      case VirtioReg.queueDeviceLow: if (qv) this.setHalf('queueDevice', q, 0, v); break;
      case VirtioReg.queueDeviceHigh: if (qv) this.setHalf('queueDevice', q, 1, v); break;
      default: break;
    }
  }

  private half(field: 'queueDesc' | 'queueDriver' | 'queueDevice', q: number, hi: number): bigint {
    return (this.ts.get64(field, q) >> BigInt(32 * hi)) & 0xffff_ffffn;
  }

  private setHalf(field: 'queueDesc' | 'queueDriver' | 'queueDevice', q: number, hi: number, v: number): void {
    const s = this.ts;
    const shift = BigInt(32 * hi);
    const old = s.get64(field, q);
    s.set64(field, (old & ~(0xffff_ffffn << shift)) | (BigInt(v) << shift), q);
  }

  private writeStatus(v: number): void {
    const s = this.ts;
    if (v === 0) {
      this.driverReset();
      return;
    }
    let status = v & 0xff;
    if ((status & VirtioStatus.featuresOk) && !(s.get('status') & VirtioStatus.featuresOk)) {
      // A modern driver must accept VERSION_1; otherwise FEATURES_OK does not stick.
      if (!(this.driverFeatures & VIRTIO_F_VERSION_1)) status &= ~VirtioStatus.featuresOk;
    }
    s.set('status', status);
  }

  /** Raise the used-buffer interrupt (device types that complete work later call this). */
  protected signalUsed(): void {
    const s = this.ts;
    s.set('interruptStatus', s.get('interruptStatus') | VIRTIO_INT_VRING);
    this.updateIrq();
  }

  /** The device found the driver's rings broken: set DEVICE_NEEDS_RESET and tell the driver. */
  protected fail(): void {
    const s = this.ts;
    s.set('status', s.get('status') | VirtioStatus.needsReset);
    s.set('interruptStatus', s.get('interruptStatus') | VIRTIO_INT_CONFIG);
    this.updateIrq();
  }

  private updateIrq(force = false): void {
    const s = this.ts;
    const level = s.get('interruptStatus') !== 0 ? 1 : 0;
    if (force || level !== s.get('irqLevel')) {
      s.set('irqLevel', level);
      this.irqs.setLevel(this.irq, level === 1);
    }
  }

  /** QueueNotify: consume every available chain of queue `q`. */
  notify(q: number): void {
    const s = this.ts;
    if (!s.get('queueReady', q) || (s.get('status') & VirtioStatus.needsReset)) return;
    const num = s.get('queueNum', q);
    if (num === 0) return;
    const mem = this.mem;
    const descOff = mem.ramOffset(Number(s.get64('queueDesc', q)), 16 * num);
    const availOff = mem.ramOffset(Number(s.get64('queueDriver', q)), 6 + 2 * num);
    const usedOff = mem.ramOffset(Number(s.get64('queueDevice', q)), 6 + 8 * num);
    if (descOff < 0 || availOff < 0 || usedOff < 0 || (availOff & 1) || (usedOff & 3)) {
      this.fail();
      return;
    }
    const view = mem.view;
    const u16 = this.u16;
    let last = s.get('lastAvail', q);
    let used = s.get('usedIdx', q);
    let any = false;
    for (;;) {
      const availIdx = Atomics.load(u16, (availOff + 2) >> 1);
      if (availIdx === last) break;
      if (((availIdx - last) & 0xffff) > num) {
        this.fail();
        break;
      }
      const head = view.getUint16(availOff + 4 + 2 * (last % num), true);
      last = (last + 1) & 0xffff;
      const chain = this.walk(descOff, num, head);
      if (!chain) {
        this.fail();
        break;
      }
      const written = this.handle(q, chain);
      const elem = usedOff + 4 + 8 * (used % num);
      view.setUint32(elem, head, true);
      view.setUint32(elem + 4, written, true);
      mem.markRamWritten(elem, 8);
      mem.markRamWritten(usedOff + 2, 2);
      used = (used + 1) & 0xffff;
      Atomics.store(u16, (usedOff + 2) >> 1, used); // publishes the element written above
      any = true;
    }
    s.set('lastAvail', last, q);
    s.set('usedIdx', used, q);
    if (any && !(Atomics.load(u16, availOff >> 1) & VIRTQ_AVAIL_F_NO_INTERRUPT)) this.signalUsed();
  }

  /** Resolve the chain starting at descriptor `head` (following one indirect table), or null if malformed. */
  private walk(descOff: number, num: number, head: number): Chain | null {
    const mem = this.mem;
    const view = mem.view;
    const chain = new Chain(head);
    const indirectOk = (this.driverFeatures & VIRTIO_RING_F_INDIRECT_DESC) !== 0n;
    let table = descOff;
    let size = num;
    let indirect = false;
    let i = head;
    let steps = 0;
    for (;;) {
      if (i >= size) return null;
      const d = table + 16 * i;
      const addr = view.getUint32(d, true) + view.getUint32(d + 4, true) * 2 ** 32;
      const len = view.getUint32(d + 8, true);
      const flags = view.getUint16(d + 12, true);
      const next = view.getUint16(d + 14, true);
      if (flags & VIRTQ_DESC_F_INDIRECT) {
        if (indirect || !indirectOk || (flags & VIRTQ_DESC_F_NEXT) || len === 0 || len % 16 !== 0) return null;
        const t = mem.ramOffset(addr, len);
        if (t < 0) return null;
        table = t;
        size = len / 16;
        indirect = true;
        i = 0;
        steps = 0;
        continue;
      }
      if (len > 0) {
        const off = mem.ramOffset(addr, len);
        if (off < 0) return null;
        const write = (flags & VIRTQ_DESC_F_WRITE) !== 0;
        chain.add(off, len, write);
        if (write) mem.markRamWritten(off, len); // the device may write it: snapshots' dirty tracking
      }
      if (!(flags & VIRTQ_DESC_F_NEXT)) return chain;
      i = next;
      if (++steps >= size) return null; // a loop
    }
  }
}

export const virtioEmptySchema = defineSchema({ name: 'virtio-mmio-empty', version: 1, fields: {} });

/**
 * A transport slot with no device behind it. As QEMU's: MagicValue and Version read as
 * usual and DeviceID reads 0, which Linux takes as "nothing here" without a message.
 */
export class VirtioEmptySlot implements Device<Record<string, never>> {
  readonly state: DeviceState<Record<string, never>>;
  readonly size = 0x1000;

  constructor(mem: SharedMachineMemory, slot: number, readonly name: string, readonly base: number) {
    this.state = new DeviceState(mem, slot, virtioEmptySchema);
  }

  reset(): void {}

  read(offset: number, size: AccessSize): bigint {
    if (size !== 4) return 0n;
    switch (offset) {
      case VirtioReg.magic: return BigInt(VIRTIO_MAGIC);
      case VirtioReg.version: return 2n;
      case VirtioReg.vendorId: return BigInt(VIRTIO_VENDOR_QEMU);
      default: return 0n;
    }
  }

  write(): void {}
}
