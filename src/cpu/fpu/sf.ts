// Internal soft-float helpers (SoftFloat-style round-and-pack, wide integer helpers,
// error-free transformations). Nothing here allocates; secondary results of the
// 128-bit helpers go to module globals (per wasm instance, so thread-safe).

import { fflagsAcc, raise, NX, UF, OF, NV, RNE, RTZ, RDN, RUP, RMM } from './flags';

// ---- f64 constants ----
export const F64_SIGN: u64 = 0x8000000000000000;
export const F64_EXP: u64 = 0x7FF0000000000000;
export const F64_MANT: u64 = 0x000FFFFFFFFFFFFF;
export const F64_HIDDEN: u64 = 0x0010000000000000;
export const F64_QBIT: u64 = 0x0008000000000000;
export const F64_INF: u64 = 0x7FF0000000000000;
export const F64_QNAN: u64 = 0x7FF8000000000000; // RISC-V canonical NaN

// ---- f32 constants ----
export const F32_SIGN: u32 = 0x80000000;
export const F32_EXP: u32 = 0x7F800000;
export const F32_MANT: u32 = 0x007FFFFF;
export const F32_QBIT: u32 = 0x00400000;
export const F32_INF: u32 = 0x7F800000;
export const F32_QNAN: u32 = 0x7FC00000; // RISC-V canonical NaN

@inline export function isNaN64(a: u64): bool {
  return (a & ~F64_SIGN) > F64_INF;
}
@inline export function isSNaN64(a: u64): bool {
  return (a & ~F64_SIGN) > F64_INF && (a & F64_QBIT) == 0;
}
@inline export function isNaN32(a: u32): bool {
  return (a & ~F32_SIGN) > F32_INF;
}
@inline export function isSNaN32(a: u32): bool {
  return (a & ~F32_SIGN) > F32_INF && (a & F32_QBIT) == 0;
}

// Canonical NaN result of a 2-operand op with at least one NaN input; NV on any sNaN.
@inline export function nan2_64(a: u64, b: u64): u64 {
  if (isSNaN64(a) || isSNaN64(b)) raise(NV);
  return F64_QNAN;
}
@inline export function nan2_32(a: u32, b: u32): u32 {
  if (isSNaN32(a) || isSNaN32(b)) raise(NV);
  return F32_QNAN;
}

// ---- shifts with sticky ("jam") bit; any dist, including 0 (unlike SoftFloat's) ----
@inline export function shiftRightJam64(a: u64, dist: u32): u64 {
  if (dist == 0) return a;
  return dist < 63 ? (a >> dist) | <u64>((a << ((-dist) & 63)) != 0) : <u64>(a != 0);
}
@inline export function shiftRightJam32(a: u32, dist: u32): u32 {
  if (dist == 0) return a;
  return dist < 31 ? (a >> dist) | <u32>((a << ((-dist) & 31)) != 0) : <u32>(a != 0);
}

// ---- 64x64 -> 128 multiply: returns low half, high half in mulHi ----
export let mulHi: u64 = 0;
@inline export function mul64To128(a: u64, b: u64): u64 {
  const a0 = a & 0xFFFFFFFF, a1 = a >> 32, b0 = b & 0xFFFFFFFF, b1 = b >> 32;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xFFFFFFFF) + (p10 & 0xFFFFFFFF);
  mulHi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  return (mid << 32) | (p00 & 0xFFFFFFFF);
}

// ---- 128-bit shift right with jam: input (hi, lo), result in r128Hi/r128Lo ----
export let r128Hi: u64 = 0;
export let r128Lo: u64 = 0;
export function shiftRightJam128(hi: u64, lo: u64, dist: u32): void {
  if (dist == 0) {
    r128Hi = hi; r128Lo = lo;
  } else if (dist < 64) {
    r128Lo = (hi << (64 - dist)) | (lo >> dist) | <u64>((lo << (64 - dist)) != 0);
    r128Hi = hi >> dist;
  } else if (dist < 128) {
    const d2 = dist - 64;
    const lost = d2 == 0 ? lo : (hi << (64 - d2)) | lo;
    r128Lo = (d2 == 0 ? hi : hi >> d2) | <u64>(lost != 0);
    r128Hi = 0;
  } else {
    r128Lo = <u64>((hi | lo) != 0);
    r128Hi = 0;
  }
}

