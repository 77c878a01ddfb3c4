/**
 * virtio-blk (device id 2) over virtio-mmio, backed by the disk image in the shared memory
 * after guest RAM (src/machine/disk-layout.ts). Every write marks its 4 KiB blocks in the
 * dirty bitmap, so snapshots store only written blocks over the base image.
 *
 * Features: SEG_MAX, BLK_SIZE (512), FLUSH. Requests: IN, OUT, FLUSH, GET_ID; others
 * answer UNSUPP. A FLUSH has nothing to do in memory; it bumps `flushes`, which the host
 * may watch to persist written blocks.
 */
import { DiskRegion, SECTOR_SIZE } from '../machine/disk-layout.ts';
import type { SharedMachineMemory } from '../machine/shared-memory.ts';
import type { InterruptSink } from './device.ts';
import { Chain, VirtioMmio, defineVirtioSchema } from './virtio-mmio.ts';

export const VIRTIO_ID_BLOCK = 2;

export const VIRTIO_BLK_F_SEG_MAX = 1n << 2n;
export const VIRTIO_BLK_F_BLK_SIZE = 1n << 6n;
export const VIRTIO_BLK_F_FLUSH = 1n << 9n;

export const VIRTIO_BLK_T_IN = 0;
export const VIRTIO_BLK_T_OUT = 1;
export const VIRTIO_BLK_T_FLUSH = 4;
export const VIRTIO_BLK_T_GET_ID = 8;

export const VIRTIO_BLK_S_OK = 0;
export const VIRTIO_BLK_S_IOERR = 1;
export const VIRTIO_BLK_S_UNSUPP = 2;

export const VIRTIO_BLK_QUEUE_SIZE = 256;
const ID_BYTES = 20;
const HEADER_BYTES = 16;

export const virtioBlkSchema = defineVirtioSchema('virtio-blk', {
  /** Capacity in 512-byte sectors the guest was shown (checked against the disk on load). */
  capacity: { type: 'u64' },
  /** FLUSH requests completed. */
  flushes: { type: 'u32' },
});

export class VirtioBlk extends VirtioMmio<typeof virtioBlkSchema.fields> {
  readonly deviceId = VIRTIO_ID_BLOCK;
  readonly deviceTypeFeatures = VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH;
  readonly queueCount = 1;
  readonly disk: DiskRegion;
  private readonly capacity: number;

  constructor(
    mem: SharedMachineMemory,
    slot: number,
    name: string,
    base: number,
    irq: number,
    irqs: InterruptSink,
    /** Guest RAM bytes (the disk follows RAM) and the disk's size in bytes. */
    ramBytes: number,
    diskSize: number,
    /** GET_ID answer (at most 20 bytes, zero-padded). */
    private readonly serial = 'amber-disk',
  ) {
    super(mem, slot, virtioBlkSchema, name, base, irq, irqs);
    this.disk = new DiskRegion(mem, ramBytes, diskSize);
    this.capacity = Math.floor(diskSize / SECTOR_SIZE);
  }

  queueMax(): number {
    return VIRTIO_BLK_QUEUE_SIZE;
  }

  protected deviceReset(): void {
    this.state.set('capacity', this.capacity);
  }

  protected validateLoad(): void {
    const saved = this.state.get('capacity');
    if (saved !== this.capacity) {
      throw new Error(`${this.name}: state was saved for a ${saved}-sector disk, this one has ${this.capacity}`);
    }
  }

  configSpace(): Uint8Array {
    const cfg = new Uint8Array(64);
    const v = new DataView(cfg.buffer);
    v.setBigUint64(0, BigInt(this.capacity), true); // capacity
    v.setUint32(8, 0, true); // size_max (not offered)
    v.setUint32(12, VIRTIO_BLK_QUEUE_SIZE - 2, true); // seg_max, as QEMU
    v.setUint32(20, SECTOR_SIZE, true); // blk_size
    return cfg;
  }

  handle(_q: number, chain: Chain): number {
    if (chain.readable < HEADER_BYTES || chain.writable < 1) return 0; // no header or no status byte
    const mem = this.mem;
    const hdr = new DataView(chain.read(mem, 0, HEADER_BYTES).buffer);
    const type = hdr.getUint32(0, true);
    const sector = hdr.getUint32(8, true) + hdr.getUint32(12, true) * 2 ** 32;
    const statusAt = chain.writable - 1;
    let status = VIRTIO_BLK_S_OK;
    let written = 1;
    switch (type) {
      case VIRTIO_BLK_T_IN: {
        const len = chain.writable - 1;
        if (!this.inRange(sector, len)) {
          status = VIRTIO_BLK_S_IOERR;
          break;
        }
        const src = this.disk.base + sector * SECTOR_SIZE;
        chain.forEach(true, 0, len, (off, n, pos) => mem.u8.copyWithin(off, src + pos, src + pos + n));
        written = len + 1;
        break;
      }
      case VIRTIO_BLK_T_OUT: {
        const len = chain.readable - HEADER_BYTES;
        if (!this.inRange(sector, len)) {
          status = VIRTIO_BLK_S_IOERR;
          break;
        }
        const at = sector * SECTOR_SIZE;
        const dst = this.disk.base + at;
        chain.forEach(false, HEADER_BYTES, len, (off, n, pos) => mem.u8.copyWithin(dst + pos, off, off + n));
        this.disk.markDirty(at, len);
        break;
      }
      case VIRTIO_BLK_T_FLUSH:
        this.state.set('flushes', (this.state.get('flushes') + 1) >>> 0);
        break;
      case VIRTIO_BLK_T_GET_ID: {
        const id = new Uint8Array(ID_BYTES);
        id.set(new TextEncoder().encode(this.serial).subarray(0, ID_BYTES));
        const n = Math.min(ID_BYTES, chain.writable - 1);
        chain.write(mem, 0, id.subarray(0, n));
        written = n + 1;
        break;
      }
      default:
        status = VIRTIO_BLK_S_UNSUPP;
        break;
    }
    chain.write(mem, statusAt, Uint8Array.of(status));
    return written;
  }

  private inRange(sector: number, len: number): boolean {
    return len % SECTOR_SIZE === 0 && sector <= this.capacity && sector + len / SECTOR_SIZE <= this.capacity;
  }
}
