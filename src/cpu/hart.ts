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
import { hb, hartId, bindHart, rd64, wr64, PRV_M, DCACHE_OFFSET, DCACHE_BYTES, ENTRY_BYTES, ZERO_PAGE } from './state';
import { Op } from './isa/ops';
import { MISA_VALUE, MS_XL64, MS_FS_SHIFT } from './consts';
import { flushTlb, modeChanged, readControl, tlbLoad, tlbStore } from './mmu';
import { pmpRecompute } from './pmp';
import { fetchSlow, gFPage, gFDelta, gFCacheable, FETCH_BLOCKS, tlbSlot, tlbKey } from './mem';
import { blockSlot, buildBlock, eIndex, notLast, LAST_BASE } from './block';
import { rs1v, rs2v, eImm, wrd } from './isa/entry';
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
  memory.fill(hb + DCACHE_OFFSET, 0, DCACHE_BYTES + 4096); // and ZERO_PAGE
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

/** The inner loop: runs until the budget is spent or a handler forces an exit. */
function runBatch(pc0: u64): u64 {
  let pc = pc0;
  // Current fetch page: blocks run from it while pc - fPage < 0xffe (the last halfword, where a
  // 32-bit instruction may straddle pages, always goes the slow way); fHost is its host address.
  // "No page" is noFetchPage(pc): bit 61 flipped, which no canonical, physical or poisoned pc can
  // share. (Module globals, not locals: fewer values live across the loop.)
  fPage = noFetchPage(pc);
  fHost = hb + ZERO_PAGE;
  while (budgetLeft > 0) {
    const off = pc - fPage;
    if (off < 0xffe) {
      pc = runBlock(fHost + <usize>off);
      continue;
    }
    // A handler ended the batch: undo the poison and stop (this instruction is not run).
    if (exitKind != EXIT_NONE) { if (isPoisoned(pc)) pc ^= POISON; break; }
    const e = fetchSlow(pc);
    if (e == 0) { pc = takeException(pc); decBudget(); continue; }
    if (gFCacheable) {
      fPage = gFPage;
      fHost = <usize>(gFPage + gFDelta);
      if (e == FETCH_BLOCKS) continue;
    } else {
      fPage = noFetchPage(pc);
    }
    // One instruction from the private entry (page-straddling, or a PMP-split page).
    pc = exec(e, pc, pc + <u64>load<u8>(e, 5));
    // Counted after the handler: while it runs, budgetLeft excludes it (exact instret at MMIO/CSR reads).
    decBudget();
  }
  // Budget spent right after a handler ended the batch: drop the poison.
  if (exitKind != EXIT_NONE && isPoisoned(pc)) pc ^= POISON;
  return pc;
}

/** "Continue with the next entry of the block" (no pc is odd). */
const NEXT: u64 = 1;

/** budgetLeft when the current block started. */
let blockLeft: i32 = 0;
/** pc of host address 0 in the current fetch page (pc = bPcBase + host address). */
let bPcBase: u64 = 0;
/** The entry and host pointers of the block loop, parked across an out-of-line call (see runBlock). */
let bE: usize = 0;
let bH: usize = 0;

/**
 * Run the block starting at host address h0 in the current fetch page; returns the pc to continue
 * at. Nothing the loop holds is live across a call, so V8 keeps its values (entry and host
 * pointers) in registers without spilling them: whatever needs a call (a TLB miss, anything not
 * inline) breaks out of the switch, parks the pointers in globals, calls bOther and reads them back.
 * The budget is charged at the exit from the entry's index in the block, and written back before
 * anything out of line may read it (MMIO syncs counters, CSR reads of instret): see bBudget.
 * Dispatch is on the entry's +7 byte: the last entry of a block dispatches to a LAST_BASE case
 * that runs the op and leaves, so the other cases `continue` without a last-entry test.
 */
