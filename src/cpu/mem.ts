// Guest loads, stores, atomics and instruction fetch. The fast paths are @inline TLB hits
// (one compare, alignment folded into the tag); everything else is in the *Slow functions.
// Misaligned loads/stores are performed (as QEMU), including across pages.
import { HS_PC, HS_MIP, HS_MIE, HOST_MMIO_FAULT, HOST_HOST_REQUEST } from './generated/layout';
import { hb, wr64, rd64, SPLIT_ENTRY, TLB_ENTRIES } from './state';
import { ACC_FETCH, ACC_LOAD, ACC_STORE, CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS,
  CAUSE_LOAD_MISALIGNED, CAUSE_STORE_MISALIGNED } from './consts';
import { tlbLoad, tlbStore, tlbFetch, resolve, mmioPa, lastCacheable } from './mmu';
import { raise, excCause, takeException } from './trap';
import { mmioLoad, mmioStore } from './host';
import { syncCounters, forceExit, exitKind, POISON, EXIT_HOST, EXIT_RESYNC } from './sched';
import { wrd } from './isa/entry';
import { decode } from './decode';

const PAGE_MASK: u64 = ~<u64>0xfff;

@inline export function tlbSlot(arr: usize, va: u64): usize {
  return arr + ((<usize>(va >> 12) & (TLB_ENTRIES - 1)) << 4);
}
/** TLB tag to compare for an access of sizeof<T> at va: misaligned addresses never match. */
@inline export function tlbKey<T>(va: u64): u64 { return va & ~(<u64>0xfff ^ <u64>(sizeof<T>() - 1)); }

/** The rest of a load instruction after a TLB miss (budget already synced). */
export function loadSlowInsn(e: usize, va: u64, size: u32, signed: bool, pc: u64, npc: u64): u64 {
  const v = readSlow(va, size, signed, pc);
  if (excCause >= 0) return takeException(pc);
  wrd(e, v);
  return exitKind != 0 ? npc ^ POISON : npc;
}
/** The rest of a store instruction after a TLB miss (budget already synced). */
export function storeSlowInsn(va: u64, size: u32, v: u64, pc: u64, npc: u64): u64 {
  writeSlow(va, size, v, pc);
  if (excCause >= 0) return takeException(pc);
  return exitKind != 0 ? npc ^ POISON : npc;
}

/** Load sizeof<T> bytes at `va`, sign- or zero-extended per T. `pc` is written back before MMIO. */
@inline export function memRead<T>(va: u64, pc: u64): u64 {
  const t = tlbSlot(tlbLoad, va);
  if (load<u64>(t) == (va & ~(<u64>0xfff ^ <u64>(sizeof<T>() - 1)))) {
    const h = <usize>(va + load<u64>(t, 8));
    if (isSigned<T>()) return <u64><i64>load<T>(h);
    return <u64>load<T>(h);
  }
  return readSlow(va, <u32>sizeof<T>(), isSigned<T>(), pc);
}

@inline export function memWrite<T>(va: u64, v: u64, pc: u64): void {
  const t = tlbSlot(tlbStore, va);
  if (load<u64>(t) == (va & ~(<u64>0xfff ^ <u64>(sizeof<T>() - 1)))) {
    store<T>(<usize>(va + load<u64>(t, 8)), <T>v);
    return;
  }
  writeSlow(va, <u32>sizeof<T>(), v, pc);
}

@inline function hostRead(h: usize, size: u32): u64 {
  if (size == 1) return <u64>load<u8>(h);
  if (size == 2) return <u64>load<u16>(h);
  if (size == 4) return <u64>load<u32>(h);
  return load<u64>(h);
}
@inline function hostWrite(h: usize, size: u32, v: u64): void {
  if (size == 1) store<u8>(h, <u8>v);
  else if (size == 2) store<u16>(h, <u16>v);
  else if (size == 4) store<u32>(h, <u32>v);
  else store<u64>(h, v);
}
@inline function sext(v: u64, size: u32): u64 {
  const sh = 64 - (size << 3);
  return <u64>((<i64>(v << sh)) >> sh);
}

/** After a host call: honour a host request, and notice interrupts a device just raised. */
function afterHostCall(): void {
  if (atomic.load<u32>(hb + HOST_HOST_REQUEST) != 0) {
    atomic.store<u32>(hb + HOST_HOST_REQUEST, 0);
    forceExit(EXIT_HOST);
  } else if ((atomic.load<u64>(hb + HS_MIP) & rd64(HS_MIE)) != 0) {
    forceExit(EXIT_RESYNC);
  }
}

function mmioRead(pa: u64, size: u32, va: u64, pc: u64): u64 {
  wr64(HS_PC, pc); syncCounters();
  atomic.store<u32>(hb + HOST_MMIO_FAULT, 0);
  const v = mmioLoad(pa, <i32>size);
  if (atomic.load<u32>(hb + HOST_MMIO_FAULT) != 0) { raise(CAUSE_LOAD_ACCESS, va); return 0; }
  afterHostCall();
  return v;
}

