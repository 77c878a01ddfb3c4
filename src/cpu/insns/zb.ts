// Zba (address generation) and Zbb (basic bit manipulation).
import { eImm, rs1v, rs2v, wrd } from '../isa/entry';

@inline function sext32(v: u64): u64 { return <u64><i64><i32>v; }
@inline function zext32(v: u64): u64 { return v & 0xffffffff; }

// Zba
@inline export function SHADD(e: usize, npc: u64, sh: u64): u64 { wrd(e, (rs1v(e) << sh) + rs2v(e)); return npc; }
@inline export function SHADD_UW(e: usize, npc: u64, sh: u64): u64 { wrd(e, (zext32(rs1v(e)) << sh) + rs2v(e)); return npc; }
@inline export function SLLI_UW(e: usize, npc: u64): u64 { wrd(e, zext32(rs1v(e)) << <u64>eImm(e)); return npc; }

// Zbb
@inline export function ANDN(e: usize, npc: u64): u64 { wrd(e, rs1v(e) & ~rs2v(e)); return npc; }
@inline export function ORN(e: usize, npc: u64): u64 { wrd(e, rs1v(e) | ~rs2v(e)); return npc; }
@inline export function XNOR(e: usize, npc: u64): u64 { wrd(e, ~(rs1v(e) ^ rs2v(e))); return npc; }
@inline export function CLZ(e: usize, npc: u64): u64 { wrd(e, clz(rs1v(e))); return npc; }
@inline export function CLZW(e: usize, npc: u64): u64 { wrd(e, <u64>clz(<u32>rs1v(e))); return npc; }
@inline export function CTZ(e: usize, npc: u64): u64 { wrd(e, ctz(rs1v(e))); return npc; }
@inline export function CTZW(e: usize, npc: u64): u64 { wrd(e, <u64>ctz(<u32>rs1v(e))); return npc; }
@inline export function CPOP(e: usize, npc: u64): u64 { wrd(e, popcnt(rs1v(e))); return npc; }
@inline export function CPOPW(e: usize, npc: u64): u64 { wrd(e, <u64>popcnt(<u32>rs1v(e))); return npc; }
@inline export function MAX(e: usize, npc: u64): u64 { const a = rs1v(e), b = rs2v(e); wrd(e, <i64>a > <i64>b ? a : b); return npc; }
@inline export function MAXU(e: usize, npc: u64): u64 { const a = rs1v(e), b = rs2v(e); wrd(e, a > b ? a : b); return npc; }
@inline export function MIN(e: usize, npc: u64): u64 { const a = rs1v(e), b = rs2v(e); wrd(e, <i64>a < <i64>b ? a : b); return npc; }
@inline export function MINU(e: usize, npc: u64): u64 { const a = rs1v(e), b = rs2v(e); wrd(e, a < b ? a : b); return npc; }
@inline export function SEXT_B(e: usize, npc: u64): u64 { wrd(e, <u64><i64><i8>rs1v(e)); return npc; }
@inline export function SEXT_H(e: usize, npc: u64): u64 { wrd(e, <u64><i64><i16>rs1v(e)); return npc; }
@inline export function ZEXT_H(e: usize, npc: u64): u64 { wrd(e, rs1v(e) & 0xffff); return npc; }
@inline export function ROL(e: usize, npc: u64): u64 { wrd(e, rotl(rs1v(e), rs2v(e) & 63)); return npc; }
@inline export function ROR(e: usize, npc: u64): u64 { wrd(e, rotr(rs1v(e), rs2v(e) & 63)); return npc; }
@inline export function RORI(e: usize, npc: u64): u64 { wrd(e, rotr(rs1v(e), <u64>eImm(e) & 63)); return npc; }
@inline export function ROLW(e: usize, npc: u64): u64 { wrd(e, sext32(<u64>rotl(<u32>rs1v(e), <u32>rs2v(e) & 31))); return npc; }
@inline export function RORW(e: usize, npc: u64): u64 { wrd(e, sext32(<u64>rotr(<u32>rs1v(e), <u32>rs2v(e) & 31))); return npc; }
@inline export function RORIW(e: usize, npc: u64): u64 { wrd(e, sext32(<u64>rotr(<u32>rs1v(e), <u32>eImm(e) & 31))); return npc; }
@inline export function REV8(e: usize, npc: u64): u64 { wrd(e, bswap(rs1v(e))); return npc; }
@inline export function ORC_B(e: usize, npc: u64): u64 {
  const v = rs1v(e);
  let r: u64 = 0;
  for (let i: u64 = 0; i < 64; i += 8) if (((v >> i) & 0xff) != 0) r |= <u64>0xff << i;
  wrd(e, r);
  return npc;
}
