// Address translation (Sv39/Sv48), the per-hart software TLBs, and physical address resolution.
//
// TLBs: one set per privilege (U, S, M) so traps and xRET never flush; each set has fetch, load and
// store arrays, direct-mapped, 16-byte entries {tag = page VA (−1 = empty), delta = host − VA}.
// Loads/stores select the set of the *effective* privilege (MPRV), so MPRV/MPP changes only
// re-point the arrays. Anything that changes translations for a given privilege (satp, sfence.vma,
// SUM, MXR, PMP) calls flushTlb(). MMIO pages, the HTIF page and pages PMP splits are never cached.
import {
  HS_SATP, HS_MSTATUS, CTRL_RAM_SIZE_LO, CTRL_RAM_SIZE_HI, CTRL_TOHOST_LO, CTRL_TOHOST_HI,
  CTRL_RAM_DIRTY_BASE, CTRL_RAM_DIRTY_EPOCH, RAM_BASE, BOOTROM_BASE,
} from './generated/layout';
import { hb, rd64, priv, ctrl32, PRV_M, PRV_S, PRV_U, TLB_OFFSET, TLB_KIND_BYTES, TLB_SET_BYTES, TLB_BYTES, DCACHE_OFFSET } from './state';
import { MS_MPRV, MS_MPP_SHIFT, MS_SUM, MS_MXR, ACC_FETCH, ACC_LOAD, ACC_STORE,
  CAUSE_FETCH_PAGE, CAUSE_LOAD_PAGE, CAUSE_STORE_PAGE, CAUSE_FETCH_ACCESS, CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS } from './consts';
import { raise, excCause } from './trap';
import { pmpCheck } from './pmp';

const DRAM: u64 = 0x8000_0000;
const ROM: u64 = 0x1000;
const PPN_MASK: u64 = (<u64>1 << 44) - 1;

/** TLB arrays for the current mode: fetch uses priv, load/store the effective data privilege. */
export let tlbFetch: usize = 0;
export let tlbLoad: usize = 0;
export let tlbStore: usize = 0;
/** Effective privilege of loads and stores (MPRV). */
export let ldPriv: u32 = PRV_M;
/** Decode cache base (absolute). */
export let dcBase: usize = 0;

export let ramSize: u64 = 0;
export let tohost: u64 = 0;

/** Result side channels of resolve(). */
export let lastCacheable: bool = false;
export let mmioPa: u64 = 0;

@inline function setIndex(p: u32): u32 { return p == PRV_M ? 2 : p; }

/** Re-point the TLB arrays after a change of priv, MPRV or MPP. */
export function modeChanged(): void {
  const p = priv();
  const ms = rd64(HS_MSTATUS);
  let lp = p;
  if (p == PRV_M && (ms & MS_MPRV) != 0) lp = <u32>(ms >> MS_MPP_SHIFT) & 3;
  ldPriv = lp;
  const base = hb + TLB_OFFSET;
  tlbFetch = base + setIndex(p) * TLB_SET_BYTES;
  tlbLoad = base + setIndex(lp) * TLB_SET_BYTES + TLB_KIND_BYTES;
  tlbStore = base + setIndex(lp) * TLB_SET_BYTES + 2 * TLB_KIND_BYTES;
  dcBase = hb + DCACHE_OFFSET;
}

export function flushTlb(): void {
  memory.fill(hb + TLB_OFFSET, 0xff, TLB_BYTES);
  superLo = U64_MAX; superHi = 0;
}

// TLB entries are per 4 KiB page even for superpages. So that SFENCE.VMA with an address can drop
// one slot per array instead of everything, the VA span of all superpage-derived entries is kept:
// an address inside it (possibly a superpage's PTE) still flushes everything.
const U64_MAX: u64 = <u64>-1;
let superLo: u64 = U64_MAX;
let superHi: u64 = 0;
/** Level of the last leaf translate() found (0 = 4 KiB page; bare = 0). */
let lastLevel: u32 = 0;

