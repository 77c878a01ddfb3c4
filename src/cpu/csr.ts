// Control and status registers. Privilege and read-only-ness come from the address bits
// (csr[9:8] = lowest privilege, csr[11:10] = 3 → read-only), checked once in csrAllowed().
// Each CSR is one `case` in csrRead and, if writable, one in csrWrite:
// read view (masks), WARL write mask, side effects. sstatus/sie/sip are masked views of the
// M registers, never copies. mip is shared with other threads: always atomic.
import {
  HS_MSTATUS, HS_MISA, HS_MEDELEG, HS_MIDELEG, HS_MIE, HS_MIP, HS_MTVEC, HS_MSCRATCH, HS_MEPC,
  HS_MCAUSE, HS_MTVAL, HS_MCOUNTEREN, HS_MENVCFG, HS_MHARTID, HS_STVEC, HS_SSCRATCH, HS_SEPC,
  HS_SCAUSE, HS_STVAL, HS_SCOUNTEREN, HS_SENVCFG, HS_SATP, HS_FCSR, HS_CYCLE, HS_INSTRET,
  HS_PMPCFG, HS_PMPADDR, HS_MCOUNTINHIBIT, CTRL_FLAGS, CTRL_IDLE_TICKS_LO, CTRL_IDLE_TICKS_HI, HART_BASE,
} from './generated/layout';
import { hb, rd64, wr64, priv, ctrl32, PRV_M, PRV_S, PRV_U } from './state';
import {
  MS_SIE, MS_MIE, MS_SPIE, MS_MPIE, MS_SPP, MS_MPP, MS_FS, MS_MPRV, MS_SUM, MS_MXR, MS_TVM, MS_TW,
  MS_TSR, MS_SD, MS_XL64, MS_UXL, S_INTS, ALL_INTS, MIP_SSIP, MEDELEG_MASK, MISA_VALUE,
} from './consts';
import { flushTlb, modeChanged } from './mmu';
import { pmpWriteCfg, pmpWriteAddr } from './pmp';
import { syncCounters, unretire } from './sched';
import { mtime } from './host';

export const CSR_FFLAGS: u32 = 0x001, CSR_FRM: u32 = 0x002, CSR_FCSR: u32 = 0x003;
export const CSR_CYCLE: u32 = 0xc00, CSR_TIME: u32 = 0xc01, CSR_INSTRET: u32 = 0xc02;
export const CSR_SSTATUS: u32 = 0x100, CSR_SIE: u32 = 0x104, CSR_STVEC: u32 = 0x105, CSR_SCOUNTEREN: u32 = 0x106;
export const CSR_SENVCFG: u32 = 0x10a, CSR_SSCRATCH: u32 = 0x140, CSR_SEPC: u32 = 0x141, CSR_SCAUSE: u32 = 0x142;
export const CSR_STVAL: u32 = 0x143, CSR_SIP: u32 = 0x144, CSR_SATP: u32 = 0x180;
export const CSR_MSTATUS: u32 = 0x300, CSR_MISA: u32 = 0x301, CSR_MEDELEG: u32 = 0x302, CSR_MIDELEG: u32 = 0x303;
export const CSR_MIE: u32 = 0x304, CSR_MTVEC: u32 = 0x305, CSR_MCOUNTEREN: u32 = 0x306, CSR_MENVCFG: u32 = 0x30a;
export const CSR_MCOUNTINHIBIT: u32 = 0x320, CSR_MSCRATCH: u32 = 0x340, CSR_MEPC: u32 = 0x341, CSR_MCAUSE: u32 = 0x342;
export const CSR_MTVAL: u32 = 0x343, CSR_MIP: u32 = 0x344, CSR_PMPCFG0: u32 = 0x3a0, CSR_PMPCFG2: u32 = 0x3a2;
export const CSR_PMPADDR0: u32 = 0x3b0, CSR_MCYCLE: u32 = 0xb00, CSR_MINSTRET: u32 = 0xb02;
export const CSR_MVENDORID: u32 = 0xf11, CSR_MARCHID: u32 = 0xf12, CSR_MIMPID: u32 = 0xf13;
export const CSR_MHARTID: u32 = 0xf14, CSR_MCONFIGPTR: u32 = 0xf15;

