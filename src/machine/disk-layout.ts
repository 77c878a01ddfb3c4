/**
 * Where the virtio-blk disk lives in the one shared memory: right after guest RAM, its size
 * rounded up to 4 KiB, followed by its written-block bitmap (one bit per 4 KiB block).
 *
 *   RAM_BASE ─ guest RAM (ramBytes) ─ disk image (diskRegionBytes) ─ dirty bitmap (dirtyBitmapBytes)
 *
 * The controller creates the memory with `SharedMachineMemory.create(ramBytes, diskExtraBytes(diskSize))`
 * and copies the base image to `diskBase(ramBytes)` before the harts start. Snapshots store
 * only the blocks whose dirty bit is set, over the base image named by its hash.
 */
import { PAGE_SIZE, RAM_BASE } from './layout.ts';
import type { SharedMachineMemory } from './shared-memory.ts';

/** Granularity of written-block tracking. */
export const DISK_BLOCK_SIZE = 4096;

/**
 * Images (never changed afterwards) whose only non-zero DISK_BLOCK_SIZE blocks are known, in
 * ascending order — e.g. rebuilt from a record of them: DiskRegion.writeFresh copies just those
 * instead of scanning the whole image (whose untouched zero pages it would fault in).
 */
export const sparseImageBlocks = new WeakMap<Uint8Array, readonly number[]>();
export const SECTOR_SIZE = 512;

const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;

/** Wasm offset of the disk image for a machine with `ramBytes` of RAM. */
export function diskBase(ramBytes: number): number {
  return RAM_BASE + ramBytes;
}

/** Bytes the disk image occupies (its size rounded up to 4 KiB). */
export function diskRegionBytes(diskSize: number): number {
  return alignUp(diskSize, DISK_BLOCK_SIZE);
}

export function diskBlockCount(diskSize: number): number {
  return diskRegionBytes(diskSize) / DISK_BLOCK_SIZE;
}

/** Wasm offset of the dirty bitmap (4-byte aligned: bits are set with Atomics on u32 words). */
export function dirtyBitmapBase(ramBytes: number, diskSize: number): number {
  return diskBase(ramBytes) + diskRegionBytes(diskSize);
}

/** Bytes of the dirty bitmap, rounded up to a page. */
export function dirtyBitmapBytes(diskSize: number): number {
  return diskSize === 0 ? 0 : alignUp(Math.ceil(diskBlockCount(diskSize) / 8), PAGE_SIZE);
}

/** Extra shared-memory bytes after RAM for a disk of `diskSize` bytes (0 for no disk). */
export function diskExtraBytes(diskSize: number): number {
  return diskSize === 0 ? 0 : diskRegionBytes(diskSize) + dirtyBitmapBytes(diskSize);
}

/** The disk's bytes and its bitmap in one shared memory: helpers for device, controller and snapshots. */
export class DiskRegion {
  readonly base: number;
  readonly bitmapBase: number;
  readonly blocks: number;

  constructor(readonly mem: SharedMachineMemory, readonly ramBytes: number, readonly size: number) {
    this.base = diskBase(ramBytes);
    this.bitmapBase = dirtyBitmapBase(ramBytes, size);
    this.blocks = diskBlockCount(size);
    if (this.bitmapBase + dirtyBitmapBytes(size) > mem.u8.length) {
      throw new Error(`shared memory too small for a ${size}-byte disk after ${ramBytes} bytes of RAM`);
    }
  }

  /** The disk contents (a view into the shared memory). */
  bytes(): Uint8Array {
    return this.mem.u8.subarray(this.base, this.base + this.size);
  }

  /** The disk rounded up to whole 4 KiB blocks (what snapshot disk sections encode and decode into). */
  region(): Uint8Array {
    return this.mem.u8.subarray(this.base, this.base + diskRegionBytes(this.size));
  }

  /**
   * The written-block bitmap as bytes: bit i of byte i >> 3 is block i (the `written` format of
   * src/snapshot encodeDisk / decodeDiskInto; the u32 words it is kept in are little-endian).
   */
  bitmap(): Uint8Array {
    return this.mem.u8.subarray(this.bitmapBase, this.bitmapBase + Math.ceil(this.blocks / 8));
  }