@inline function runBlock(h0: usize): u64 {
  const b = blockSlot(h0);
  if (load<u32>(b) != <u32>h0) buildBlock(b, h0);
  if (<i32>load<u32>(b, 4) > budgetLeft) return runSteps(b, h0);
  blockLeft = budgetLeft;
  bPcBase = fPage - <u64>fHost;
  // e starts at the header, whose byte +5 (high byte of n) is 0: the first advance adds no length.
  let e = b;
  let h = h0;
  while (true) {
    h += <usize>load<u8>(e, 5);
    e += ENTRY_BYTES;
    if (load<u32>(h) != load<u32>(e)) {
      // The code changed under the block: drop it, and continue at this instruction (not run).
      store<u32>(b, 0);
      budgetLeft = blockLeft - eIndex(e);
      return bPcBase + <u64>h;
    }
    switch (<u32>load<u8>(e, 7)) {
      // ILLEGAL (0): out of line, like the default (binaryen merges them, so the table is rebased by 1).
      case Op.ILLEGAL: break;
      case Op.LUI: I.LUI(e, 0); continue;
      case LAST_BASE + Op.LUI: I.LUI(e, 0); return bEnd(e, h);
      case Op.AUIPC: I.AUIPC(e, bPcBase + <u64>h, 0); continue;
      case LAST_BASE + Op.AUIPC: I.AUIPC(e, bPcBase + <u64>h, 0); return bEnd(e, h);
      case Op.BEQ: if (rs1v(e) == rs2v(e)) return bExit(e, bPcBase + <u64>h + <u64>eImm(e)); continue;
      case LAST_BASE + Op.BEQ: if (rs1v(e) == rs2v(e)) return bExit(e, bPcBase + <u64>h + <u64>eImm(e)); return bEnd(e, h);
      case Op.BNE: if (rs1v(e) != rs2v(e)) return bExit(e, bPcBase + <u64>h + <u64>eImm(e)); continue;
      case LAST_BASE + Op.BNE: if (rs1v(e) != rs2v(e)) return bExit(e, bPcBase + <u64>h + <u64>eImm(e)); return bEnd(e, h);
      case Op.BLT: if (<i64>rs1v(e) < <i64>rs2v(e)) return bExit(e, bPcBase + <u64>h + <u64>eImm(e)); continue;
      case LAST_BASE + Op.BLT: if (<i64>rs1v(e) < <i64>rs2v(e)) return bExit(e, bPcBase + <u64>h + <u64>eImm(e)); return bEnd(e, h);
      case Op.BGE: if (<i64>rs1v(e) >= <i64>rs2v(e)) return bExit(e, bPcBase + <u64>h + <u64>eImm(e)); continue;
      case LAST_BASE + Op.BGE: if (<i64>rs1v(e) >= <i64>rs2v(e)) return bExit(e, bPcBase + <u64>h + <u64>eImm(e)); return bEnd(e, h);
      case Op.BLTU: if (rs1v(e) < rs2v(e)) return bExit(e, bPcBase + <u64>h + <u64>eImm(e)); continue;
      case LAST_BASE + Op.BLTU: if (rs1v(e) < rs2v(e)) return bExit(e, bPcBase + <u64>h + <u64>eImm(e)); return bEnd(e, h);
      case Op.BGEU: if (rs1v(e) >= rs2v(e)) return bExit(e, bPcBase + <u64>h + <u64>eImm(e)); continue;
      case LAST_BASE + Op.BGEU: if (rs1v(e) >= rs2v(e)) return bExit(e, bPcBase + <u64>h + <u64>eImm(e)); return bEnd(e, h);
      case Op.LB: if (bLoad<i8>(e)) continue; break;
      case LAST_BASE + Op.LB: if (bLoad<i8>(e)) return bEnd(e, h); break;
      case Op.LH: if (bLoad<i16>(e)) continue; break;
      case LAST_BASE + Op.LH: if (bLoad<i16>(e)) return bEnd(e, h); break;
      case Op.LW: if (bLoad<i32>(e)) continue; break;
      case LAST_BASE + Op.LW: if (bLoad<i32>(e)) return bEnd(e, h); break;
      case Op.LD: if (bLoad<u64>(e)) continue; break;
      case LAST_BASE + Op.LD: if (bLoad<u64>(e)) return bEnd(e, h); break;
      case Op.LBU: if (bLoad<u8>(e)) continue; break;
      case LAST_BASE + Op.LBU: if (bLoad<u8>(e)) return bEnd(e, h); break;
      case Op.LHU: if (bLoad<u16>(e)) continue; break;
      case LAST_BASE + Op.LHU: if (bLoad<u16>(e)) return bEnd(e, h); break;
      case Op.LWU: if (bLoad<u32>(e)) continue; break;
      case LAST_BASE + Op.LWU: if (bLoad<u32>(e)) return bEnd(e, h); break;
      case Op.SB: if (bStore<u8>(e)) continue; break;
      case LAST_BASE + Op.SB: if (bStore<u8>(e)) return bEnd(e, h); break;
      case Op.SH: if (bStore<u16>(e)) continue; break;
      case LAST_BASE + Op.SH: if (bStore<u16>(e)) return bEnd(e, h); break;
      case Op.SW: if (bStore<u32>(e)) continue; break;
      case LAST_BASE + Op.SW: if (bStore<u32>(e)) return bEnd(e, h); break;
      case Op.SD: if (bStore<u64>(e)) continue; break;
      case LAST_BASE + Op.SD: if (bStore<u64>(e)) return bEnd(e, h); break;
      case Op.ADDI: I.ADDI(e, 0); continue;
      case LAST_BASE + Op.ADDI: I.ADDI(e, 0); return bEnd(e, h);
      case Op.SLTI: I.SLTI(e, 0); continue;
      case LAST_BASE + Op.SLTI: I.SLTI(e, 0); return bEnd(e, h);
      case Op.SLTIU: I.SLTIU(e, 0); continue;
      case LAST_BASE + Op.SLTIU: I.SLTIU(e, 0); return bEnd(e, h);
      case Op.XORI: I.XORI(e, 0); continue;
      case LAST_BASE + Op.XORI: I.XORI(e, 0); return bEnd(e, h);
      case Op.ORI: I.ORI(e, 0); continue;
      case LAST_BASE + Op.ORI: I.ORI(e, 0); return bEnd(e, h);
      case Op.ANDI: I.ANDI(e, 0); continue;
      case LAST_BASE + Op.ANDI: I.ANDI(e, 0); return bEnd(e, h);
      case Op.SLLI: I.SLLI(e, 0); continue;
      case LAST_BASE + Op.SLLI: I.SLLI(e, 0); return bEnd(e, h);
      case Op.SRLI: I.SRLI(e, 0); continue;
      case LAST_BASE + Op.SRLI: I.SRLI(e, 0); return bEnd(e, h);
      case Op.SRAI: I.SRAI(e, 0); continue;
      case LAST_BASE + Op.SRAI: I.SRAI(e, 0); return bEnd(e, h);
      case Op.ADD: I.ADD(e, 0); continue;
      case LAST_BASE + Op.ADD: I.ADD(e, 0); return bEnd(e, h);
      case Op.SUB: I.SUB(e, 0); continue;
      case LAST_BASE + Op.SUB: I.SUB(e, 0); return bEnd(e, h);
      case Op.SLL: I.SLL(e, 0); continue;
      case LAST_BASE + Op.SLL: I.SLL(e, 0); return bEnd(e, h);
      case Op.SLT: I.SLT(e, 0); continue;
      case LAST_BASE + Op.SLT: I.SLT(e, 0); return bEnd(e, h);
      case Op.SLTU: I.SLTU(e, 0); continue;
      case LAST_BASE + Op.SLTU: I.SLTU(e, 0); return bEnd(e, h);
      case Op.XOR: I.XOR(e, 0); continue;
      case LAST_BASE + Op.XOR: I.XOR(e, 0); return bEnd(e, h);
      case Op.SRL: I.SRL(e, 0); continue;
      case LAST_BASE + Op.SRL: I.SRL(e, 0); return bEnd(e, h);
      case Op.SRA: I.SRA(e, 0); continue;
      case LAST_BASE + Op.SRA: I.SRA(e, 0); return bEnd(e, h);
      case Op.OR: I.OR(e, 0); continue;
      case LAST_BASE + Op.OR: I.OR(e, 0); return bEnd(e, h);
      case Op.AND: I.AND(e, 0); continue;
      case LAST_BASE + Op.AND: I.AND(e, 0); return bEnd(e, h);
      case Op.ADDIW: I.ADDIW(e, 0); continue;
      case LAST_BASE + Op.ADDIW: I.ADDIW(e, 0); return bEnd(e, h);
      case Op.SLLIW: I.SLLIW(e, 0); continue;
      case LAST_BASE + Op.SLLIW: I.SLLIW(e, 0); return bEnd(e, h);
      case Op.SRLIW: I.SRLIW(e, 0); continue;
      case LAST_BASE + Op.SRLIW: I.SRLIW(e, 0); return bEnd(e, h);
      case Op.SRAIW: I.SRAIW(e, 0); continue;
      case LAST_BASE + Op.SRAIW: I.SRAIW(e, 0); return bEnd(e, h);
      case Op.ADDW: I.ADDW(e, 0); continue;
      case LAST_BASE + Op.ADDW: I.ADDW(e, 0); return bEnd(e, h);
      case Op.SUBW: I.SUBW(e, 0); continue;
      case LAST_BASE + Op.SUBW: I.SUBW(e, 0); return bEnd(e, h);
      case Op.SLLW: I.SLLW(e, 0); continue;
      case LAST_BASE + Op.SLLW: I.SLLW(e, 0); return bEnd(e, h);
      case Op.SRLW: I.SRLW(e, 0); continue;
      case LAST_BASE + Op.SRLW: I.SRLW(e, 0); return bEnd(e, h);
      case Op.SRAW: I.SRAW(e, 0); continue;
      case LAST_BASE + Op.SRAW: I.SRAW(e, 0); return bEnd(e, h);
      // Hot ops at or above LAST_OPS (as the last entry they dispatch to LAST_OTHER: out of line).
      case Op.MUL: M.MUL(e, 0); continue;
      case Op.MULW: M.MULW(e, 0); continue;
      case Op.SH1ADD: B.SHADD(e, 0, 1); continue;
      case Op.SH2ADD: B.SHADD(e, 0, 2); continue;
      case Op.SH3ADD: B.SHADD(e, 0, 3); continue;
      // Everything else (jumps, system, CSR, M/A/F/D, Zb, and the last entry of any of them): out of line.
      default: break;
    }
    // Out of line (a case broke out of the switch). Nothing the loop holds stays live across the
    // call: e and h are parked in globals and read back, so V8 need not spill them per instruction.
    bE = e; bH = h;
    const r = bOther(e, bPcBase + <u64>h);
    e = bE; h = bH;
    if (r != NEXT) return bExit(e, r);
    if (!notLast(e)) return bEnd(e, h);
  }
}

