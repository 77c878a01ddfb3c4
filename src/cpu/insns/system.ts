// Privileged and system instructions: ECALL/EBREAK, xRET, WFI, SFENCE.VMA, FENCE.I, illegal.
import { HS_MSTATUS, HS_MEPC, HS_SEPC, HS_PRIV, HS_MIP, HS_MIE } from '../generated/layout';
import { hb, rd64, wr64, priv, fullFence, PRV_U, PRV_S, PRV_M } from '../state';
import { insnBits, eRs1Addr, rs1v } from '../isa/entry';
import { MS_MIE, MS_MPIE, MS_MPP, MS_MPP_SHIFT, MS_MPRV, MS_SIE, MS_SPIE, MS_SPP, MS_TSR, MS_TVM, MS_TW,
  CAUSE_ILLEGAL, CAUSE_BREAKPOINT, CAUSE_ECALL_U } from '../consts';
import { trapAt } from '../trap';
import { flushTlb, flushTlbPage, modeChanged } from '../mmu';
import { leave, EXIT_RESYNC, EXIT_WFI } from '../sched';

/** Illegal instruction: mtval/stval get the instruction bits. */
export function illegal(e: usize, pc: u64): u64 {
  return trapAt(CAUSE_ILLEGAL, insnBits(e), pc);
}

export function ECALL(pc: u64): u64 {
  return trapAt(CAUSE_ECALL_U + <u64>priv(), 0, pc); // 8 + priv: U 8, S 9, M 11
}

export function EBREAK(pc: u64): u64 {
  return trapAt(CAUSE_BREAKPOINT, pc, pc);
}

export function MRET(e: usize, pc: u64): u64 {
  if (priv() != PRV_M) return illegal(e, pc);
  let ms = rd64(HS_MSTATUS);
  const mpp = <u32>((ms & MS_MPP) >> MS_MPP_SHIFT);
  ms = (ms & ~(MS_MIE | MS_MPP)) | ((ms & MS_MPIE) >> 4) | MS_MPIE;
  if (mpp != PRV_M) ms &= ~MS_MPRV;
  wr64(HS_MSTATUS, ms);
  wr64(HS_PRIV, mpp);
  modeChanged();
  return leave(EXIT_RESYNC, rd64(HS_MEPC));
}

export function SRET(e: usize, pc: u64): u64 {
  const p = priv();
  let ms = rd64(HS_MSTATUS);
  if (p == PRV_U || (p == PRV_S && (ms & MS_TSR) != 0)) return illegal(e, pc);
  const spp = <u32>((ms & MS_SPP) >> 8);
  ms = (ms & ~(MS_SIE | MS_SPP | MS_MPRV)) | ((ms & MS_SPIE) >> 4) | MS_SPIE;
  wr64(HS_MSTATUS, ms);
  wr64(HS_PRIV, spp);
  modeChanged();
  return leave(EXIT_RESYNC, rd64(HS_SEPC));
}

export function WFI(e: usize, pc: u64, npc: u64): u64 {
  const p = priv();
  if (p == PRV_U || (p == PRV_S && (rd64(HS_MSTATUS) & MS_TW) != 0)) return illegal(e, pc);
  // Nothing pending and enabled in mie: let the host sleep. Otherwise WFI is a no-op.
  if ((atomic.load<u64>(hb + HS_MIP) & rd64(HS_MIE)) == 0) return leave(EXIT_WFI, npc);
  return leave(EXIT_RESYNC, npc);
}

export function SFENCE_VMA(e: usize, pc: u64, npc: u64): u64 {
  const p = priv();
  if (p == PRV_U || (p == PRV_S && (rd64(HS_MSTATUS) & MS_TVM) != 0)) return illegal(e, pc);
  // By address when rs1 != x0 (any ASID: flushing more than asked is always correct).
  if (eRs1Addr(e) != hb) flushTlbPage(rs1v(e));
  else flushTlb();
  return leave(EXIT_RESYNC, npc);
}

/** FENCE.I: decode-cache entries are tagged with the instruction bits, so none can be stale. */
@inline export function FENCE_I(npc: u64): u64 { fullFence(); return npc; }
