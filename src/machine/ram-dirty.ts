/**
 * Which guest RAM pages were written since the bitmap was last cleared: what lets a checkpoint
 * copy RAM while the guest runs and then, in the pause, only the pages written since.
 *
 *   RAM_BASE ─ guest RAM ─ disk image and its bitmap (disk-layout.ts) ─ RAM dirty bitmap
 *
 * One bit per 4 KiB page (bit i of u32 word i >> 5), set with atomics by
 * - the hart core (src/cpu/mmu.ts) when it fills a store TLB entry for a RAM page, on every
 *   store it does not cache, and when it sets a PTE's A/D bits. TLB-hit stores do not check:
 *   after clearing the bitmap the controller bumps `Ctrl.ramDirtyEpoch`, and every hart drops
 *   its TLBs at its next run, so no store can reach a page whose entry predates the clear.
 * - devices writing guest RAM (virtio buffers and used rings, HTIF): SharedMachineMemory.markRamWritten.
 * Bits may be set for pages that were not written (a TLB entry used only to load); never the
 * other way round.
 */
import { Ctrl, PAGE_SIZE, RAM_BASE } from './layout.ts';
import type { SharedMachineMemory } from './shared-memory.ts';

/** Bytes of the bitmap for `ramBytes` of RAM, rounded up to a page. */
export function ramDirtyBitmapBytes(ramBytes: number): number {
  return Math.ceil(Math.ceil(ramBytes / PAGE_SIZE / 8) / PAGE_SIZE) * PAGE_SIZE;
}

export class RamDirtyMap {
  readonly base: number;
  readonly pages: number;

  constructor(readonly mem: SharedMachineMemory) {
    this.base = mem.ctrl(Ctrl.ramDirtyBase) >>> 0;
    this.pages = mem.ramSize / PAGE_SIZE;
    if (this.base === 0) throw new Error('this machine has no RAM dirty bitmap');
  }

  /** Place the bitmap at wasm offset `base` (after everything else), cleared. Before any hart runs. */
  static install(mem: SharedMachineMemory, base: number): void {
    if (base % PAGE_SIZE !== 0 || base < RAM_BASE + mem.ramSize || base + ramDirtyBitmapBytes(mem.ramSize) > mem.u8.length) {
      throw new Error(`RAM dirty bitmap at ${base} does not fit the shared memory`);
    }
    mem.u8.fill(0, base, base + ramDirtyBitmapBytes(mem.ramSize));
    mem.setCtrl(Ctrl.ramDirtyBase, base);
  }

  /**
   * Clear every bit and bump the epoch, so that each hart drops its TLBs before it runs again.
   * Call with every hart parked (or none started): a hart inside a run could go on storing
   * through a TLB entry filled before the clear.
   */
  clear(): void {
    this.mem.u8.fill(0, this.base, this.base + Math.ceil(this.pages / 32) * 4);
    this.mem.addCtrl(Ctrl.ramDirtyEpoch, 1);
  }

  /** The bits as bytes (bit i of byte i >> 3 = page i; the u32 words are little-endian), a copy. */
  snapshot(): Uint8Array {
    return this.mem.u8.slice(this.base, this.base + Math.ceil(this.pages / 8));
  }
}