const SSTATUS_RMASK: u64 = MS_SIE | MS_SPIE | MS_SPP | MS_FS | MS_SUM | MS_MXR | MS_UXL | MS_SD;
const SSTATUS_WMASK: u64 = MS_SIE | MS_SPIE | MS_SPP | MS_FS | MS_SUM | MS_MXR;
const MSTATUS_WMASK: u64 = MS_SIE | MS_MIE | MS_SPIE | MS_MPIE | MS_SPP | MS_MPP | MS_FS | MS_MPRV
  | MS_SUM | MS_MXR | MS_TVM | MS_TW | MS_TSR;

/** False after csrAccess met a CSR that does not exist or may not be accessed now. */
export let csrOk: bool = true;

/** Privilege and read-only rules from the CSR number (privileged spec 2.1). */
export function csrAllowed(csr: u32, write: bool): bool {
  if (priv() < ((csr >> 8) & 3)) return false;
  if (write && (csr >> 10) == 3) return false;
  // satp under TVM is an S-mode trap.
  if (csr == CSR_SATP && priv() == PRV_S && (rd64(HS_MSTATUS) & MS_TVM) != 0) return false;
  return true;
}

@inline function fsOn(): bool { return (rd64(HS_MSTATUS) & MS_FS) != 0; }

/** mcounteren/scounteren gate for counter `i` (0 cycle, 1 time, 2 instret, 3.. hpm). */
function counterAllowed(i: u32): bool {
  const p = priv();
  if (p == PRV_M) return true;
  if (((rd64(HS_MCOUNTEREN) >> i) & 1) == 0) return false;
  if (p == PRV_U && ((rd64(HS_SCOUNTEREN) >> i) & 1) == 0) return false;
  return true;
}

export function readTime(): u64 {
  if ((ctrl32(CTRL_FLAGS) & 1) != 0) {
    // Deterministic mode (src/machine/clock.ts): hart 0's instret / 10 + ticks skipped while idle.
    syncCounters();
    const idle = (<u64>ctrl32(CTRL_IDLE_TICKS_HI) << 32) | <u64>ctrl32(CTRL_IDLE_TICKS_LO);
    return atomic.load<u64>(HART_BASE + HS_INSTRET) / 10 + idle;
  }
  return mtime();
}

/** Set FS = Dirty (and SD): any write to FP state. */
@inline export function fsDirty(): void {
  wr64(HS_MSTATUS, rd64(HS_MSTATUS) | MS_FS | MS_SD);
}

// ── The CSR table ───────────────────────────────────────────────────────
// csrAccess(csr, w, v) reads the CSR and, when w, writes v through its WARL mask and runs its side
// effect; it returns the value before the write. One row per CSR: the helper names the kind
// (plain register, masked view, counter, …), the arguments are the field, read mask, write mask.
// Reads have no side effects, so "rd = x0: no read" needs no special case. A CSR that does not
// exist, or whose predicate fails (FS off, counter not enabled), clears csrOk: illegal instruction.

const ALL: u64 = <u64>-1;
/** Value of the current access's write, or none. */
let wr: bool = false;
let wv: u64 = 0;
/** What the instruction's read of the CSR returned (csrInsn reads, then writes). */
let readValue: u64 = 0;

/** A register in the hart block: read & rmask; write (old & ~wmask) | (v & wmask). */
@inline function reg(off: u32, rmask: u64, wmask: u64): u64 {
  const old = rd64(off);
  if (wr) wr64(off, (old & ~wmask) | (wv & wmask));
  return old & rmask;
}
/** A read-only-zero register (writes ignored: WARL). */
@inline function zero(): u64 { return 0; }
/** An unimplemented or unavailable CSR. */
@inline function absent(): u64 { csrOk = false; return 0; }

