// M extension. Wasm has no 128-bit multiply: the high halves come from 32×32 partial products.
// Division by zero and signed overflow give the results the spec tabulates (no trap).
import { rs1v, rs2v, wrd } from '../isa/entry';

/** High 64 bits of the unsigned 128-bit product a × b. */
@inline export function mulhu64(a: u64, b: u64): u64 {
  const a0 = a & 0xffffffff, a1 = a >> 32, b0 = b & 0xffffffff, b1 = b >> 32;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}
/** Signed × signed: correct the unsigned product for negative operands. */
@inline export function mulh64(a: u64, b: u64): u64 {
  let h = mulhu64(a, b);
  if (<i64>a < 0) h -= b;
  if (<i64>b < 0) h -= a;
  return h;
}
/** Signed a × unsigned b. */
@inline export function mulhsu64(a: u64, b: u64): u64 {
  let h = mulhu64(a, b);
  if (<i64>a < 0) h -= b;
  return h;
}

@inline function sext32(v: u64): u64 { return <u64><i64><i32>v; }

@inline export function MUL(e: usize, npc: u64): u64 { wrd(e, rs1v(e) * rs2v(e)); return npc; }
@inline export function MULH(e: usize, npc: u64): u64 { wrd(e, mulh64(rs1v(e), rs2v(e))); return npc; }
@inline export function MULHSU(e: usize, npc: u64): u64 { wrd(e, mulhsu64(rs1v(e), rs2v(e))); return npc; }
@inline export function MULHU(e: usize, npc: u64): u64 { wrd(e, mulhu64(rs1v(e), rs2v(e))); return npc; }

@inline export function DIV(e: usize, npc: u64): u64 {
  const a = <i64>rs1v(e), b = <i64>rs2v(e);
  let q: i64;
  if (b == 0) q = -1;
  else if (a == i64.MIN_VALUE && b == -1) q = a;
  else q = a / b;
  wrd(e, <u64>q);
  return npc;
}
@inline export function DIVU(e: usize, npc: u64): u64 {
  const a = rs1v(e), b = rs2v(e);
  wrd(e, b == 0 ? <u64>-1 : a / b);
  return npc;
}
@inline export function REM(e: usize, npc: u64): u64 {
  const a = <i64>rs1v(e), b = <i64>rs2v(e);
  let r: i64;
  if (b == 0) r = a;
  else if (a == i64.MIN_VALUE && b == -1) r = 0;
  else r = a % b;
  wrd(e, <u64>r);
  return npc;
}
@inline export function REMU(e: usize, npc: u64): u64 {
  const a = rs1v(e), b = rs2v(e);
  wrd(e, b == 0 ? a : a % b);
  return npc;
}

@inline export function MULW(e: usize, npc: u64): u64 { wrd(e, sext32(rs1v(e) * rs2v(e))); return npc; }
@inline export function DIVW(e: usize, npc: u64): u64 {
  const a = <i32>rs1v(e), b = <i32>rs2v(e);
  let q: i32;
  if (b == 0) q = -1;
  else if (a == i32.MIN_VALUE && b == -1) q = a;
  else q = a / b;
  wrd(e, <u64><i64>q);
  return npc;
}
@inline export function DIVUW(e: usize, npc: u64): u64 {
  const a = <u32>rs1v(e), b = <u32>rs2v(e);
  wrd(e, sext32(<u64>(b == 0 ? 0xffffffff : a / b)));
  return npc;
}
@inline export function REMW(e: usize, npc: u64): u64 {
  const a = <i32>rs1v(e), b = <i32>rs2v(e);
  let r: i32;
  if (b == 0) r = a;
  else if (a == i32.MIN_VALUE && b == -1) r = 0;
  else r = a % b;
  wrd(e, <u64><i64>r);
  return npc;
}
@inline export function REMUW(e: usize, npc: u64): u64 {
  const a = <u32>rs1v(e), b = <u32>rs2v(e);
  wrd(e, sext32(<u64>(b == 0 ? a : a % b)));
  return npc;
}
