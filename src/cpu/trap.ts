// Exceptions and interrupts. A handler that faults calls raise() (or trapAt()) and returns;
// trap entry (enterTrap) happens once, and ends the batch so the loop re-reads mode state.
import {
  HS_PRIV, HS_MSTATUS, HS_MEDELEG, HS_MIDELEG, HS_MIP, HS_MIE, HS_MTVEC, HS_STVEC,
  HS_MEPC, HS_SEPC, HS_MCAUSE, HS_SCAUSE, HS_MTVAL, HS_STVAL, HS_RESERVATION_VALID,
} from './generated/layout';
import { hb, rd64, wr64, priv, PRV_S, PRV_M } from './state';
import {
  MS_SIE, MS_MIE, MS_SPIE, MS_MPIE, MS_SPP, MS_MPP, MS_MPP_SHIFT, CAUSE_INTERRUPT,
  MIP_MEIP, MIP_MSIP, MIP_MTIP, MIP_SEIP, MIP_SSIP, MIP_STIP,
  IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_SEI, IRQ_SSI, IRQ_STI,
} from './consts';
import { leave, unretire, EXIT_RESYNC } from './sched';
import { modeChanged } from './mmu';

/** Pending exception raised by a slow path: cause (≥ 0) or -1. */
export let excCause: i64 = -1;
export let excTval: u64 = 0;

@inline export function excPending(): bool { return excCause >= 0; }

export function raise(cause: u64, tval: u64): void {
  excCause = <i64>cause;
  excTval = tval;
}

/** Take the exception a slow path raised; `pc` is the faulting instruction. Returns the new pc (poisoned: ends the batch). */
export function takeException(pc: u64): u64 {
  const c = <u64>excCause;
  excCause = -1;
  unretire();
  return leave(EXIT_RESYNC, enterTrap(c, excTval, pc));
}

/** Raise and take an exception at once (returns the poisoned trap vector). */
export function trapAt(cause: u64, tval: u64, pc: u64): u64 {
  unretire();
  return leave(EXIT_RESYNC, enterTrap(cause, tval, pc));
}

/** Trap entry (privileged spec 3.1.6/4.1.1): delegation, xEPC/xCAUSE/xTVAL, status stack, vector. */
export function enterTrap(cause: u64, tval: u64, pc: u64): u64 {
  const isInt = (cause & CAUSE_INTERRUPT) != 0;
  const code = cause & 63;
  const p = priv();
  let ms = rd64(HS_MSTATUS);
  const deleg = (isInt ? rd64(HS_MIDELEG) : rd64(HS_MEDELEG)) >> code & 1;
  let tvec: u64;
  if (p <= PRV_S && deleg != 0) {
    wr64(HS_SCAUSE, cause); wr64(HS_SEPC, pc); wr64(HS_STVAL, tval);
    ms = (ms & ~(MS_SPIE | MS_SIE | MS_SPP)) | ((ms & MS_SIE) << 4) | (<u64>p << 8);
    wr64(HS_PRIV, PRV_S);
    tvec = rd64(HS_STVEC);
  } else {
    wr64(HS_MCAUSE, cause); wr64(HS_MEPC, pc); wr64(HS_MTVAL, tval);
    ms = (ms & ~(MS_MPIE | MS_MIE | MS_MPP)) | ((ms & MS_MIE) << 4) | (<u64>p << MS_MPP_SHIFT);
    wr64(HS_PRIV, PRV_M);
    tvec = rd64(HS_MTVEC);
  }
  wr64(HS_MSTATUS, ms);
  wr64(HS_RESERVATION_VALID, 0);
  modeChanged();
  let target = tvec & ~<u64>3;
  if (isInt && (tvec & 1) != 0) target += code << 2;
  return target;
}

/** The highest-priority interrupt that is pending, enabled and not masked: its number, or -1. */
export function pendingInterrupt(): i32 {
  const pend = atomic.load<u64>(hb + HS_MIP) & rd64(HS_MIE);
  if (pend == 0) return -1;
  const p = priv();
  const ms = rd64(HS_MSTATUS);
  const mideleg = rd64(HS_MIDELEG);
  const m = pend & ~mideleg;
  if (m != 0 && (p < PRV_M || (ms & MS_MIE) != 0)) return highest(m);
  const s = pend & mideleg;
  if (s != 0 && (p < PRV_S || (p == PRV_S && (ms & MS_SIE) != 0))) return highest(s);
  return -1;
}

/** Priority order MEI > MSI > MTI > SEI > SSI > STI. */
function highest(b: u64): i32 {
  if (b & MIP_MEIP) return IRQ_MEI;
  if (b & MIP_MSIP) return IRQ_MSI;
  if (b & MIP_MTIP) return IRQ_MTI;
  if (b & MIP_SEIP) return IRQ_SEI;
  if (b & MIP_SSIP) return IRQ_SSI;
  if (b & MIP_STIP) return IRQ_STI;
  return -1;
}

/** Take an interrupt if one is due; returns the (possibly new) pc. */
export function takeInterrupt(pc: u64): u64 {
  const irq = pendingInterrupt();
  if (irq < 0) return pc;
  return enterTrap(CAUSE_INTERRUPT | <u64>irq, 0, pc);
}