/** Leave the block after entry e (it ran) to pc: charge the budget for the entries run. */
@inline function bExit(e: usize, pc: u64): u64 {
  budgetLeft = blockLeft - 1 - eIndex(e);
  return pc;
}
/** Leave the block after entry e (at host address h) to the instruction after it. */
@inline function bEnd(e: usize, h: usize): u64 { return bExit(e, bPcBase + <u64>(h + <usize>load<u8>(e, 5))); }

/** Make budgetLeft exact for the instruction in entry e (it has not run yet). */
@inline function bBudget(e: usize): void { budgetLeft = blockLeft - eIndex(e); }

/** The last entries of a batch (fewer left in the budget than the block holds), one at a time. */
function runSteps(b: usize, h0: usize): u64 {
  let e = b + ENTRY_BYTES;
  let h = h0;
  let pc = fPage + <u64>(h0 - fHost);
  while (budgetLeft > 0) {
    if (load<u32>(h) != load<u32>(e)) { store<u32>(b, 0); break; }
    const len = load<u8>(e, 5);
    const npc = pc + <u64>len;
    const r = exec(e, pc, npc);
    budgetLeft--;
    if (r != npc) return r;
    pc = npc; h += <usize>len; e += ENTRY_BYTES;
  }
  return pc;
}