/** fflags/frm/fcsr: a field of fcsr at `shift`, `bits` wide; needs FS != Off; writes dirty FS. */
function fcsrField(shift: u64, bits: u64): u64 {
  if (!fsOn()) return absent();
  const m: u64 = ((<u64>1 << bits) - 1) << shift;
  const old = rd64(HS_FCSR);
  if (wr) { wr64(HS_FCSR, (old & ~m) | ((wv << shift) & m)); fsDirty(); }
  return (old & m) >> shift;
}
/** cycle/time/instret/hpmcounterN seen from any mode: gated by mcounteren/scounteren. */
function counter(i: u32): u64 {
  if (!counterAllowed(i)) return absent();
  if (i == 0) { syncCounters(); return rd64(HS_CYCLE); }
  if (i == 1) return readTime();
  if (i == 2) { syncCounters(); return rd64(HS_INSTRET); }
  return 0; // hpmcounters
}
/** mstatus and its sstatus view. */
function status(rmask: u64, wmask: u64): u64 {
  const old = rd64(HS_MSTATUS);
  if (wr) writeMstatus((old & ~wmask) | (wv & wmask));
  return old & rmask;
}
/**
 * mip (wmask = software-writable bits) and the sip view (through mideleg). mip is shared: devices
 * on other threads set and clear bits (SEIP from the PLIC) between the instruction's read and its
 * write, so the write changes only the bits the instruction changed from what it read. (Writing
 * back every bit of wmask would put back a SEIP read just before the PLIC raised it: the PLIC
 * drives its output only on a change, so that interrupt would be lost for good.)
 */
function pending(rmask: u64, wmask: u64): u64 {
  const old = atomic.load<u64>(hb + HS_MIP);
  if (wr) updateMip((wv ^ readValue) & wmask, wv);
  return old & rmask;
}
/** mtvec/stvec: direct or vectored; MODE ≥ 2 is reserved and keeps the old mode. */
function tvec(off: u32): u64 {
  const old = rd64(off);
  if (wr) wr64(off, legalTvec(wv, old));
  return old;
}
/** satp: Bare, Sv39, Sv48; a write naming another mode (e.g. Sv57) is ignored entirely. */
function satp(): u64 {
  const old = rd64(HS_SATP);
  if (wr) {
    const mode = wv >> 60;
    if (mode == 0 || mode == 8 || mode == 9) { wr64(HS_SATP, wv); flushTlb(); }
  }
  return old;
}
/** mcycle/minstret: the written value is what the next instruction reads (the writer doesn't count). */
function machineCounter(off: u32): u64 {
  syncCounters();
  const old = rd64(off);
  if (wr) {
    if (off == HS_INSTRET) { wr64(off, wv); unretire(); }
    else wr64(off, wv - 1);
  }
  return old;
}
function pmpcfg(idx: u32): u64 {
  const old = rd64(HS_PMPCFG + (idx << 3));
  if (wr) { pmpWriteCfg(idx, wv); flushTlb(); }
  return old;
}
function pmpaddr(i: u32): u64 {
  const old = rd64(HS_PMPADDR + (i << 3));
  if (wr) { pmpWriteAddr(i, wv); flushTlb(); }
  return old;
}
function inhibit(): u64 {
  const old = rd64(HS_MCOUNTINHIBIT);
  if (wr) { syncCounters(); wr64(HS_MCOUNTINHIBIT, wv & 0xfffffffd); }
  return old;
}

export function csrAccess(csr: u32, write: bool, v: u64): u64 {
  const r = csrRow(csr, write, v);
  if (!write) readValue = r; // what a following write of this instruction started from (pending())
  return r;
}

