// RV64I base integer instructions. Each handler takes the decoded entry, the pc of the
// instruction and the pc of the next one, and returns the pc to continue at.
import { eImm, rs1v, rs2v, wrd } from '../isa/entry';
import { fullFence } from '../state';
import { tlbSlot, tlbKey, loadSlowInsn, storeSlowInsn } from '../mem';
import { tlbLoad, tlbStore } from '../mmu';

@inline function sext32(v: u64): u64 { return <u64><i64><i32>v; }

@inline export function LUI(e: usize, npc: u64): u64 { wrd(e, <u64>eImm(e)); return npc; }
@inline export function AUIPC(e: usize, pc: u64, npc: u64): u64 { wrd(e, pc + <u64>eImm(e)); return npc; }
@inline export function JAL(e: usize, pc: u64, npc: u64): u64 { wrd(e, npc); return pc + <u64>eImm(e); }
@inline export function JALR(e: usize, npc: u64): u64 {
  const t = (rs1v(e) + <u64>eImm(e)) & ~<u64>1; // read rs1 before writing rd (rd may equal rs1)
  wrd(e, npc);
  return t;
}

// Branches
@inline export function BEQ(e: usize, pc: u64, npc: u64): u64 { return rs1v(e) == rs2v(e) ? pc + <u64>eImm(e) : npc; }
@inline export function BNE(e: usize, pc: u64, npc: u64): u64 { return rs1v(e) != rs2v(e) ? pc + <u64>eImm(e) : npc; }
@inline export function BLT(e: usize, pc: u64, npc: u64): u64 { return <i64>rs1v(e) < <i64>rs2v(e) ? pc + <u64>eImm(e) : npc; }
@inline export function BGE(e: usize, pc: u64, npc: u64): u64 { return <i64>rs1v(e) >= <i64>rs2v(e) ? pc + <u64>eImm(e) : npc; }
@inline export function BLTU(e: usize, pc: u64, npc: u64): u64 { return rs1v(e) < rs2v(e) ? pc + <u64>eImm(e) : npc; }
@inline export function BGEU(e: usize, pc: u64, npc: u64): u64 { return rs1v(e) >= rs2v(e) ? pc + <u64>eImm(e) : npc; }

// Loads and stores: T selects width and extension. The TLB hit is inline; anything else
// (miss, misaligned, MMIO, fault) continues out of line.
@inline export function LOAD<T>(e: usize, pc: u64, npc: u64): u64 {
  const a = rs1v(e) + <u64>eImm(e);
  const t = tlbSlot(tlbLoad, a);
  if (load<u64>(t) == tlbKey<T>(a)) {
    const h = <usize>(a + load<u64>(t, 8));
    wrd(e, isSigned<T>() ? <u64><i64>load<T>(h) : <u64>load<T>(h));
    return npc;
  }
  return loadSlowInsn(e, a, <u32>sizeof<T>(), isSigned<T>(), pc, npc);
}
@inline export function STORE<T>(e: usize, pc: u64, npc: u64): u64 {
  const a = rs1v(e) + <u64>eImm(e);
  const t = tlbSlot(tlbStore, a);
  if (load<u64>(t) == tlbKey<T>(a)) {
    store<T>(<usize>(a + load<u64>(t, 8)), <T>rs2v(e));
    return npc;
  }
  return storeSlowInsn(a, <u32>sizeof<T>(), rs2v(e), pc, npc);
}