/** A load in a block: TLB hit inline (true); false on a miss (then bOther runs it). */
@inline function bLoad<T>(e: usize): bool {
  const a = rs1v(e) + <u64>eImm(e);
  const t = tlbSlot(tlbLoad, a);
  if (load<u64>(t) != tlbKey<T>(a)) return false;
  const x = <usize>(a + load<u64>(t, 8));
  wrd(e, isSigned<T>() ? <u64><i64>load<T>(x) : <u64>load<T>(x));
  return true;
}
@inline function bStore<T>(e: usize): bool {
  const a = rs1v(e) + <u64>eImm(e);
  const t = tlbSlot(tlbStore, a);
  if (load<u64>(t) != tlbKey<T>(a)) return false;
  store<T>(<usize>(a + load<u64>(t, 8)), <T>rs2v(e));
  return true;
}
/** Any other instruction in a block: the generic handler; NEXT unless it jumped, trapped or left. */
function bOther(e: usize, pc: u64): u64 {
  bBudget(e);
  const npc = pc + <u64>load<u8>(e, 5);
  // F/D computational ops straight to the FP handler (skips exec's dispatch).
  const op = <u32>load<u8>(e, 4);
  const r = op >= <u32>Op.FMADD_S && op <= <u32>Op.FMV_D_X && op != <u32>Op.FLD && op != <u32>Op.FSD
    ? FD.execFp(e, pc, npc, op) : exec(e, pc, npc);
  return r == npc ? NEXT : r;
}