// ---- round and pack, f64 ----
// value = sig * 2^(exp - 1084); sig normalised with its leading 1 at bit 62
// (10 round bits). Exactly SoftFloat's softfloat_roundPackToF64, tininess after rounding.
export function roundPack64(sign: bool, exp: i32, sig: u64, rm: i32): u64 {
  let inc: u64 = 0x200;
  if (rm != RNE && rm != RMM) {
    inc = rm == (sign ? RDN : RUP) ? 0x3FF : 0;
  }
  let roundBits = sig & 0x3FF;
  if (<u32>exp >= 0x7FD) {
    if (exp < 0) {
      const isTiny = exp < -1 || sig + inc < 0x8000000000000000;
      sig = shiftRightJam64(sig, <u32>(-exp));
      exp = 0;
      roundBits = sig & 0x3FF;
      if (isTiny && roundBits != 0) raise(UF);
    } else if (exp > 0x7FD || sig + inc >= 0x8000000000000000) {
      raise(OF | NX);
      return ((<u64>sign << 63) | F64_INF) - <u64>(inc == 0);
    }
  }
  sig = (sig + inc) >> 10;
  if (roundBits != 0) raise(NX);
  if (rm == RNE && roundBits == 0x200) sig &= ~(<u64>1);
  if (sig == 0) exp = 0;
  return (<u64>sign << 63) + (<u64>exp << 52) + sig;
}

// Any nonzero sig (value = sig * 2^(exp - 1084)); normalises then rounds.
export function normRoundPack64(sign: bool, exp: i32, sig: u64, rm: i32): u64 {
  const lz = <i32>clz<u64>(sig);
  if (lz == 0) {
    return roundPack64(sign, exp + 1, (sig >> 1) | (sig & 1), rm);
  }
  const shift = lz - 1;
  return roundPack64(sign, exp - shift, sig << shift, rm);
}

// ---- round and pack, f32 ----
// value = sig * 2^(exp - 156); sig leading 1 at bit 30 (7 round bits).
export function roundPack32(sign: bool, exp: i32, sig: u32, rm: i32): u32 {
  let inc: u32 = 0x40;
  if (rm != RNE && rm != RMM) {
    inc = rm == (sign ? RDN : RUP) ? 0x7F : 0;
  }
  let roundBits = sig & 0x7F;
  if (<u32>exp >= 0xFD) {
    if (exp < 0) {
      const isTiny = exp < -1 || sig + inc < 0x80000000;
      sig = shiftRightJam32(sig, <u32>(-exp));
      exp = 0;
      roundBits = sig & 0x7F;
      if (isTiny && roundBits != 0) raise(UF);
    } else if (exp > 0xFD || sig + inc >= 0x80000000) {
      raise(OF | NX);
      return ((<u32>sign << 31) | F32_INF) - <u32>(inc == 0);
    }
  }
  sig = (sig + inc) >> 7;
  if (roundBits != 0) raise(NX);
  if (rm == RNE && roundBits == 0x40) sig &= ~(<u32>1);
  if (sig == 0) exp = 0;
  return (<u32>sign << 31) + (<u32>exp << 23) + sig;
}

// Any nonzero 64-bit sig with value = sig * 2^(exp - 188); rounds to f32.
export function normRoundPack32from64(sign: bool, exp: i32, sig: u64, rm: i32): u32 {
  const lz = <i32>clz<u64>(sig);
  if (lz == 0) {
    sig = (sig >> 1) | (sig & 1);
    exp += 1;
  } else {
    sig <<= <u64>(lz - 1);
    exp -= lz - 1;
  }
  const s32 = <u32>(sig >> 32) | <u32>((sig & 0xFFFFFFFF) != 0);
  return roundPack32(sign, exp, s32, rm);
}

