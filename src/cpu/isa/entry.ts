// A decoded instruction: 24 bytes in the hart's decode cache (or SPLIT_ENTRY).
//   +0  u32 raw    the instruction bits as fetched (32 bits; a 16-bit instruction has the
//                  next halfword above it). Also the cache tag: an entry is valid for a fetch
//                  iff its raw equals the bits in memory, so code changes never need an
//                  invalidation (decode is a pure function of the bits).
//   +4  u8  op     handler index (isa/ops.ts)
//   +5  u8  len    instruction length, 2 or 4
//   +6  u8  rm     FP rounding-mode field (FP ops) in bits 0..2; in a block, bits 3..7 = index in the block
//   +7  u8         in a block: the block loop's dispatch index (block.ts)
//   +8  u32 rd     wasm address of the destination register (x0 → a sink word)
//   +12 u32 rs1    wasm address of source 1 (x0 → x[0], always zero)
//   +16 u32 rs2    wasm address of source 2
//   +20 i32 imm    immediate; CSR ops: csr | rs1/uimm << 12; R4 FP ops: address of rs3
// Register addresses are absolute (the cache is per hart), so an operand is one load.
import { hb, X0_SINK } from '../state';

@inline export function eRaw(e: usize): u32 { return load<u32>(e); }
@inline export function eOp(e: usize): u32 { return load<u8>(e, 4); }
@inline export function eLen(e: usize): u64 { return <u64>load<u8>(e, 5); }
@inline export function eRm(e: usize): u32 { return load<u8>(e, 6) & 7; }
@inline export function eImm(e: usize): i64 { return <i64>load<i32>(e, 20); }
@inline export function eImm32(e: usize): i32 { return load<i32>(e, 20); }

/** Source register values. */
@inline export function rs1v(e: usize): u64 { return load<u64>(load<u32>(e, 12)); }
@inline export function rs2v(e: usize): u64 { return load<u64>(load<u32>(e, 16)); }
/** Write the destination register (x0 writes land in a sink). */
@inline export function wrd(e: usize, v: u64): void { store<u64>(load<u32>(e, 8), v); }

@inline export function eRdAddr(e: usize): usize { return load<u32>(e, 8); }
@inline export function eRs1Addr(e: usize): usize { return load<u32>(e, 12); }
@inline export function eRs2Addr(e: usize): usize { return load<u32>(e, 16); }
/** Is rd x0? */
@inline export function rdIsX0(e: usize): bool { return <usize>load<u32>(e, 8) == hb + <usize>X0_SINK; }

/** Instruction bits as reported in mtval/stval for an illegal instruction. */
@inline export function insnBits(e: usize): u64 {
  const raw = load<u32>(e);
  return (raw & 3) == 3 ? <u64>raw : <u64>(raw & 0xffff);
}

/** Fill an entry. rd/rs1/rs2 are byte offsets in the hart block; stored as absolute addresses. */
@inline export function setEntry(e: usize, raw: u32, op: u32, rd: u32, rs1: u32, rs2: u32, imm: i32, rm: u32): void {
  store<u32>(e, raw);
  store<u8>(e, <u8>op, 4);
  store<u8>(e, (raw & 3) == 3 ? 4 : 2, 5);
  store<u8>(e, <u8>rm, 6);
  store<u32>(e, <u32>(hb + rd), 8);
  store<u32>(e, <u32>(hb + rs1), 12);
  store<u32>(e, <u32>(hb + rs2), 16);
  store<i32>(e, imm, 20);
}