/** Execute the instruction in entry e at pc (npc = the next one); returns the pc to continue at. */
function exec(e: usize, pc: u64, npc: u64): u64 {
  let r: u64 = 0;
  switch (<u32>load<u8>(e, 4)) {
    case Op.LUI: r = I.LUI(e, npc); break;
    case Op.AUIPC: r = I.AUIPC(e, pc, npc); break;
    case Op.JAL: r = I.JAL(e, pc, npc); break;
    case Op.JALR: r = I.JALR(e, npc); break;
    case Op.BEQ: r = I.BEQ(e, pc, npc); break;
    case Op.BNE: r = I.BNE(e, pc, npc); break;
    case Op.BLT: r = I.BLT(e, pc, npc); break;
    case Op.BGE: r = I.BGE(e, pc, npc); break;
    case Op.BLTU: r = I.BLTU(e, pc, npc); break;
    case Op.BGEU: r = I.BGEU(e, pc, npc); break;
    case Op.LB: r = I.LOAD<i8>(e, pc, npc); break;
    case Op.LH: r = I.LOAD<i16>(e, pc, npc); break;
    case Op.LW: r = I.LOAD<i32>(e, pc, npc); break;
    case Op.LD: r = I.LOAD<u64>(e, pc, npc); break;
    case Op.LBU: r = I.LOAD<u8>(e, pc, npc); break;
    case Op.LHU: r = I.LOAD<u16>(e, pc, npc); break;
    case Op.LWU: r = I.LOAD<u32>(e, pc, npc); break;
    case Op.SB: r = I.STORE<u8>(e, pc, npc); break;
    case Op.SH: r = I.STORE<u16>(e, pc, npc); break;
    case Op.SW: r = I.STORE<u32>(e, pc, npc); break;
    case Op.SD: r = I.STORE<u64>(e, pc, npc); break;
    case Op.ADDI: r = I.ADDI(e, npc); break;
    case Op.SLTI: r = I.SLTI(e, npc); break;
    case Op.SLTIU: r = I.SLTIU(e, npc); break;
    case Op.XORI: r = I.XORI(e, npc); break;
    case Op.ORI: r = I.ORI(e, npc); break;
    case Op.ANDI: r = I.ANDI(e, npc); break;
    case Op.SLLI: r = I.SLLI(e, npc); break;
    case Op.SRLI: r = I.SRLI(e, npc); break;
    case Op.SRAI: r = I.SRAI(e, npc); break;
    case Op.ADD: r = I.ADD(e, npc); break;
    case Op.SUB: r = I.SUB(e, npc); break;
    case Op.SLL: r = I.SLL(e, npc); break;
    case Op.SLT: r = I.SLT(e, npc); break;
    case Op.SLTU: r = I.SLTU(e, npc); break;
    case Op.XOR: r = I.XOR(e, npc); break;
    case Op.SRL: r = I.SRL(e, npc); break;
    case Op.SRA: r = I.SRA(e, npc); break;
    case Op.OR: r = I.OR(e, npc); break;
    case Op.AND: r = I.AND(e, npc); break;
    case Op.ADDIW: r = I.ADDIW(e, npc); break;
    case Op.SLLIW: r = I.SLLIW(e, npc); break;
    case Op.SRLIW: r = I.SRLIW(e, npc); break;
    case Op.SRAIW: r = I.SRAIW(e, npc); break;
    case Op.ADDW: r = I.ADDW(e, npc); break;
    case Op.SUBW: r = I.SUBW(e, npc); break;
    case Op.SLLW: r = I.SLLW(e, npc); break;
    case Op.SRLW: r = I.SRLW(e, npc); break;
    case Op.SRAW: r = I.SRAW(e, npc); break;
    case Op.FENCE: r = I.FENCE(npc); break;
    case Op.FENCE_I: r = S.FENCE_I(npc); break;
    case Op.ECALL: r = S.ECALL(pc); break;
    case Op.EBREAK: r = S.EBREAK(pc); break;
    case Op.MRET: r = S.MRET(e, pc); break;
    case Op.SRET: r = S.SRET(e, pc); break;
    case Op.WFI: r = S.WFI(e, pc, npc); break;
    case Op.SFENCE_VMA: r = S.SFENCE_VMA(e, pc, npc); break;
    case Op.CSRRW: r = csrInsn(e, pc, npc, CSR_RW, false); break;
    case Op.CSRRS: r = csrInsn(e, pc, npc, CSR_RS, false); break;
    case Op.CSRRC: r = csrInsn(e, pc, npc, CSR_RC, false); break;
    case Op.CSRRWI: r = csrInsn(e, pc, npc, CSR_RW, true); break;
    case Op.CSRRSI: r = csrInsn(e, pc, npc, CSR_RS, true); break;
    case Op.CSRRCI: r = csrInsn(e, pc, npc, CSR_RC, true); break;
    case Op.MUL: r = M.MUL(e, npc); break;
    case Op.MULH: r = M.MULH(e, npc); break;
    case Op.MULHSU: r = M.MULHSU(e, npc); break;
    case Op.MULHU: r = M.MULHU(e, npc); break;
    case Op.DIV: r = M.DIV(e, npc); break;
    case Op.DIVU: r = M.DIVU(e, npc); break;
    case Op.REM: r = M.REM(e, npc); break;
    case Op.REMU: r = M.REMU(e, npc); break;
    case Op.MULW: r = M.MULW(e, npc); break;
    case Op.DIVW: r = M.DIVW(e, npc); break;
    case Op.DIVUW: r = M.DIVUW(e, npc); break;
    case Op.REMW: r = M.REMW(e, npc); break;
    case Op.REMUW: r = M.REMUW(e, npc); break;
    case Op.LR_W: r = A.LR_W(e, pc, npc); break;
    case Op.SC_W: r = A.SC_W(e, pc, npc); break;
    case Op.AMOSWAP_W: r = A.AMO_W(e, pc, npc, A.AMO_SWAP); break;
    case Op.AMOADD_W: r = A.AMO_W(e, pc, npc, A.AMO_ADD); break;
    case Op.AMOXOR_W: r = A.AMO_W(e, pc, npc, A.AMO_XOR); break;
    case Op.AMOAND_W: r = A.AMO_W(e, pc, npc, A.AMO_AND); break;
    case Op.AMOOR_W: r = A.AMO_W(e, pc, npc, A.AMO_OR); break;
    case Op.AMOMIN_W: r = A.AMO_W(e, pc, npc, A.AMO_MIN); break;
    case Op.AMOMAX_W: r = A.AMO_W(e, pc, npc, A.AMO_MAX); break;
    case Op.AMOMINU_W: r = A.AMO_W(e, pc, npc, A.AMO_MINU); break;
    case Op.AMOMAXU_W: r = A.AMO_W(e, pc, npc, A.AMO_MAXU); break;
    case Op.LR_D: r = A.LR_D(e, pc, npc); break;
    case Op.SC_D: r = A.SC_D(e, pc, npc); break;
    case Op.AMOSWAP_D: r = A.AMO_D(e, pc, npc, A.AMO_SWAP); break;
    case Op.AMOADD_D: r = A.AMO_D(e, pc, npc, A.AMO_ADD); break;
    case Op.AMOXOR_D: r = A.AMO_D(e, pc, npc, A.AMO_XOR); break;
    case Op.AMOAND_D: r = A.AMO_D(e, pc, npc, A.AMO_AND); break;
    case Op.AMOOR_D: r = A.AMO_D(e, pc, npc, A.AMO_OR); break;
    case Op.AMOMIN_D: r = A.AMO_D(e, pc, npc, A.AMO_MIN); break;
    case Op.AMOMAX_D: r = A.AMO_D(e, pc, npc, A.AMO_MAX); break;
    case Op.AMOMINU_D: r = A.AMO_D(e, pc, npc, A.AMO_MINU); break;
    case Op.AMOMAXU_D: r = A.AMO_D(e, pc, npc, A.AMO_MAXU); break;
    case Op.SH1ADD: r = B.SHADD(e, npc, 1); break;
    case Op.SH2ADD: r = B.SHADD(e, npc, 2); break;
    case Op.SH3ADD: r = B.SHADD(e, npc, 3); break;
    case Op.ADD_UW: r = B.SHADD_UW(e, npc, 0); break;
    case Op.SH1ADD_UW: r = B.SHADD_UW(e, npc, 1); break;
    case Op.SH2ADD_UW: r = B.SHADD_UW(e, npc, 2); break;
    case Op.SH3ADD_UW: r = B.SHADD_UW(e, npc, 3); break;
    case Op.SLLI_UW: r = B.SLLI_UW(e, npc); break;
    case Op.ANDN: r = B.ANDN(e, npc); break;
    case Op.ORN: r = B.ORN(e, npc); break;
    case Op.XNOR: r = B.XNOR(e, npc); break;
    case Op.CLZ: r = B.CLZ(e, npc); break;
    case Op.CLZW: r = B.CLZW(e, npc); break;
    case Op.CTZ: r = B.CTZ(e, npc); break;
    case Op.CTZW: r = B.CTZW(e, npc); break;
    case Op.CPOP: r = B.CPOP(e, npc); break;
    case Op.CPOPW: r = B.CPOPW(e, npc); break;
    case Op.MAX: r = B.MAX(e, npc); break;
    case Op.MAXU: r = B.MAXU(e, npc); break;
    case Op.MIN: r = B.MIN(e, npc); break;
    case Op.MINU: r = B.MINU(e, npc); break;
    case Op.SEXT_B: r = B.SEXT_B(e, npc); break;
    case Op.SEXT_H: r = B.SEXT_H(e, npc); break;
    case Op.ZEXT_H: r = B.ZEXT_H(e, npc); break;
    case Op.ROL: r = B.ROL(e, npc); break;
    case Op.ROLW: r = B.ROLW(e, npc); break;
    case Op.ROR: r = B.ROR(e, npc); break;
    case Op.RORI: r = B.RORI(e, npc); break;
    case Op.RORIW: r = B.RORIW(e, npc); break;
    case Op.RORW: r = B.RORW(e, npc); break;
    case Op.ORC_B: r = B.ORC_B(e, npc); break;
    case Op.REV8: r = B.REV8(e, npc); break;
    case Op.FLW: r = FD.FLOAD(e, pc, npc, false); break;
    case Op.FLD: r = FD.FLOAD(e, pc, npc, true); break;
    case Op.FSW: r = FD.FSTORE(e, pc, npc, false); break;
    case Op.FSD: r = FD.FSTORE(e, pc, npc, true); break;
    default: {
      const op = <u32>load<u8>(e, 4);
      if (op >= <u32>Op.FMADD_S && op <= <u32>Op.FMV_D_X) r = FD.execFp(e, pc, npc, op);
      else r = S.illegal(e, pc);
      break;
    }
  }
  return r;
}

/** A fetch-page value no reachable pc matches (see runBatch). */
@inline function noFetchPage(pc: u64): u64 { return (pc & ~<u64>0xfff) ^ (<u64>1 << 61); }