// ---- error-free transformations (valid when no overflow/underflow, see callers) ----
@inline export function twoSumErr(a: f64, b: f64, s: f64): f64 {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}
// Dekker/Veltkamp: exact a*b - p for p = fl(a*b), no FMA needed.
@inline export function twoProdErr(a: f64, b: f64, p: f64): f64 {
  let t = 134217729.0 * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = 134217729.0 * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

// ---- stepping a finite result by one ulp ----
// Neighbour of rb in the direction of s (s > 0: towards +inf, s < 0: towards -inf).
@inline export function stepDir64(rb: u64, s: i32): u64 {
  return ((rb >> 63) != 0) == (s > 0) ? rb - 1 : rb + 1;
}
@inline export function stepDir32(rb: u32, s: i32): u32 {
  return ((rb >> 31) != 0) == (s > 0) ? rb - 1 : rb + 1;
}

// Directed rounding (RTZ/RDN/RUP) of an RNE result rb (finite, nonzero) given
// s = sign(exact - r) (nonzero).
@inline export function directed64(rb: u64, s: i32, rm: i32): u64 {
  const neg = (rb >> 63) != 0;
  if (rm == RTZ) {
    return (neg ? s > 0 : s < 0) ? rb - 1 : rb;
  } else if (rm == RDN) {
    return s < 0 ? (neg ? rb + 1 : rb - 1) : rb;
  } else {
    return s > 0 ? (neg ? rb - 1 : rb + 1) : rb;
  }
}
@inline export function directed32(rb: u32, s: i32, rm: i32): u32 {
  const neg = (rb >> 31) != 0;
  if (rm == RTZ) {
    return (neg ? s > 0 : s < 0) ? rb - 1 : rb;
  } else if (rm == RDN) {
    return s < 0 ? (neg ? rb + 1 : rb - 1) : rb;
  } else {
    return s > 0 ? (neg ? rb - 1 : rb + 1) : rb;
  }
}

// Non-RNE fix-up of an inexact f64 result r = fl_RNE(exact), exact = r + e with e the
// exact (nonzero) error. r finite nonzero, and (for directed modes) r not so close to the
// subnormal range that the step would need underflow signalling (callers guarantee).
export function fixup64(rb: u64, e: f64, rm: i32): u64 {
  const s: i32 = e > 0 ? 1 : -1;
  if (rm == RMM) {
    // a tie, with RNE having chosen the neighbour nearer to zero?
    const nb = stepDir64(rb, s);
    if (((rb >> 63) != 0) == (s < 0) && e + e == reinterpret<f64>(nb) - reinterpret<f64>(rb)) {
      if ((nb & ~F64_SIGN) == F64_INF) raise(OF);
      return nb;
    }
    return rb;
  }
  const r = directed64(rb, s, rm);
  if ((r & ~F64_SIGN) == F64_INF) raise(OF);
  return r;
}

// Fast rounding of d to f32 when the residual cannot matter: d in the f32 normal range
// (|d| in [2^-125, 2^127)) and d's 29 bits below f32 precision are neither all zero
// (d representable) nor exactly 100...0 (d a midpoint). Then the exact value lies strictly
// between the same two f32 neighbours as d, off their midpoint, on d's side.
// Returns true when applicable (callers then use f32_fastRound).
@inline export function f32_fastOk(bd: u64): bool {
  const low = <u32>bd & 0x1FFFFFFF;
  return <u32>(<u32>((bd >> 52) & 0x7FF) - 898) < 252 && low != 0 && low != 0x10000000;
}
@inline export function f32_fastRound(bd: u64, rm: i32): u32 {
  raise(NX);
  if (rm == RNE || rm == RMM) return reinterpret<u32>(<f32>reinterpret<f64>(bd));
  // truncation: re-bias exponent, drop 29 bits
  const neg = (bd >> 63) != 0;
  const t = (<u32>(bd >> 32) & F32_SIGN) | ((<u32>((bd >> 52) & 0x7FF) - 896) << 23) | (<u32>(bd >> 29) & F32_MANT);
  if (rm == RTZ) return t;
  return t + <u32>(rm == (neg ? RDN : RUP));
}

// Round an f64 "exact value" to f32: exact = d + t with |t| < ulp(d)/2 and sign(t) = es
// (es = 0 when d is exact). d finite, nonzero. Handles every rounding mode, subnormal
// results, overflow, and all flags. This is the core of every f32 operation.
export function f32_round(d: f64, es: i32, rm: i32): u32 {
  const bd = reinterpret<u64>(d);
  const E = <u32>((bd >> 52) & 0x7FF);
  if (<u32>(E - 898) < 252) {
    // |d| in [2^-125, 2^127): result normal, no overflow, one-ulp steps stay normal.
    // t = d truncated to f32 (exponent re-biased, 29 low bits dropped).
    const neg = (bd >> 63) != 0;
    const t = (<u32>(bd >> 32) & F32_SIGN) | ((E - 896) << 23) | (<u32>(bd >> 29) & F32_MANT);
    const low = <u32>bd & 0x1FFFFFFF;
    if (es == 0 && rm == RNE) {
      // d exact: branch-free round-to-nearest-even on the 29 dropped bits
      fflagsAcc |= <i32>(low != 0);
      return t + (<u32>(low > 0x10000000) | (<u32>(low == 0x10000000) & t));
    }
    if (low == 0) {
      if (es == 0) return t;
      raise(NX);
      if (rm == RNE || rm == RMM) return t;
      return directed32(t, es, rm);
    }
    raise(NX);
    const up = <u32>(rm == (neg ? RDN : RUP)); // directed mode rounding away from zero
    if (low == 0x10000000) {
      // d is the midpoint of t and t+1 (in magnitude); es moves the exact value off it
      const far = es == 0 ? 0 : ((es > 0) != neg ? 1 : -1);
      if (rm == RNE) return t + <u32>(far > 0 || (far == 0 && (t & 1) != 0));
      if (rm == RMM) return t + <u32>(far >= 0);
      return rm == RTZ ? t : t + up;
    }
    if (rm == RNE || rm == RMM) return t + <u32>(low > 0x10000000);
    return rm == RTZ ? t : t + up;
  }
  return f32_roundSlow(d, es, rm);
}

export function f32_roundSlow(d: f64, es: i32, rm: i32): u32 {
  const bd = reinterpret<u64>(d);
  const sign = (bd >> 63) != 0;
  let E = <i32>((bd >> 52) & 0x7FF);
  let sig = bd & F64_MANT;
  if (E == 0) E = 1;
  else sig |= F64_HIDDEN;
  sig <<= 10;
  if (es != 0) {
    if ((es > 0) != sign) sig |= 1;
    else sig -= 1;
  }
  return normRoundPack32from64(sign, E - 897, sig, rm);
}
