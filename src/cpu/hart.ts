// Amber hart core: entry points (docs/CONTRACTS.md) and the run loop.
//
// The loop: fetch through the current fetch page (locals; refreshed by fetchSlow), look the
// instruction up in the decode cache (tagged by its bits), dispatch on the handler index with one
// br_table. Handlers return the next pc. Anything that changes mode, translation or interrupt
// state ends the inner loop (sched.ts: leave() poisons the returned pc) so the outer loop
// re-samples interrupts and the fetch page.
import {
  HS_PC, HS_PRIV, HS_MISA, HS_MHARTID, HS_MSTATUS, HART_STATE_SIZE, HS_MIP,
  REASON_BUDGET, REASON_WFI, REASON_HOST, REASON_FATAL,
} from './generated/layout';
import { hb, hartId, bindHart, rd64, wr64, PRV_M, DCACHE_OFFSET, DCACHE_ENTRIES, ENTRY_BYTES } from './state';
import { Op } from './isa/ops';
import { MISA_VALUE, MS_XL64, MS_FS_SHIFT } from './consts';
import { flushTlb, modeChanged, readControl, dcBase } from './mmu';
import { pmpRecompute } from './pmp';
import { fetchSlow, gFPage, gFDelta, gFLimit } from './mem';
import { decode } from './decode';
import { takeInterrupt, takeException } from './trap';
import {
  budgetLeft, exitKind, startBudget, setBudget, clearExit, syncCounters, isPoisoned,
  POISON, EXIT_NONE, EXIT_RESYNC, EXIT_HOST, EXIT_WFI,
} from './sched';
import * as I from './insns/rv64i';
import * as M from './insns/rv64m';
import * as A from './insns/rv64a';
import * as S from './insns/system';
import * as FD from './insns/rv64fd';
import * as B from './insns/zb';
import { csrInsn, CSR_RW, CSR_RS, CSR_RC } from './insns/zicsr';

/** Bind this instance to hart block `id`. */
export function init(id: i32): void {
  bindHart(<u32>id);
  flushCaches();
}

/** Architectural reset: M-mode at `pc`, everything else at its reset value. mip is left to devices. */
export function reset(pc: u64): void {
  const mip = atomic.load<u64>(hb + HS_MIP);
  memory.fill(hb, 0, HART_STATE_SIZE);
  atomic.store<u64>(hb + HS_MIP, mip);
  wr64(HS_PC, pc);
  wr64(HS_PRIV, PRV_M);
  wr64(HS_MISA, MISA_VALUE);
  wr64(HS_MHARTID, hartId);
  // FS = Initial so bare-metal programs may use FP without enabling it first.
  wr64(HS_MSTATUS, MS_XL64 | (<u64>1 << MS_FS_SHIFT));
  flushCaches();
}

/** Drop every cache and derived value (after the host changed hart state or RAM). */
export function flushCaches(): void {
  readControl();
  pmpRecompute();
  modeChanged();
  flushTlb();
  memory.fill(hb + DCACHE_OFFSET, 0, DCACHE_ENTRIES * ENTRY_BYTES);
}

/** Execute up to `budget` instructions; returns a RunReason. */
export function run(budget: i32): i32 {
  readControl();
  startBudget(budget);
  let pc = rd64(HS_PC);
  let reason = REASON_BUDGET;
  while (true) {
    pc = takeInterrupt(pc);
    pc = runBatch(pc);
    if (exitKind == EXIT_NONE) break;
    if (exitKind == EXIT_RESYNC) { clearExit(); if (budgetLeft > 0) continue; break; }
    reason = exitKind == EXIT_HOST ? REASON_HOST : exitKind == EXIT_WFI ? REASON_WFI : REASON_FATAL;
    break;
  }
  wr64(HS_PC, pc);
  syncCounters();
  return reason;
}