  /** Replace the bitmap (after a snapshot restore wrote its blocks over the base image). */
  setBitmap(written: Uint8Array): void {
    const bits = this.bitmap();
    if (written.length < bits.length) throw new Error(`written-block bitmap has ${written.length} bytes, ${bits.length} needed`);
    this.clearDirty();
    bits.set(written.subarray(0, bits.length));
    // Bits past the last block stay clear.
    const tail = this.blocks & 7;
    if (tail) bits[bits.length - 1] &= (1 << tail) - 1;
  }

  /**
   * Copy `image` into a region known to hold only zeros (a fresh machine's memory): only its
   * non-zero 4 KiB blocks are written, which spares copying and faulting in the (usually many)
   * empty blocks of a disk image. The bitmap is left as it is.
   */
  writeFresh(image: Uint8Array): void {
    if (image.length !== this.size) throw new Error(`disk image is ${image.length} bytes, expected ${this.size}`);
    const target = this.bytes();
    const known = sparseImageBlocks.get(image);
    if (known) {
      for (const b of known) target.set(image.subarray(b * DISK_BLOCK_SIZE, (b + 1) * DISK_BLOCK_SIZE), b * DISK_BLOCK_SIZE);
      return;
    }
    if (image.byteOffset % 4 !== 0) {
      target.set(image);
      return;
    }
    const words = new Int32Array(image.buffer, image.byteOffset, image.length >> 2);
    const blockWords = DISK_BLOCK_SIZE >> 2;
    let runStart = -1; // first byte of the current run of non-zero blocks
    const flush = (end: number) => {
      if (runStart >= 0) target.set(image.subarray(runStart, end), runStart);
      runStart = -1;
    };
    for (let b = 0; b * DISK_BLOCK_SIZE < image.length; b++) {
      const from = b * blockWords;
      const to = Math.min(words.length, from + blockWords);
      let nonZero = false;
      let i = from;
      // Eight words at a time, one test each (about 1.5 times as fast as a test per word).
      for (; i + 8 <= to; i += 8) {
        if ((words[i] | words[i + 1] | words[i + 2] | words[i + 3] | words[i + 4] | words[i + 5] | words[i + 6] | words[i + 7]) !== 0) {
          nonZero = true;
          break;
        }
      }
      for (; !nonZero && i < to; i++) nonZero = words[i] !== 0;
      // The last block's bytes past the last whole word (an image size not a multiple of 4).
      if (!nonZero && (b + 1) * DISK_BLOCK_SIZE >= image.length) {
        for (let i = words.length * 4; i < image.length; i++) if (image[i] !== 0) nonZero = true;
      }
      if (nonZero) {
        if (runStart < 0) runStart = b * DISK_BLOCK_SIZE;
      } else flush(b * DISK_BLOCK_SIZE);
    }
    flush(image.length);
  }

  /** Copy the base image in (controller, before the harts start) and clear the bitmap. */
  loadImage(image: Uint8Array): void {
    if (image.length !== this.size) throw new Error(`disk image is ${image.length} bytes, expected ${this.size}`);
    this.mem.u8.set(image, this.base);
    this.mem.u8.fill(0, this.base + this.size, this.base + diskRegionBytes(this.size));
    this.clearDirty();
  }

  /** Mark the blocks overlapping disk bytes [offset, offset + length) as written. */
  markDirty(offset: number, length: number): void {
    if (length <= 0) return;
    const first = Math.floor(offset / DISK_BLOCK_SIZE);
    const last = Math.floor((offset + length - 1) / DISK_BLOCK_SIZE);
    const i32 = this.mem.i32;
    for (let b = first; b <= last; b++) {
      Atomics.or(i32, (this.bitmapBase >> 2) + (b >> 5), 1 << (b & 31));
    }
  }

  isDirty(block: number): boolean {
    return (Atomics.load(this.mem.i32, (this.bitmapBase >> 2) + (block >> 5)) & (1 << (block & 31))) !== 0;
  }

  /** Indices of written blocks, ascending. */
  dirtyBlocks(): number[] {
    const out: number[] = [];
    const words = Math.ceil(this.blocks / 32);
    for (let w = 0; w < words; w++) {
      let bits = Atomics.load(this.mem.i32, (this.bitmapBase >> 2) + w);
      while (bits !== 0) {
        const b = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        out.push(w * 32 + b);
      }
    }
    return out;
  }

  clearDirty(): void {
    this.mem.u8.fill(0, this.bitmapBase, this.bitmapBase + dirtyBitmapBytes(this.size));
  }
}