/** SFENCE.VMA rs1 = va: drop what could hold a translation of va. */
export function flushTlbPage(va: u64): void {
  if (va >= superLo && va <= superHi) { flushTlb(); return; }
  const page = va & ~<u64>0xfff;
  const slot = <usize>((va >> 12) & <u64>(TLB_KIND_BYTES / 16 - 1)) << 4;
  for (let a: u32 = 0; a < 9; a++) {
    const t = hb + TLB_OFFSET + a * TLB_KIND_BYTES + slot;
    if (load<u64>(t) == page) store<u64>(t, U64_MAX);
  }
}

// RAM dirty-page tracking (snapshots copy RAM while the guest runs, then only the pages written
// since): a page's bit is set when a store TLB entry for it is filled and on every uncached store,
// so TLB-hit stores need no check. When the controller clears the bitmap it bumps the epoch; each
// hart drops its TLBs at its next run, so no entry filled before the clear survives it.
let dirtyBase: usize = 0;
let dirtyEpoch: u32 = 0;

/** Mark the guest RAM page holding RAM offset `off` as written. */
@inline function markDirty(off: u64): void {
  if (dirtyBase != 0) {
    const page = <u32>(off >> 12);
    atomic.or<u32>(dirtyBase + (<usize>(page >> 5) << 2), <u32>1 << (page & 31));
  }
}

/** Read machine-wide values the core caches (RAM size, HTIF address, dirty tracking). */
export function readControl(): void {
  ramSize = (<u64>ctrl32(CTRL_RAM_SIZE_HI) << 32) | <u64>ctrl32(CTRL_RAM_SIZE_LO);
  tohost = (<u64>ctrl32(CTRL_TOHOST_HI) << 32) | <u64>ctrl32(CTRL_TOHOST_LO);
  dirtyBase = <usize>ctrl32(CTRL_RAM_DIRTY_BASE);
  const epoch = ctrl32(CTRL_RAM_DIRTY_EPOCH);
  if (epoch != dirtyEpoch) {
    dirtyEpoch = epoch;
    flushTlb();
  }
}

@inline export function pageFaultCause(acc: u32): u64 {
  return acc == ACC_FETCH ? CAUSE_FETCH_PAGE : acc == ACC_LOAD ? CAUSE_LOAD_PAGE : CAUSE_STORE_PAGE;
}
@inline export function accessFaultCause(acc: u32): u64 {
  return acc == ACC_FETCH ? CAUSE_FETCH_ACCESS : acc == ACC_LOAD ? CAUSE_LOAD_ACCESS : CAUSE_STORE_ACCESS;
}

/**
 * Translate `va` for access kind `acc` at privilege `p` (privileged spec 4.3.2 / 4.4).
 * Returns the physical address; on a fault raises it (excCause) and returns 0.
 */