/** The inner loop: runs until the budget is spent or a handler forces an exit. */
function runBatch(pc0: u64): u64 {
  let pc = pc0;
  // Current fetch page: pc hits when pc - fPage < fLimit (limit 0 = invalid). The page's host
  // address and its first decode-cache slot are kept too: a page's slots are contiguous
  // (4096/2 halfwords never wrap the 64 Ki-slot index), so slot = fSlots + offset/2 × 24.
  let fPage: u64 = 0, fLimit: u64 = 0;
  let fHost: usize = 0, fSlots: usize = 0;
  let n = budgetLeft;
  while (n > 0) {
    n--;
    let e: usize;
    const off = pc - fPage;
    if (off < fLimit) {
      const o = <usize>off;
      const raw = load<u32>(fHost + o);
      e = fSlots + o * (ENTRY_BYTES / 2);
      if (load<u32>(e) != raw) decode(raw, e);
    } else {
      // A handler ended the batch: undo the poison and stop (this instruction is not run).
      if (exitKind != EXIT_NONE) { n++; if (isPoisoned(pc)) pc ^= POISON; break; }
      e = fetchSlow(pc);
      if (e == 0) { pc = takeException(pc); continue; }
      fPage = gFPage; fLimit = gFLimit;
      fHost = <usize>(gFPage + gFDelta);
      fSlots = dcBase + (<usize>(fHost >> 1) & (DCACHE_ENTRIES - 1)) * ENTRY_BYTES;
    }
    const npc = pc + <u64>load<u8>(e, 5);
    switch (<u32>load<u8>(e, 4)) {
      case Op.LUI: pc = I.LUI(e, npc); break;
      case Op.AUIPC: pc = I.AUIPC(e, pc, npc); break;
      case Op.JAL: pc = I.JAL(e, pc, npc); break;
      case Op.JALR: pc = I.JALR(e, npc); break;
      case Op.BEQ: pc = I.BEQ(e, pc, npc); break;
      case Op.BNE: pc = I.BNE(e, pc, npc); break;
      case Op.BLT: pc = I.BLT(e, pc, npc); break;
      case Op.BGE: pc = I.BGE(e, pc, npc); break;
      case Op.BLTU: pc = I.BLTU(e, pc, npc); break;
      case Op.BGEU: pc = I.BGEU(e, pc, npc); break;
      case Op.LB: pc = I.LOAD<i8>(e, pc, npc, n); break;
      case Op.LH: pc = I.LOAD<i16>(e, pc, npc, n); break;
      case Op.LW: pc = I.LOAD<i32>(e, pc, npc, n); break;
      case Op.LD: pc = I.LOAD<u64>(e, pc, npc, n); break;
      case Op.LBU: pc = I.LOAD<u8>(e, pc, npc, n); break;
      case Op.LHU: pc = I.LOAD<u16>(e, pc, npc, n); break;
      case Op.LWU: pc = I.LOAD<u32>(e, pc, npc, n); break;
      case Op.SB: pc = I.STORE<u8>(e, pc, npc, n); break;
      case Op.SH: pc = I.STORE<u16>(e, pc, npc, n); break;
      case Op.SW: pc = I.STORE<u32>(e, pc, npc, n); break;
      case Op.SD: pc = I.STORE<u64>(e, pc, npc, n); break;
      case Op.ADDI: pc = I.ADDI(e, npc); break;
      case Op.SLTI: pc = I.SLTI(e, npc); break;
      case Op.SLTIU: pc = I.SLTIU(e, npc); break;
      case Op.XORI: pc = I.XORI(e, npc); break;
      case Op.ORI: pc = I.ORI(e, npc); break;
      case Op.ANDI: pc = I.ANDI(e, npc); break;
      case Op.SLLI: pc = I.SLLI(e, npc); break;
      case Op.SRLI: pc = I.SRLI(e, npc); break;
      case Op.SRAI: pc = I.SRAI(e, npc); break;
      case Op.ADD: pc = I.ADD(e, npc); break;
      case Op.SUB: pc = I.SUB(e, npc); break;
      case Op.SLL: pc = I.SLL(e, npc); break;
      case Op.SLT: pc = I.SLT(e, npc); break;
      case Op.SLTU: pc = I.SLTU(e, npc); break;
      case Op.XOR: pc = I.XOR(e, npc); break;
      case Op.SRL: pc = I.SRL(e, npc); break;
      case Op.SRA: pc = I.SRA(e, npc); break;
      case Op.OR: pc = I.OR(e, npc); break;
      case Op.AND: pc = I.AND(e, npc); break;
      case Op.ADDIW: pc = I.ADDIW(e, npc); break;
      case Op.SLLIW: pc = I.SLLIW(e, npc); break;
      case Op.SRLIW: pc = I.SRLIW(e, npc); break;
      case Op.SRAIW: pc = I.SRAIW(e, npc); break;
      case Op.ADDW: pc = I.ADDW(e, npc); break;
      case Op.SUBW: pc = I.SUBW(e, npc); break;
      case Op.SLLW: pc = I.SLLW(e, npc); break;
      case Op.SRLW: pc = I.SRLW(e, npc); break;
      case Op.SRAW: pc = I.SRAW(e, npc); break;
      case Op.FENCE: pc = I.FENCE(npc); break;
      case Op.FENCE_I: pc = S.FENCE_I(npc); break;
      case Op.ECALL: pc = S.ECALL(pc); break;
      case Op.EBREAK: pc = S.EBREAK(pc); break;
      case Op.MRET: pc = S.MRET(e, pc); break;
      case Op.SRET: pc = S.SRET(e, pc); break;
      case Op.WFI: pc = S.WFI(e, pc, npc); break;
      case Op.SFENCE_VMA: pc = S.SFENCE_VMA(e, pc, npc); break;
      case Op.CSRRW: setBudget(n + 1); pc = csrInsn(e, pc, npc, CSR_RW, false); break;
      case Op.CSRRS: setBudget(n + 1); pc = csrInsn(e, pc, npc, CSR_RS, false); break;
      case Op.CSRRC: setBudget(n + 1); pc = csrInsn(e, pc, npc, CSR_RC, false); break;
      case Op.CSRRWI: setBudget(n + 1); pc = csrInsn(e, pc, npc, CSR_RW, true); break;
      case Op.CSRRSI: setBudget(n + 1); pc = csrInsn(e, pc, npc, CSR_RS, true); break;
      case Op.CSRRCI: setBudget(n + 1); pc = csrInsn(e, pc, npc, CSR_RC, true); break;
      case Op.MUL: pc = M.MUL(e, npc); break;
      case Op.MULH: pc = M.MULH(e, npc); break;
      case Op.MULHSU: pc = M.MULHSU(e, npc); break;
      case Op.MULHU: pc = M.MULHU(e, npc); break;
      case Op.DIV: pc = M.DIV(e, npc); break;
      case Op.DIVU: pc = M.DIVU(e, npc); break;
      case Op.REM: pc = M.REM(e, npc); break;
      case Op.REMU: pc = M.REMU(e, npc); break;
      case Op.MULW: pc = M.MULW(e, npc); break;
      case Op.DIVW: pc = M.DIVW(e, npc); break;
      case Op.DIVUW: pc = M.DIVUW(e, npc); break;
      case Op.REMW: pc = M.REMW(e, npc); break;
      case Op.REMUW: pc = M.REMUW(e, npc); break;
      case Op.LR_W: pc = A.LR_W(e, pc, npc); break;
      case Op.SC_W: pc = A.SC_W(e, pc, npc); break;
      case Op.AMOSWAP_W: pc = A.AMO_W(e, pc, npc, A.AMO_SWAP); break;
      case Op.AMOADD_W: pc = A.AMO_W(e, pc, npc, A.AMO_ADD); break;
      case Op.AMOXOR_W: pc = A.AMO_W(e, pc, npc, A.AMO_XOR); break;
      case Op.AMOAND_W: pc = A.AMO_W(e, pc, npc, A.AMO_AND); break;
      case Op.AMOOR_W: pc = A.AMO_W(e, pc, npc, A.AMO_OR); break;
      case Op.AMOMIN_W: pc = A.AMO_W(e, pc, npc, A.AMO_MIN); break;
      case Op.AMOMAX_W: pc = A.AMO_W(e, pc, npc, A.AMO_MAX); break;
      case Op.AMOMINU_W: pc = A.AMO_W(e, pc, npc, A.AMO_MINU); break;
      case Op.AMOMAXU_W: pc = A.AMO_W(e, pc, npc, A.AMO_MAXU); break;
      case Op.LR_D: pc = A.LR_D(e, pc, npc); break;
      case Op.SC_D: pc = A.SC_D(e, pc, npc); break;
      case Op.AMOSWAP_D: pc = A.AMO_D(e, pc, npc, A.AMO_SWAP); break;
      case Op.AMOADD_D: pc = A.AMO_D(e, pc, npc, A.AMO_ADD); break;
      case Op.AMOXOR_D: pc = A.AMO_D(e, pc, npc, A.AMO_XOR); break;
      case Op.AMOAND_D: pc = A.AMO_D(e, pc, npc, A.AMO_AND); break;
      case Op.AMOOR_D: pc = A.AMO_D(e, pc, npc, A.AMO_OR); break;
      case Op.AMOMIN_D: pc = A.AMO_D(e, pc, npc, A.AMO_MIN); break;
      case Op.AMOMAX_D: pc = A.AMO_D(e, pc, npc, A.AMO_MAX); break;
      case Op.AMOMINU_D: pc = A.AMO_D(e, pc, npc, A.AMO_MINU); break;
      case Op.AMOMAXU_D: pc = A.AMO_D(e, pc, npc, A.AMO_MAXU); break;
      case Op.SH1ADD: pc = B.SHADD(e, npc, 1); break;
      case Op.SH2ADD: pc = B.SHADD(e, npc, 2); break;
      case Op.SH3ADD: pc = B.SHADD(e, npc, 3); break;
      case Op.ADD_UW: pc = B.SHADD_UW(e, npc, 0); break;
      case Op.SH1ADD_UW: pc = B.SHADD_UW(e, npc, 1); break;
      case Op.SH2ADD_UW: pc = B.SHADD_UW(e, npc, 2); break;
      case Op.SH3ADD_UW: pc = B.SHADD_UW(e, npc, 3); break;
      case Op.SLLI_UW: pc = B.SLLI_UW(e, npc); break;
      case Op.ANDN: pc = B.ANDN(e, npc); break;
      case Op.ORN: pc = B.ORN(e, npc); break;
      case Op.XNOR: pc = B.XNOR(e, npc); break;
      case Op.CLZ: pc = B.CLZ(e, npc); break;
      case Op.CLZW: pc = B.CLZW(e, npc); break;
      case Op.CTZ: pc = B.CTZ(e, npc); break;
      case Op.CTZW: pc = B.CTZW(e, npc); break;
      case Op.CPOP: pc = B.CPOP(e, npc); break;
      case Op.CPOPW: pc = B.CPOPW(e, npc); break;
      case Op.MAX: pc = B.MAX(e, npc); break;
      case Op.MAXU: pc = B.MAXU(e, npc); break;
      case Op.MIN: pc = B.MIN(e, npc); break;
      case Op.MINU: pc = B.MINU(e, npc); break;
      case Op.SEXT_B: pc = B.SEXT_B(e, npc); break;
      case Op.SEXT_H: pc = B.SEXT_H(e, npc); break;
      case Op.ZEXT_H: pc = B.ZEXT_H(e, npc); break;
      case Op.ROL: pc = B.ROL(e, npc); break;
      case Op.ROLW: pc = B.ROLW(e, npc); break;
      case Op.ROR: pc = B.ROR(e, npc); break;
      case Op.RORI: pc = B.RORI(e, npc); break;
      case Op.RORIW: pc = B.RORIW(e, npc); break;
      case Op.RORW: pc = B.RORW(e, npc); break;
      case Op.ORC_B: pc = B.ORC_B(e, npc); break;
      case Op.REV8: pc = B.REV8(e, npc); break;
      case Op.FLW: setBudget(n + 1); pc = FD.FLOAD(e, pc, npc, false); break;
      case Op.FLD: setBudget(n + 1); pc = FD.FLOAD(e, pc, npc, true); break;
      case Op.FSW: setBudget(n + 1); pc = FD.FSTORE(e, pc, npc, false); break;
      case Op.FSD: setBudget(n + 1); pc = FD.FSTORE(e, pc, npc, true); break;
      default: {
        const op = <u32>load<u8>(e, 4);
        if (op >= <u32>Op.FMADD_S && op <= <u32>Op.FMV_D_X) pc = FD.execFp(e, pc, npc, op);
        else pc = S.illegal(e, pc);
        break;
      }
    }
  }
  // Budget spent right after a handler ended the batch: drop the poison.
  if (exitKind != EXIT_NONE && isPoisoned(pc)) pc ^= POISON;
  setBudget(n);
  return pc;
}
