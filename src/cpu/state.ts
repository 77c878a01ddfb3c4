// Per-instance (= per-thread) bindings to this hart's block in the shared memory,
// and the accessors every other core file uses for architectural state.
import {
  HART_BASE, HART_STRIDE, HART_SCRATCH_OFFSET, CONTROL_BASE,
  HS_X, HS_F, HS_MSTATUS, HS_PRIV,
} from './generated/layout';

/** Base address of this hart's block (module global: one per instance/thread). */
export let hb: usize = HART_BASE;
export let hartId: u32 = 0;

export function bindHart(id: u32): void {
  hartId = id;
  hb = <usize>HART_BASE + <usize>id * <usize>HART_STRIDE;
}

// ── Scratch area (hart-private caches; never saved) ─────────────────────
// Offsets relative to the hart block. Everything here is rebuilt by flushCaches().
/** Writes to x0 land here (decode maps rd = x0 to this slot), so handlers never test rd. */
export const X0_SINK: u32 = HART_SCRATCH_OFFSET;            // 8 bytes (+ pad)
/** Decoded entry used for instructions that straddle a page boundary (never cached). */
export const SPLIT_ENTRY: u32 = HART_SCRATCH_OFFSET + 32;   // one entry
/** TLBs: 3 privilege sets (U, S, M) × 3 kinds (fetch, load, store) × TLB_ENTRIES × 16 bytes. */
export const TLB_OFFSET: u32 = HART_SCRATCH_OFFSET + 4096;
export const TLB_BITS: u32 = 9;
export const TLB_ENTRIES: u32 = 1 << TLB_BITS;
export const TLB_KIND_BYTES: u32 = TLB_ENTRIES * 16;
export const TLB_SET_BYTES: u32 = TLB_KIND_BYTES * 3;
export const TLB_BYTES: u32 = TLB_SET_BYTES * 3;          // 72 KiB
/**
 * Block cache: BLOCK_COUNT slots of BLOCK_BYTES, indexed by a hash of the host address of a
 * block's first instruction (block.ts). Slot = a 24-byte header + up to BLOCK_MAX decoded entries.
 */
export const DCACHE_OFFSET: u32 = HART_SCRATCH_OFFSET + 128 * 1024;
export const ENTRY_BYTES: u32 = 24;
export const BLOCK_BITS: u32 = 12;
export const BLOCK_COUNT: u32 = 1 << BLOCK_BITS;
export const BLOCK_MAX: u32 = 15;
export const BLOCK_BYTES: u32 = (BLOCK_MAX + 1) * ENTRY_BYTES;
export const DCACHE_BYTES: u32 = BLOCK_COUNT * BLOCK_BYTES;  // 1.5 MiB
/** A page of zeros: the run loop's "no fetch page" points here (its bits decode as illegal). */
export const ZERO_PAGE: u32 = DCACHE_OFFSET + DCACHE_BYTES;

// ── Registers ───────────────────────────────────────────────────────────
/** Byte offset of integer register r inside the hart block. */
@inline export function xoff(r: u32): u32 { return HS_X + (r << 3); }
/** Byte offset of float register r inside the hart block. */
@inline export function foff(r: u32): u32 { return HS_F + (r << 3); }

/** Read/write a u64 by byte offset in the hart block (registers and CSR fields). */
@inline export function rd64(off: u32): u64 { return load<u64>(hb + off); }
@inline export function wr64(off: u32, v: u64): void { store<u64>(hb + off, v); }

@inline export function getX(r: u32): u64 { return load<u64>(hb + (r << 3)); }
@inline export function setX(r: u32, v: u64): void { if (r != 0) store<u64>(hb + (r << 3), v); }

@inline export function priv(): u32 { return <u32>load<u64>(hb + HS_PRIV); }
@inline export function mstatus(): u64 { return load<u64>(hb + HS_MSTATUS); }

// ── Control block ───────────────────────────────────────────────────────
@inline export function ctrl32(off: u32): u32 { return atomic.load<u32>(CONTROL_BASE + off); }

export const PRV_U: u32 = 0;
export const PRV_S: u32 = 1;
export const PRV_M: u32 = 3;

/** A full fence. (Binaryen rejects AS's atomic.fence(); a seq-cst RMW on a private word orders the same.) */
@inline export function fullFence(): void { atomic.add<u32>(hb + X0_SINK + 8, 0); }