export function translate(va: u64, acc: u32, p: u32): u64 {
  const satp = rd64(HS_SATP);
  const mode = <u32>(satp >> 60);
  lastLevel = 0;
  if (p == PRV_M || mode == 0) return va;
  const levels: u32 = mode == 9 ? 4 : 3;
  const vaBits: u64 = 12 + 9 * <u64>levels;
  // Upper bits must equal bit vaBits-1.
  if ((<i64>(va << (64 - vaBits)) >> (64 - vaBits)) != <i64>va) { raise(pageFaultCause(acc), va); return 0; }
  const ms = rd64(HS_MSTATUS);
  while (true) { // restarts only if a concurrent PTE update beats our A/D cmpxchg
    let a = (satp & PPN_MASK) << 12;
    let i = <i32>levels - 1;
    let pte: u64 = 0;
    let ptePtr: usize = 0;
    while (true) {
      const pteAddr = a + (((va >> (12 + 9 * <u64>i)) & 511) << 3);
      // Page-table reads are S-mode implicit accesses: RAM only, PMP-checked.
      if (pteAddr - DRAM >= ramSize || !pmpCheck(pteAddr, 8, ACC_LOAD, PRV_S)) {
        raise(accessFaultCause(acc), va); return 0;
      }
      ptePtr = <usize>RAM_BASE + <usize>(pteAddr - DRAM);
      pte = atomic.load<u64>(ptePtr);
      if ((pte & 1) == 0 || (pte & 6) == 4 || (pte >> 54) != 0) { raise(pageFaultCause(acc), va); return 0; }
      if ((pte & 0xa) != 0) break; // R or X: leaf
      if (i == 0) { raise(pageFaultCause(acc), va); return 0; }
      i--;
      a = ((pte >> 10) & PPN_MASK) << 12;
    }
    // Leaf permission checks.
    const pu = (pte & 0x10) != 0;
    if (p == PRV_U) {
      if (!pu) { raise(pageFaultCause(acc), va); return 0; }
    } else if (pu && (acc == ACC_FETCH || (ms & MS_SUM) == 0)) {
      raise(pageFaultCause(acc), va); return 0;
    }
    let ok: bool;
    if (acc == ACC_FETCH) ok = (pte & 8) != 0;
    else if (acc == ACC_LOAD) ok = (pte & 2) != 0 || ((ms & MS_MXR) != 0 && (pte & 8) != 0);
    else ok = (pte & 4) != 0;
    if (!ok) { raise(pageFaultCause(acc), va); return 0; }
    const ppn = (pte >> 10) & PPN_MASK;
    const lowMask: u64 = (<u64>1 << (12 + 9 * <u64>i)) - 1;
    if (((ppn << 12) & lowMask) != 0) { raise(pageFaultCause(acc), va); return 0; } // misaligned superpage
    // Hardware A/D update, atomic against other harts and the guest.
    const want = pte | 0x40 | (acc == ACC_STORE ? <u64>0x80 : 0);
    if (want != pte) {
      if (atomic.cmpxchg<u64>(ptePtr, pte, want) != pte) continue;
      markDirty(<u64>(ptePtr - <usize>RAM_BASE));
    }
    lastLevel = <u32>i;
    return ((ppn << 12) & ~lowMask) | (va & lowMask);
  }
  return 0;
}

/**
 * Translate and locate `va` for an access of `size` bytes within one page.
 * Returns a host address for RAM/ROM (and fills the TLB when the page may be cached),
 * 1 for an MMIO access at `mmioPa`, or 0 after raising a fault.
 */
export function resolve(va: u64, size: u32, acc: u32): usize {
  const p = acc == ACC_FETCH ? priv() : ldPriv;
  const pa = translate(va, acc, p);
  if (excCause >= 0) return 0;
  lastCacheable = true;
  let host: usize;
  if (pa - DRAM < ramSize) {
    host = <usize>RAM_BASE + <usize>(pa - DRAM);
    if (acc == ACC_STORE) markDirty(pa - DRAM);
  } else if (pa - ROM < 0x1000) {
    if (acc == ACC_STORE) { raise(CAUSE_STORE_ACCESS, va); return 0; } // ROM is read/execute only
    host = <usize>BOOTROM_BASE + <usize>(pa - ROM);
  } else {
    lastCacheable = false;
    if (acc == ACC_FETCH || !pmpCheck(pa, size, acc, p)) { raise(accessFaultCause(acc), va); return 0; }
    mmioPa = pa;
    return 1;
  }
  if (tohost != 0 && acc != ACC_FETCH && ((pa ^ tohost) >> 12) == 0) {
    lastCacheable = false; // the HTIF page is never cached; its 16 bytes go to the host
    if (pa - tohost < 16) {
      if (!pmpCheck(pa, size, acc, p)) { raise(accessFaultCause(acc), va); return 0; }
      mmioPa = pa;
      return 1;
    }
  }
  if (!pmpCheck(pa & ~<u64>0xfff, 4096, acc, p)) {
    lastCacheable = false;
    if (!pmpCheck(pa, size, acc, p)) { raise(accessFaultCause(acc), va); return 0; }
  }
  if (lastCacheable) {
    if (lastLevel != 0) {
      const span: u64 = (<u64>1 << (12 + 9 * <u64>lastLevel)) - 1;
      if ((va & ~span) < superLo) superLo = va & ~span;
      if ((va | span) > superHi) superHi = va | span;
    }
    const arr = acc == ACC_FETCH ? tlbFetch : acc == ACC_LOAD ? tlbLoad : tlbStore;
    const t = arr + ((<usize>(va >> 12) & (TLB_KIND_BYTES / 16 - 1)) << 4);
    store<u64>(t, va & ~<u64>0xfff);
    store<u64>(t, <u64>host - va, 8);
  }
  return host;
}

