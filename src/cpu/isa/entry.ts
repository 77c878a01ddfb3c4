// A decoded instruction: 16 bytes in the hart's decode cache (or SPLIT_ENTRY).
//   +0  u32 raw    the instruction bits as fetched (32 bits; a 16-bit instruction has the
//                  next halfword above it). Also the cache tag: an entry is valid for a fetch
//                  iff its raw equals the bits in memory, so code changes never need an
//                  invalidation (decode is a pure function of the bits).
//   +4  u16 op     handler index (isa/ops.ts)
//   +6  u16 rd     byte offset of the destination register in the hart block (x0 → X0_SINK)
//   +8  u16 rs1    byte offset of source 1
//   +10 u16 rs2    byte offset of source 2
//   +12 i32 imm    immediate; CSR ops: csr | uimm << 12; R4 FP ops: rs3 offset | rm << 16; FP: rm
import { hb } from '../state';

@inline export function eRaw(e: usize): u32 { return load<u32>(e); }
@inline export function eOp(e: usize): u32 { return load<u16>(e, 4); }
@inline export function eImm(e: usize): i64 { return <i64>load<i32>(e, 12); }
@inline export function eImm32(e: usize): i32 { return load<i32>(e, 12); }

/** Source register values. */
@inline export function rs1v(e: usize): u64 { return load<u64>(hb + <usize>load<u16>(e, 8)); }
@inline export function rs2v(e: usize): u64 { return load<u64>(hb + <usize>load<u16>(e, 10)); }
/** Write the destination register (x0 writes land in a sink). */
@inline export function wrd(e: usize, v: u64): void { store<u64>(hb + <usize>load<u16>(e, 6), v); }

@inline export function eRdOff(e: usize): u32 { return load<u16>(e, 6); }
@inline export function eRs1Off(e: usize): u32 { return load<u16>(e, 8); }
@inline export function eRs2Off(e: usize): u32 { return load<u16>(e, 10); }

/** Instruction bits as reported in mtval/stval for an illegal instruction. */
@inline export function insnBits(e: usize): u64 {
  const raw = load<u32>(e);
  return (raw & 3) == 3 ? <u64>raw : <u64>(raw & 0xffff);
}

@inline export function setEntry(e: usize, raw: u32, op: u32, rd: u32, rs1: u32, rs2: u32, imm: i32): void {
  store<u32>(e, raw);
  store<u16>(e, <u16>op, 4);
  store<u16>(e, <u16>rd, 6);
  store<u16>(e, <u16>rs1, 8);
  store<u16>(e, <u16>rs2, 10);
  store<i32>(e, imm, 12);
}