function csrRow(csr: u32, write: bool, v: u64): u64 {
  csrOk = true; wr = write; wv = v;
  const mideleg = rd64(HS_MIDELEG);
  switch (csr) {
    //                                  field / kind             read mask        WARL write mask
    case CSR_FFLAGS:        return fcsrField(0, 5);
    case CSR_FRM:           return fcsrField(5, 3);
    case CSR_FCSR:          return fcsrField(0, 8);
    case CSR_CYCLE:         return counter(0);
    case CSR_TIME:          return counter(1);
    case CSR_INSTRET:       return counter(2);
    case CSR_SSTATUS:       return status(SSTATUS_RMASK, SSTATUS_WMASK);
    case CSR_SIE:           return reg(HS_MIE, mideleg, mideleg & S_INTS);
    case CSR_STVEC:         return tvec(HS_STVEC);
    case CSR_SCOUNTEREN:    return reg(HS_SCOUNTEREN, ALL, 0xffffffff);
    case CSR_SENVCFG:       return reg(HS_SENVCFG, ALL, 1);                   // FIOM only
    case CSR_SSCRATCH:      return reg(HS_SSCRATCH, ALL, ALL);
    case CSR_SEPC:          return reg(HS_SEPC, ALL, ~<u64>1);                // IALIGN 16
    case CSR_SCAUSE:        return reg(HS_SCAUSE, ALL, ALL);
    case CSR_STVAL:         return reg(HS_STVAL, ALL, ALL);
    case CSR_SIP:           return pending(mideleg, mideleg & MIP_SSIP);
    case CSR_SATP:          return satp();
    case CSR_MSTATUS:       return status(ALL, MSTATUS_WMASK);
    case CSR_MISA:          return reg(HS_MISA, ALL, 0);                      // fixed
    case CSR_MEDELEG:       return reg(HS_MEDELEG, ALL, MEDELEG_MASK);
    case CSR_MIDELEG:       return reg(HS_MIDELEG, ALL, S_INTS);
    case CSR_MIE:           return reg(HS_MIE, ALL, ALL_INTS);
    case CSR_MTVEC:         return tvec(HS_MTVEC);
    case CSR_MCOUNTEREN:    return reg(HS_MCOUNTEREN, ALL, 0xffffffff);
    case CSR_MENVCFG:       return reg(HS_MENVCFG, ALL, 1);                   // FIOM only
    case CSR_MCOUNTINHIBIT: return inhibit();
    case CSR_MSCRATCH:      return reg(HS_MSCRATCH, ALL, ALL);
    case CSR_MEPC:          return reg(HS_MEPC, ALL, ~<u64>1);
    case CSR_MCAUSE:        return reg(HS_MCAUSE, ALL, ALL);
    case CSR_MTVAL:         return reg(HS_MTVAL, ALL, ALL);
    case CSR_MIP:           return pending(ALL, S_INTS);                      // MxIP belong to devices
    case CSR_PMPCFG0:       return pmpcfg(0);
    case CSR_PMPCFG2:       return pmpcfg(1);
    case CSR_MCYCLE:        return machineCounter(HS_CYCLE);
    case CSR_MINSTRET:      return machineCounter(HS_INSTRET);
    case CSR_MVENDORID: case CSR_MARCHID: case CSR_MIMPID: case CSR_MCONFIGPTR:
                            return zero();
    case CSR_MHARTID:       return reg(HS_MHARTID, ALL, 0);
    default: {
      if (csr >= CSR_PMPADDR0 && csr < CSR_PMPADDR0 + 16) return pmpaddr(csr - CSR_PMPADDR0);
      // pmpcfg4..14, pmpaddr16..63: not implemented, read-only zero (OpenSBI probes the count).
      if ((csr >= 0x3a4 && csr <= 0x3ae && (csr & 1) == 0) || (csr >= 0x3c0 && csr <= 0x3ef)) return zero();
      if (csr > CSR_INSTRET && csr <= 0xc1f) return counter(csr - CSR_CYCLE); // hpmcounterN
      if (csr > CSR_MINSTRET && csr <= 0xb1f) return zero();                  // mhpmcounterN
      if (csr >= 0x323 && csr <= 0x33f) return zero();                        // mhpmeventN
      return absent();
    }
  }
}

function legalTvec(v: u64, old: u64): u64 {
  if ((v & 3) >= 2) return (v & ~<u64>3) | (old & 3);
  return v;
}

/** Atomically replace the bits `mask` of mip with those of v (other threads OR bits in concurrently). */
function updateMip(mask: u64, v: u64): void {
  const p = hb + HS_MIP;
  while (true) {
    const old = atomic.load<u64>(p);
    const nv = (old & ~mask) | (v & mask);
    if (atomic.cmpxchg<u64>(p, old, nv) == old) return;
  }
}

export function writeMstatus(nv: u64): void {
  const old = rd64(HS_MSTATUS);
  let v = nv;
  if (((v & MS_MPP) >> 11) == 2) v = (v & ~MS_MPP) | (old & MS_MPP); // MPP = 2 reserved: keep
  v = (v & ~(MS_SD | MS_UXL | (<u64>3 << 34))) | MS_XL64;
  if ((v & MS_FS) == MS_FS) v |= MS_SD;
  wr64(HS_MSTATUS, v);
  if (((old ^ v) & (MS_SUM | MS_MXR)) != 0) flushTlb();
  if (((old ^ v) & (MS_MPRV | MS_MPP)) != 0) modeChanged();
}

