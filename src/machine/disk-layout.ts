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

/** Indices of the DISK_BLOCK_SIZE blocks of `bytes` that hold a non-zero byte, ascending. */
export function nonZeroBlocks(bytes: Uint8Array): number[] {
  const out: number[] = [];
  // Whole words, eight at a time, where the bytes are aligned (several times faster than bytes).
  const words = bytes.byteOffset % 4 === 0 ? new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2) : undefined;
  const blockWords = DISK_BLOCK_SIZE >> 2;
  for (let b = 0, at = 0; at < bytes.length; b++, at += DISK_BLOCK_SIZE) {
    const end = Math.min(bytes.length, at + DISK_BLOCK_SIZE);
    let i = at; // first byte not yet checked
    let nonZero = false;
    if (words) {
      const w0 = b * blockWords;
      const w1 = Math.min(words.length, w0 + blockWords);
      let w = w0;
      for (; w + 8 <= w1 && !nonZero; w += 8) {
        nonZero = (words[w] | words[w + 1] | words[w + 2] | words[w + 3] | words[w + 4] | words[w + 5] | words[w + 6] | words[w + 7]) !== 0;
      }
      for (; w < w1 && !nonZero; w++) nonZero = words[w] !== 0;
      i = w1 * 4;
    }
    for (; i < end && !nonZero; i++) nonZero = bytes[i] !== 0;
    if (nonZero) out.push(b);
  }
  return out;
}

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
    const blocks = sparseImageBlocks.get(image) ?? nonZeroBlocks(image);
    // Runs of consecutive blocks in one copy each.
    for (let i = 0; i < blocks.length; ) {
      let j = i + 1;
      while (j < blocks.length && blocks[j] === blocks[j - 1] + 1) j++;
      const from = blocks[i] * DISK_BLOCK_SIZE;
      target.set(image.subarray(from, Math.min(image.length, blocks[j - 1] * DISK_BLOCK_SIZE + DISK_BLOCK_SIZE)), from);
      i = j;
    }
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
