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

/** False after csrRead/csrWrite met a CSR that does not exist or may not be accessed now. */
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

/** Read a CSR (permission already checked by csrAllowed). Reads have no side effects. */
export function csrRead(csr: u32): u64 {
  csrOk = true;
  switch (csr) {
    case CSR_FFLAGS: if (!fsOn()) break; return rd64(HS_FCSR) & 0x1f;
    case CSR_FRM: if (!fsOn()) break; return (rd64(HS_FCSR) >> 5) & 7;
    case CSR_FCSR: if (!fsOn()) break; return rd64(HS_FCSR) & 0xff;
    case CSR_CYCLE: if (!counterAllowed(0)) break; syncCounters(); return rd64(HS_CYCLE);
    case CSR_TIME: if (!counterAllowed(1)) break; return readTime();
    case CSR_INSTRET: if (!counterAllowed(2)) break; syncCounters(); return rd64(HS_INSTRET);
    case CSR_SSTATUS: return rd64(HS_MSTATUS) & SSTATUS_RMASK;
    case CSR_SIE: return rd64(HS_MIE) & rd64(HS_MIDELEG);
    case CSR_STVEC: return rd64(HS_STVEC);
    case CSR_SCOUNTEREN: return rd64(HS_SCOUNTEREN);
    case CSR_SENVCFG: return rd64(HS_SENVCFG);
    case CSR_SSCRATCH: return rd64(HS_SSCRATCH);
    case CSR_SEPC: return rd64(HS_SEPC);
    case CSR_SCAUSE: return rd64(HS_SCAUSE);
    case CSR_STVAL: return rd64(HS_STVAL);
    case CSR_SIP: return atomic.load<u64>(hb + HS_MIP) & rd64(HS_MIDELEG);
    case CSR_SATP: return rd64(HS_SATP);
    case CSR_MSTATUS: return rd64(HS_MSTATUS);
    case CSR_MISA: return rd64(HS_MISA);
    case CSR_MEDELEG: return rd64(HS_MEDELEG);
    case CSR_MIDELEG: return rd64(HS_MIDELEG);
    case CSR_MIE: return rd64(HS_MIE);
    case CSR_MTVEC: return rd64(HS_MTVEC);
    case CSR_MCOUNTEREN: return rd64(HS_MCOUNTEREN);
    case CSR_MENVCFG: return rd64(HS_MENVCFG);
    case CSR_MCOUNTINHIBIT: return rd64(HS_MCOUNTINHIBIT);
    case CSR_MSCRATCH: return rd64(HS_MSCRATCH);
    case CSR_MEPC: return rd64(HS_MEPC);
    case CSR_MCAUSE: return rd64(HS_MCAUSE);
    case CSR_MTVAL: return rd64(HS_MTVAL);
    case CSR_MIP: return atomic.load<u64>(hb + HS_MIP);
    case CSR_PMPCFG0: return rd64(HS_PMPCFG);
    case CSR_PMPCFG2: return rd64(HS_PMPCFG + 8);
    case CSR_MCYCLE: syncCounters(); return rd64(HS_CYCLE);
    case CSR_MINSTRET: syncCounters(); return rd64(HS_INSTRET);
    case CSR_MVENDORID: case CSR_MARCHID: case CSR_MIMPID: case CSR_MCONFIGPTR: return 0;
    case CSR_MHARTID: return rd64(HS_MHARTID);
    default: {
      if (csr >= CSR_PMPADDR0 && csr < CSR_PMPADDR0 + 16) return rd64(HS_PMPADDR + ((csr - CSR_PMPADDR0) << 3));
      // pmpcfg4..14 and pmpaddr16..63: not implemented, read-only zero.
      if ((csr >= 0x3a4 && csr <= 0x3ae && (csr & 1) == 0) || (csr >= 0x3c0 && csr <= 0x3ef)) return 0;
      if (csr > CSR_INSTRET && csr <= 0xc1f) { if (!counterAllowed(csr - CSR_CYCLE)) break; return 0; } // hpmcounterN
      if (csr > CSR_MINSTRET && csr <= 0xb1f) return 0; // mhpmcounterN
      if (csr >= 0x323 && csr <= 0x33f) return 0;       // mhpmeventN
      break;
    }
  }
  csrOk = false;
  return 0;
}