// Register-immediate
@inline export function ADDI(e: usize, npc: u64): u64 { wrd(e, rs1v(e) + <u64>eImm(e)); return npc; }
@inline export function SLTI(e: usize, npc: u64): u64 { wrd(e, <u64>(<i64>rs1v(e) < eImm(e))); return npc; }
@inline export function SLTIU(e: usize, npc: u64): u64 { wrd(e, <u64>(rs1v(e) < <u64>eImm(e))); return npc; }
@inline export function XORI(e: usize, npc: u64): u64 { wrd(e, rs1v(e) ^ <u64>eImm(e)); return npc; }
@inline export function ORI(e: usize, npc: u64): u64 { wrd(e, rs1v(e) | <u64>eImm(e)); return npc; }
@inline export function ANDI(e: usize, npc: u64): u64 { wrd(e, rs1v(e) & <u64>eImm(e)); return npc; }
@inline export function SLLI(e: usize, npc: u64): u64 { wrd(e, rs1v(e) << <u64>eImm(e)); return npc; }
@inline export function SRLI(e: usize, npc: u64): u64 { wrd(e, rs1v(e) >> <u64>eImm(e)); return npc; }
@inline export function SRAI(e: usize, npc: u64): u64 { wrd(e, <u64>(<i64>rs1v(e) >> eImm(e))); return npc; }

// Register-register
@inline export function ADD(e: usize, npc: u64): u64 { wrd(e, rs1v(e) + rs2v(e)); return npc; }
@inline export function SUB(e: usize, npc: u64): u64 { wrd(e, rs1v(e) - rs2v(e)); return npc; }
@inline export function SLL(e: usize, npc: u64): u64 { wrd(e, rs1v(e) << (rs2v(e) & 63)); return npc; }
@inline export function SLT(e: usize, npc: u64): u64 { wrd(e, <u64>(<i64>rs1v(e) < <i64>rs2v(e))); return npc; }
@inline export function SLTU(e: usize, npc: u64): u64 { wrd(e, <u64>(rs1v(e) < rs2v(e))); return npc; }
@inline export function XOR(e: usize, npc: u64): u64 { wrd(e, rs1v(e) ^ rs2v(e)); return npc; }
@inline export function SRL(e: usize, npc: u64): u64 { wrd(e, rs1v(e) >> (rs2v(e) & 63)); return npc; }
@inline export function SRA(e: usize, npc: u64): u64 { wrd(e, <u64>(<i64>rs1v(e) >> <i64>(rs2v(e) & 63))); return npc; }
@inline export function OR(e: usize, npc: u64): u64 { wrd(e, rs1v(e) | rs2v(e)); return npc; }
@inline export function AND(e: usize, npc: u64): u64 { wrd(e, rs1v(e) & rs2v(e)); return npc; }

// RV64 word operations: compute on the low 32 bits, sign-extend the result.
@inline export function ADDIW(e: usize, npc: u64): u64 { wrd(e, sext32(rs1v(e) + <u64>eImm(e))); return npc; }
@inline export function SLLIW(e: usize, npc: u64): u64 { wrd(e, sext32(rs1v(e) << <u64>eImm(e))); return npc; }
@inline export function SRLIW(e: usize, npc: u64): u64 { wrd(e, sext32(<u64>(<u32>rs1v(e) >> <u32>eImm(e)))); return npc; }
@inline export function SRAIW(e: usize, npc: u64): u64 { wrd(e, <u64><i64>(<i32>rs1v(e) >> <i32>eImm(e))); return npc; }
@inline export function ADDW(e: usize, npc: u64): u64 { wrd(e, sext32(rs1v(e) + rs2v(e))); return npc; }
@inline export function SUBW(e: usize, npc: u64): u64 { wrd(e, sext32(rs1v(e) - rs2v(e))); return npc; }
@inline export function SLLW(e: usize, npc: u64): u64 { wrd(e, sext32(<u64>(<u32>rs1v(e) << (<u32>rs2v(e) & 31)))); return npc; }
@inline export function SRLW(e: usize, npc: u64): u64 { wrd(e, sext32(<u64>(<u32>rs1v(e) >> (<u32>rs2v(e) & 31)))); return npc; }
@inline export function SRAW(e: usize, npc: u64): u64 { wrd(e, <u64><i64>(<i32>rs1v(e) >> (<i32>rs2v(e) & 31))); return npc; }

@inline export function FENCE(npc: u64): u64 { fullFence(); return npc; }
