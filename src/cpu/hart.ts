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
import { hb, hartId, bindHart, rd64, wr64, PRV_M, DCACHE_OFFSET, DCACHE_ENTRIES, ENTRY_BYTES, ZERO_PAGE } from './state';
import { Op } from './isa/ops';
import { MISA_VALUE, MS_XL64, MS_FS_SHIFT } from './consts';
import { flushTlb, modeChanged, readControl, dcBase } from './mmu';
import { pmpRecompute } from './pmp';
import { fetchSlow, gFPage, gFDelta, gFCacheable } from './mem';
import { decode } from './decode';
import { takeInterrupt, takeException } from './trap';
import {
  budgetLeft, exitKind, startBudget, decBudget, clearExit, syncCounters, isPoisoned,
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
  memory.fill(hb + DCACHE_OFFSET, 0, DCACHE_ENTRIES * ENTRY_BYTES + 4096); // and ZERO_PAGE
}

/** Execute up to `budget` instructions; returns a RunReason. */
export function run(budget: i32): i32 {
  // Values derived from hart state live in this instance's globals: re-derive them, since the host
  // may have changed the state between runs (restore through another instance's flushCaches).
  readControl();
  pmpRecompute();
  modeChanged();
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

let fPage: u64 = 0;
let fHost: usize = 0;
let fSlots: usize = 0;

/** pc of the next instruction (entry length 2 or 4). Computed inside each case: fewer live values at the dispatch. */
@inline function nx(e: usize, pc: u64): u64 { return pc + <u64>load<u8>(e, 5); }

/** The inner loop: runs until the budget is spent or a handler forces an exit. */
function runBatch(pc0: u64): u64 {
  let pc = pc0;
  // Current fetch page: pc hits when pc - fPage < 0xffe (the last halfword, where a 32-bit
  // instruction may straddle pages, always goes the slow way). The page's host address and its
  // first decode-cache slot are kept too: a page's slots are contiguous (2048 halfwords never wrap
  // the 64 Ki-slot index), so slot = fSlots + offset/2 × 24. "No page" is noFetchPage(pc):
  // bit 61 flipped, which no canonical, physical or poisoned pc can share. (Module globals, not
  // locals: V8 would spill loop-carried locals around the dispatch on every instruction.)
  fPage = noFetchPage(pc);
  fHost = hb + ZERO_PAGE; fSlots = dcBase;
  while (budgetLeft > 0) {
    let e: usize;
    const off = pc - fPage;
    if (off < 0xffe) {
      const o = <usize>off;
      const raw = load<u32>(fHost + o);
      e = fSlots + o * (ENTRY_BYTES / 2);
      if (load<u32>(e) != raw) decode(raw, e);
    } else {
      // A handler ended the batch: undo the poison and stop (this instruction is not run).
      if (exitKind != EXIT_NONE) { if (isPoisoned(pc)) pc ^= POISON; break; }
      e = fetchSlow(pc);
      if (e == 0) { pc = takeException(pc); decBudget(); continue; }
      if (gFCacheable) {
        fPage = gFPage;
        fHost = <usize>(gFPage + gFDelta);
        fSlots = dcBase + (<usize>(fHost >> 1) & (DCACHE_ENTRIES - 1)) * ENTRY_BYTES;
      } else {
        fPage = noFetchPage(pc);
      }
    }
    switch (<u32>load<u8>(e, 4)) {
      case Op.LUI: pc = I.LUI(e, nx(e, pc)); break;
      case Op.AUIPC: pc = I.AUIPC(e, pc, nx(e, pc)); break;
      case Op.JAL: pc = I.JAL(e, pc, nx(e, pc)); break;
      case Op.JALR: pc = I.JALR(e, nx(e, pc)); break;
      case Op.BEQ: pc = I.BEQ(e, pc, nx(e, pc)); break;
      case Op.BNE: pc = I.BNE(e, pc, nx(e, pc)); break;
      case Op.BLT: pc = I.BLT(e, pc, nx(e, pc)); break;
      case Op.BGE: pc = I.BGE(e, pc, nx(e, pc)); break;
      case Op.BLTU: pc = I.BLTU(e, pc, nx(e, pc)); break;
      case Op.BGEU: pc = I.BGEU(e, pc, nx(e, pc)); break;
      case Op.LB: pc = I.LOAD<i8>(e, pc, nx(e, pc)); break;
      case Op.LH: pc = I.LOAD<i16>(e, pc, nx(e, pc)); break;
      case Op.LW: pc = I.LOAD<i32>(e, pc, nx(e, pc)); break;
      case Op.LD: pc = I.LOAD<u64>(e, pc, nx(e, pc)); break;
      case Op.LBU: pc = I.LOAD<u8>(e, pc, nx(e, pc)); break;
      case Op.LHU: pc = I.LOAD<u16>(e, pc, nx(e, pc)); break;
      case Op.LWU: pc = I.LOAD<u32>(e, pc, nx(e, pc)); break;
      case Op.SB: pc = I.STORE<u8>(e, pc, nx(e, pc)); break;
      case Op.SH: pc = I.STORE<u16>(e, pc, nx(e, pc)); break;
      case Op.SW: pc = I.STORE<u32>(e, pc, nx(e, pc)); break;
      case Op.SD: pc = I.STORE<u64>(e, pc, nx(e, pc)); break;
      case Op.ADDI: pc = I.ADDI(e, nx(e, pc)); break;
      case Op.SLTI: pc = I.SLTI(e, nx(e, pc)); break;
      case Op.SLTIU: pc = I.SLTIU(e, nx(e, pc)); break;
      case Op.XORI: pc = I.XORI(e, nx(e, pc)); break;
      case Op.ORI: pc = I.ORI(e, nx(e, pc)); break;
      case Op.ANDI: pc = I.ANDI(e, nx(e, pc)); break;
      case Op.SLLI: pc = I.SLLI(e, nx(e, pc)); break;
      case Op.SRLI: pc = I.SRLI(e, nx(e, pc)); break;
      case Op.SRAI: pc = I.SRAI(e, nx(e, pc)); break;
      case Op.ADD: pc = I.ADD(e, nx(e, pc)); break;
      case Op.SUB: pc = I.SUB(e, nx(e, pc)); break;
      case Op.SLL: pc = I.SLL(e, nx(e, pc)); break;
      case Op.SLT: pc = I.SLT(e, nx(e, pc)); break;
      case Op.SLTU: pc = I.SLTU(e, nx(e, pc)); break;
      case Op.XOR: pc = I.XOR(e, nx(e, pc)); break;
      case Op.SRL: pc = I.SRL(e, nx(e, pc)); break;
      case Op.SRA: pc = I.SRA(e, nx(e, pc)); break;
      case Op.OR: pc = I.OR(e, nx(e, pc)); break;
      case Op.AND: pc = I.AND(e, nx(e, pc)); break;
      case Op.ADDIW: pc = I.ADDIW(e, nx(e, pc)); break;
      case Op.SLLIW: pc = I.SLLIW(e, nx(e, pc)); break;
      case Op.SRLIW: pc = I.SRLIW(e, nx(e, pc)); break;
      case Op.SRAIW: pc = I.SRAIW(e, nx(e, pc)); break;
      case Op.ADDW: pc = I.ADDW(e, nx(e, pc)); break;
      case Op.SUBW: pc = I.SUBW(e, nx(e, pc)); break;
      case Op.SLLW: pc = I.SLLW(e, nx(e, pc)); break;
      case Op.SRLW: pc = I.SRLW(e, nx(e, pc)); break;
      case Op.SRAW: pc = I.SRAW(e, nx(e, pc)); break;
      case Op.FENCE: pc = I.FENCE(nx(e, pc)); break;
      case Op.FENCE_I: pc = S.FENCE_I(nx(e, pc)); break;
      case Op.ECALL: pc = S.ECALL(pc); break;
      case Op.EBREAK: pc = S.EBREAK(pc); break;
      case Op.MRET: pc = S.MRET(e, pc); break;
      case Op.SRET: pc = S.SRET(e, pc); break;
      case Op.WFI: pc = S.WFI(e, pc, nx(e, pc)); break;
      case Op.SFENCE_VMA: pc = S.SFENCE_VMA(e, pc, nx(e, pc)); break;
      case Op.CSRRW: pc = csrInsn(e, pc, nx(e, pc), CSR_RW, false); break;
      case Op.CSRRS: pc = csrInsn(e, pc, nx(e, pc), CSR_RS, false); break;
      case Op.CSRRC: pc = csrInsn(e, pc, nx(e, pc), CSR_RC, false); break;
      case Op.CSRRWI: pc = csrInsn(e, pc, nx(e, pc), CSR_RW, true); break;
      case Op.CSRRSI: pc = csrInsn(e, pc, nx(e, pc), CSR_RS, true); break;
      case Op.CSRRCI: pc = csrInsn(e, pc, nx(e, pc), CSR_RC, true); break;
      case Op.MUL: pc = M.MUL(e, nx(e, pc)); break;
      case Op.MULH: pc = M.MULH(e, nx(e, pc)); break;
      case Op.MULHSU: pc = M.MULHSU(e, nx(e, pc)); break;
      case Op.MULHU: pc = M.MULHU(e, nx(e, pc)); break;
      case Op.DIV: pc = M.DIV(e, nx(e, pc)); break;
      case Op.DIVU: pc = M.DIVU(e, nx(e, pc)); break;
      case Op.REM: pc = M.REM(e, nx(e, pc)); break;
      case Op.REMU: pc = M.REMU(e, nx(e, pc)); break;
      case Op.MULW: pc = M.MULW(e, nx(e, pc)); break;
      case Op.DIVW: pc = M.DIVW(e, nx(e, pc)); break;
      case Op.DIVUW: pc = M.DIVUW(e, nx(e, pc)); break;
      case Op.REMW: pc = M.REMW(e, nx(e, pc)); break;
      case Op.REMUW: pc = M.REMUW(e, nx(e, pc)); break;
      case Op.LR_W: pc = A.LR_W(e, pc, nx(e, pc)); break;
      case Op.SC_W: pc = A.SC_W(e, pc, nx(e, pc)); break;
      case Op.AMOSWAP_W: pc = A.AMO_W(e, pc, nx(e, pc), A.AMO_SWAP); break;
      case Op.AMOADD_W: pc = A.AMO_W(e, pc, nx(e, pc), A.AMO_ADD); break;
      case Op.AMOXOR_W: pc = A.AMO_W(e, pc, nx(e, pc), A.AMO_XOR); break;
      case Op.AMOAND_W: pc = A.AMO_W(e, pc, nx(e, pc), A.AMO_AND); break;
      case Op.AMOOR_W: pc = A.AMO_W(e, pc, nx(e, pc), A.AMO_OR); break;
      case Op.AMOMIN_W: pc = A.AMO_W(e, pc, nx(e, pc), A.AMO_MIN); break;
      case Op.AMOMAX_W: pc = A.AMO_W(e, pc, nx(e, pc), A.AMO_MAX); break;
      case Op.AMOMINU_W: pc = A.AMO_W(e, pc, nx(e, pc), A.AMO_MINU); break;
      case Op.AMOMAXU_W: pc = A.AMO_W(e, pc, nx(e, pc), A.AMO_MAXU); break;
      case Op.LR_D: pc = A.LR_D(e, pc, nx(e, pc)); break;
      case Op.SC_D: pc = A.SC_D(e, pc, nx(e, pc)); break;
      case Op.AMOSWAP_D: pc = A.AMO_D(e, pc, nx(e, pc), A.AMO_SWAP); break;
      case Op.AMOADD_D: pc = A.AMO_D(e, pc, nx(e, pc), A.AMO_ADD); break;
      case Op.AMOXOR_D: pc = A.AMO_D(e, pc, nx(e, pc), A.AMO_XOR); break;
      case Op.AMOAND_D: pc = A.AMO_D(e, pc, nx(e, pc), A.AMO_AND); break;
      case Op.AMOOR_D: pc = A.AMO_D(e, pc, nx(e, pc), A.AMO_OR); break;
      case Op.AMOMIN_D: pc = A.AMO_D(e, pc, nx(e, pc), A.AMO_MIN); break;
      case Op.AMOMAX_D: pc = A.AMO_D(e, pc, nx(e, pc), A.AMO_MAX); break;
      case Op.AMOMINU_D: pc = A.AMO_D(e, pc, nx(e, pc), A.AMO_MINU); break;
      case Op.AMOMAXU_D: pc = A.AMO_D(e, pc, nx(e, pc), A.AMO_MAXU); break;
      case Op.SH1ADD: pc = B.SHADD(e, nx(e, pc), 1); break;
      case Op.SH2ADD: pc = B.SHADD(e, nx(e, pc), 2); break;
      case Op.SH3ADD: pc = B.SHADD(e, nx(e, pc), 3); break;
      case Op.ADD_UW: pc = B.SHADD_UW(e, nx(e, pc), 0); break;
      case Op.SH1ADD_UW: pc = B.SHADD_UW(e, nx(e, pc), 1); break;
      case Op.SH2ADD_UW: pc = B.SHADD_UW(e, nx(e, pc), 2); break;
      case Op.SH3ADD_UW: pc = B.SHADD_UW(e, nx(e, pc), 3); break;
      case Op.SLLI_UW: pc = B.SLLI_UW(e, nx(e, pc)); break;
      case Op.ANDN: pc = B.ANDN(e, nx(e, pc)); break;
      case Op.ORN: pc = B.ORN(e, nx(e, pc)); break;
      case Op.XNOR: pc = B.XNOR(e, nx(e, pc)); break;
      case Op.CLZ: pc = B.CLZ(e, nx(e, pc)); break;
      case Op.CLZW: pc = B.CLZW(e, nx(e, pc)); break;
      case Op.CTZ: pc = B.CTZ(e, nx(e, pc)); break;
      case Op.CTZW: pc = B.CTZW(e, nx(e, pc)); break;
      case Op.CPOP: pc = B.CPOP(e, nx(e, pc)); break;
      case Op.CPOPW: pc = B.CPOPW(e, nx(e, pc)); break;
      case Op.MAX: pc = B.MAX(e, nx(e, pc)); break;
      case Op.MAXU: pc = B.MAXU(e, nx(e, pc)); break;
      case Op.MIN: pc = B.MIN(e, nx(e, pc)); break;
      case Op.MINU: pc = B.MINU(e, nx(e, pc)); break;
      case Op.SEXT_B: pc = B.SEXT_B(e, nx(e, pc)); break;
      case Op.SEXT_H: pc = B.SEXT_H(e, nx(e, pc)); break;
      case Op.ZEXT_H: pc = B.ZEXT_H(e, nx(e, pc)); break;
      case Op.ROL: pc = B.ROL(e, nx(e, pc)); break;
      case Op.ROLW: pc = B.ROLW(e, nx(e, pc)); break;
      case Op.ROR: pc = B.ROR(e, nx(e, pc)); break;
      case Op.RORI: pc = B.RORI(e, nx(e, pc)); break;
      case Op.RORIW: pc = B.RORIW(e, nx(e, pc)); break;
      case Op.RORW: pc = B.RORW(e, nx(e, pc)); break;
      case Op.ORC_B: pc = B.ORC_B(e, nx(e, pc)); break;
      case Op.REV8: pc = B.REV8(e, nx(e, pc)); break;
      case Op.FLW: pc = FD.FLOAD(e, pc, nx(e, pc), false); break;
      case Op.FLD: pc = FD.FLOAD(e, pc, nx(e, pc), true); break;
      case Op.FSW: pc = FD.FSTORE(e, pc, nx(e, pc), false); break;
      case Op.FSD: pc = FD.FSTORE(e, pc, nx(e, pc), true); break;
      default: {
        const op = <u32>load<u8>(e, 4);
        if (op >= <u32>Op.FMADD_S && op <= <u32>Op.FMV_D_X) pc = FD.execFp(e, pc, nx(e, pc), op);
        else pc = S.illegal(e, pc);
        break;
      }
    }
    // Counted after the handler: while it runs, budgetLeft excludes it (exact instret at MMIO/CSR reads).
    decBudget();
  }
  // Budget spent right after a handler ended the batch: drop the poison.
  if (exitKind != EXIT_NONE && isPoisoned(pc)) pc ^= POISON;
  return pc;
}

/** A fetch-page value no reachable pc matches (see runBatch). */
@inline function noFetchPage(pc: u64): u64 { return (pc & ~<u64>0xfff) ^ (<u64>1 << 61); }