/** Write a CSR (permission checked, and csrRead succeeded for it). Applies WARL rules and side effects. */
export function csrWrite(csr: u32, v: u64): void {
  csrOk = true;
  switch (csr) {
    case CSR_FFLAGS: wr64(HS_FCSR, (rd64(HS_FCSR) & ~<u64>0x1f) | (v & 0x1f)); fsDirty(); return;
    case CSR_FRM: wr64(HS_FCSR, (rd64(HS_FCSR) & 0x1f) | ((v & 7) << 5)); fsDirty(); return;
    case CSR_FCSR: wr64(HS_FCSR, v & 0xff); fsDirty(); return;
    case CSR_SSTATUS: writeMstatus((rd64(HS_MSTATUS) & ~SSTATUS_WMASK) | (v & SSTATUS_WMASK)); return;
    case CSR_SIE: {
      const d = rd64(HS_MIDELEG) & S_INTS;
      wr64(HS_MIE, (rd64(HS_MIE) & ~d) | (v & d));
      return;
    }
    case CSR_STVEC: wr64(HS_STVEC, legalTvec(v, rd64(HS_STVEC))); return;
    case CSR_SCOUNTEREN: wr64(HS_SCOUNTEREN, v & 0xffffffff); return;
    case CSR_SENVCFG: wr64(HS_SENVCFG, v & 1); return;
    case CSR_SSCRATCH: wr64(HS_SSCRATCH, v); return;
    case CSR_SEPC: wr64(HS_SEPC, v & ~<u64>1); return;
    case CSR_SCAUSE: wr64(HS_SCAUSE, v); return;
    case CSR_STVAL: wr64(HS_STVAL, v); return;
    case CSR_SIP: updateMip(rd64(HS_MIDELEG) & MIP_SSIP, v); return;
    case CSR_SATP: {
      const mode = v >> 60;
      if (mode != 0 && mode != 8 && mode != 9) return; // unsupported mode (e.g. Sv57): write ignored
      wr64(HS_SATP, v & ~(<u64>0xf << 60) | (mode << 60));
      flushTlb();
      return;
    }
    case CSR_MSTATUS: writeMstatus((rd64(HS_MSTATUS) & ~MSTATUS_WMASK) | (v & MSTATUS_WMASK)); return;
    case CSR_MISA: return; // fixed
    case CSR_MEDELEG: wr64(HS_MEDELEG, v & MEDELEG_MASK); return;
    case CSR_MIDELEG: wr64(HS_MIDELEG, v & S_INTS); return;
    case CSR_MIE: wr64(HS_MIE, v & ALL_INTS); return;
    case CSR_MTVEC: wr64(HS_MTVEC, legalTvec(v, rd64(HS_MTVEC))); return;
    case CSR_MCOUNTEREN: wr64(HS_MCOUNTEREN, v & 0xffffffff); return;
    case CSR_MENVCFG: wr64(HS_MENVCFG, v & 1); return;
    case CSR_MCOUNTINHIBIT: syncCounters(); wr64(HS_MCOUNTINHIBIT, v & 0xfffffffd); return;
    case CSR_MSCRATCH: wr64(HS_MSCRATCH, v); return;
    case CSR_MEPC: wr64(HS_MEPC, v & ~<u64>1); return;
    case CSR_MCAUSE: wr64(HS_MCAUSE, v); return;
    case CSR_MTVAL: wr64(HS_MTVAL, v); return;
    case CSR_MIP: updateMip(S_INTS, v); return;
    case CSR_PMPCFG0: pmpWriteCfg(0, v); flushTlb(); return;
    case CSR_PMPCFG2: pmpWriteCfg(1, v); flushTlb(); return;
    // The written value is what the next instruction reads: the writing one does not count.
    case CSR_MCYCLE: syncCounters(); wr64(HS_CYCLE, v - 1); return;
    case CSR_MINSTRET: syncCounters(); wr64(HS_INSTRET, v); unretire(); return;
    default: {
      if (csr >= CSR_PMPADDR0 && csr < CSR_PMPADDR0 + 16) { pmpWriteAddr(csr - CSR_PMPADDR0, v); flushTlb(); return; }
      return; // read-only-zero WARL registers (hpm, unimplemented PMP) ignore writes
    }
  }
}

/** mtvec/stvec: MODE ≥ 2 is reserved, keep the old mode then. */
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