function mmioWrite(pa: u64, size: u32, v: u64, va: u64, pc: u64): void {
  wr64(HS_PC, pc); syncCounters();
  atomic.store<u32>(hb + HOST_MMIO_FAULT, 0);
  mmioStore(pa, <i32>size, size == 8 ? v : v & ((<u64>1 << (size << 3)) - 1));
  if (atomic.load<u32>(hb + HOST_MMIO_FAULT) != 0) { raise(CAUSE_STORE_ACCESS, va); return; }
  afterHostCall();
}

@inline function crossesPage(va: u64, size: u32): bool { return (va & 0xfff) + size > 0x1000; }

export function readSlow(va: u64, size: u32, signed: bool, pc: u64): u64 {
  let v: u64 = 0;
  if (crossesPage(va, size)) {
    // Check both pages first so a fault is precise, then assemble bytes.
    if (resolve(va, 1, ACC_LOAD) == 0 && excCause >= 0) return 0;
    if (resolve(va + size - 1, 1, ACC_LOAD) == 0 && excCause >= 0) return 0;
    for (let i: u32 = 0; i < size; i++) {
      v |= readSlow(va + i, 1, false, pc) << (i << 3);
      if (excCause >= 0) return 0;
    }
  } else {
    const h = resolve(va, size, ACC_LOAD);
    if (h == 0) return 0;
    v = h == 1 ? mmioRead(mmioPa, size, va, pc) : hostRead(h, size);
  }
  return signed ? sext(v, size) : v;
}

export function writeSlow(va: u64, size: u32, v: u64, pc: u64): void {
  if (crossesPage(va, size)) {
    if (resolve(va, 1, ACC_STORE) == 0 && excCause >= 0) return;
    if (resolve(va + size - 1, 1, ACC_STORE) == 0 && excCause >= 0) return;
    for (let i: u32 = 0; i < size; i++) {
      writeSlow(va + i, 1, v >> (i << 3), pc);
      if (excCause >= 0) return;
    }
    return;
  }
  const h = resolve(va, size, ACC_STORE);
  if (h == 0) return;
  if (h == 1) mmioWrite(mmioPa, size, v, va, pc);
  else hostWrite(h, size, v);
}

/**
 * Host address for an LR/SC/AMO of `size` bytes at `va` (RAM only, naturally aligned).
 * LR checks like a load; SC/AMO like a store (they need write permission). 0 after a fault.
 */
export function amoHost(va: u64, size: u32, isLoad: bool): usize {
  if ((va & <u64>(size - 1)) != 0) {
    raise(isLoad ? CAUSE_LOAD_MISALIGNED : CAUSE_STORE_MISALIGNED, va);
    return 0;
  }
  const arr = isLoad ? tlbLoad : tlbStore;
  const t = tlbSlot(arr, va);
  if (load<u64>(t) == (va & PAGE_MASK)) return <usize>(va + load<u64>(t, 8));
  const h = resolve(va, size, isLoad ? ACC_LOAD : ACC_STORE);
  if (h == 1) { raise(isLoad ? CAUSE_LOAD_ACCESS : CAUSE_STORE_ACCESS, va); return 0; } // no atomics on MMIO
  return h;
}

// ── Instruction fetch ─────────────────────────────────────────────────
// The run loop keeps the current fetch page in locals; fetchSlow reports the page of pc through
// these globals, and whether the loop may run from it directly (not if PMP splits the page).
export let gFPage: u64 = 0;
export let gFDelta: u64 = 0;
export let gFCacheable: bool = false;
export const FETCH_BLOCKS: usize = 1;

/**
 * Slow fetch: translate pc (TLB or walk) and report its page. Returns 0 after a fault; FETCH_BLOCKS
 * when the loop may run blocks from the page at pc; otherwise the private entry (SPLIT_ENTRY), decoded
 * afresh (the last halfword of a page, where a 32-bit instruction straddles two; PMP-split pages).
 */
export function fetchSlow(pc: u64): usize {
  const page = pc & PAGE_MASK;
  const t = tlbSlot(tlbFetch, pc);
  let delta: u64;
  let cacheable = true;
  if (load<u64>(t) == page) {
    delta = load<u64>(t, 8);
  } else {
    const h = resolve(pc, 2, ACC_FETCH);
    if (h == 0) return 0;
    delta = <u64>h - pc;
    cacheable = lastCacheable;
  }
  gFPage = page; gFDelta = delta; gFCacheable = cacheable;
  const h = <usize>(pc + delta);
  const e = hb + SPLIT_ENTRY;
  if ((pc & 0xfff) != 0xffe) {
    if (cacheable) return FETCH_BLOCKS;
    decode(load<u32>(h), e);
    return e;
  }
  // The last halfword of a page: a 32-bit instruction continues on the next page.
  let raw: u32 = load<u16>(h);
  if ((raw & 3) == 3) {
    const t2 = tlbSlot(tlbFetch, pc + 2);
    let h2: usize;
    if (load<u64>(t2) == ((pc + 2) & PAGE_MASK)) h2 = <usize>(pc + 2 + load<u64>(t2, 8));
    else {
      h2 = resolve(pc + 2, 2, ACC_FETCH);
      if (h2 == 0) return 0;
    }
    raw |= <u32>load<u16>(h2) << 16;
  }
  decode(raw, e);
  return e;
}
