// Single-precision arithmetic (RISC-V F): add, sub, mul, div, sqrt, fma.
// Values are raw bit patterns (u32, already unboxed by the core). NaN results are canonical.
//
// Every op computes in f64, where the exact result is known as d + t (d = fl64(exact),
// t an exact or sign-known residual): f32 products are exact in f64; sums with exponents
// within 29 are exact, otherwise TwoSum gives t; fused multiply-adds get t from TwoSum of
// the exact f64 product and the addend; quotients and roots from an exact remainder.
// Fast path (all rounding modes): when d lies in the f32 normal range and its 29 bits
// below f32 precision are neither 0 nor exactly 1000..0, t cannot matter: the result is
// wasm's f32.demote (RNE/RMM) or d truncated (+1 ulp for RUP/RDN away from zero), NX set,
// and the residual is never computed. Otherwise f32_round() (sf.ts) rounds (d, sign t)
// exactly, incl. subnormal results, overflow and tininess after rounding.

import { raise, NX, NV, DZ, RDN } from './flags';
import {
  F32_SIGN, F32_INF, F32_QNAN,
  isNaN32, isSNaN32, nan2_32, twoSumErr, twoProdErr, f32_round, f32_fastOk, f32_fastRound,
} from './sf';

@inline function sgn(x: f64): i32 {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

// ---------------------------------------------------------------- add / sub

export function f32_add(a: u32, b: u32, rm: i32): u32 {
  if ((a & F32_INF) == F32_INF || (b & F32_INF) == F32_INF) {
    if (isNaN32(a) || isNaN32(b)) return nan2_32(a, b);
    if ((a & F32_INF) == F32_INF && (b & F32_INF) == F32_INF) {
      if ((a ^ b) >> 31) { raise(NV); return F32_QNAN; }
      return a;
    }
    return (a & F32_INF) == F32_INF ? a : b;
  }
  const x = <f64>reinterpret<f32>(a), y = <f64>reinterpret<f32>(b);
  const d = x + y;
  if (d == 0) return rm == RDN ? (a | b) & F32_SIGN : (a & b) & F32_SIGN;
  // exponents within 29: the f64 sum is exact
  const ed = <i32>((a >> 23) & 0xFF) - <i32>((b >> 23) & 0xFF);
  if (<u32>(ed + 29) <= 58) return f32_round(d, 0, rm);
  const bd = reinterpret<u64>(d);
  if (f32_fastOk(bd)) return f32_fastRound(bd, rm);
  return f32_round(d, sgn(twoSumErr(x, y, d)), rm);
}

@inline export function f32_sub(a: u32, b: u32, rm: i32): u32 {
  return f32_add(a, b ^ F32_SIGN, rm);
}

// ---------------------------------------------------------------- mul

export function f32_mul(a: u32, b: u32, rm: i32): u32 {
  if ((a & F32_INF) == F32_INF || (b & F32_INF) == F32_INF) {
    if (isNaN32(a) || isNaN32(b)) return nan2_32(a, b);
    if ((a & ~F32_SIGN) == 0 || (b & ~F32_SIGN) == 0) { raise(NV); return F32_QNAN; }
    return ((a ^ b) & F32_SIGN) | F32_INF;
  }
  const d = <f64>reinterpret<f32>(a) * <f64>reinterpret<f32>(b); // exact
  const bd = reinterpret<u64>(d);
  if (f32_fastOk(bd)) return f32_fastRound(bd, rm);
  if (d == 0) return (a ^ b) & F32_SIGN;
  return f32_round(d, 0, rm);
}

// ---------------------------------------------------------------- div

export function f32_div(a: u32, b: u32, rm: i32): u32 {
  const sign = (a ^ b) & F32_SIGN;
  if ((a & F32_INF) == F32_INF || (b & F32_INF) == F32_INF) {
    if (isNaN32(a) || isNaN32(b)) return nan2_32(a, b);
    if ((a & F32_INF) == F32_INF) {
      if ((b & F32_INF) == F32_INF) { raise(NV); return F32_QNAN; }
      return sign | F32_INF;
    }
    return sign; // finite / inf
  }
  if ((b & ~F32_SIGN) == 0) {
    if ((a & ~F32_SIGN) == 0) { raise(NV); return F32_QNAN; }
    raise(DZ);
    return sign | F32_INF;
  }
  if ((a & ~F32_SIGN) == 0) return sign;
  const x = <f64>reinterpret<f32>(a), y = <f64>reinterpret<f32>(b);
  const d = x / y;
  const bd = reinterpret<u64>(d);
  if (f32_fastOk(bd)) return f32_fastRound(bd, rm);
  const p = d * y;
  const rem = (x - p) - twoProdErr(d, y, p); // exact a - d*b, sign-exact
  const es = rem == 0 ? 0 : ((rem > 0) == (y > 0) ? 1 : -1);
  return f32_round(d, es, rm);
}

// ---------------------------------------------------------------- sqrt

export function f32_sqrt(a: u32, rm: i32): u32 {
  if (isNaN32(a)) {
    if (isSNaN32(a)) raise(NV);
    return F32_QNAN;
  }
  if ((a & ~F32_SIGN) == 0) return a;
  if (a >> 31) { raise(NV); return F32_QNAN; }
  if (a == F32_INF) return a;
  const x = <f64>reinterpret<f32>(a);
  const d = sqrt<f64>(x);
  const bd = reinterpret<u64>(d);
  if (f32_fastOk(bd)) return f32_fastRound(bd, rm);
  const p = d * d;
  return f32_round(d, sgn((x - p) - twoProdErr(d, d, p)), rm);
}

// ---------------------------------------------------------------- fma

// Fused a*b + c, single rounding (RISC-V FMADD.S). Caller sign flips, exact for NaNs too:
//   FMSUB.S  = f32_fma(a, b, c ^ 0x80000000)
//   FNMSUB.S = f32_fma(a ^ 0x80000000, b, c)
//   FNMADD.S = f32_fma(a ^ 0x80000000, b, c ^ 0x80000000)
export function f32_fma(a: u32, b: u32, c: u32, rm: i32): u32 {
  const sp = (a ^ b) & F32_SIGN;
  if ((a & F32_INF) == F32_INF || (b & F32_INF) == F32_INF || (c & F32_INF) == F32_INF) {
    const az = (a & ~F32_SIGN) == 0, bz = (b & ~F32_SIGN) == 0;
    const ai = (a & ~F32_SIGN) == F32_INF, bi = (b & ~F32_SIGN) == F32_INF;
    if (isNaN32(a) || isNaN32(b) || isNaN32(c)) {
      if (isSNaN32(a) || isSNaN32(b) || isSNaN32(c) || (ai && bz) || (bi && az)) raise(NV);
      return F32_QNAN;
    }
    if (ai || bi) {
      if (az || bz) { raise(NV); return F32_QNAN; }
      if ((c & ~F32_SIGN) == F32_INF && (c & F32_SIGN) != sp) { raise(NV); return F32_QNAN; }
      return sp | F32_INF;
    }
    return c;
  }
  const x = <f64>reinterpret<f32>(a), y = <f64>reinterpret<f32>(b), z = <f64>reinterpret<f32>(c);
  const p = x * y; // exact
  if (p == 0) {
    if ((c & ~F32_SIGN) == 0) {
      if (sp == (c & F32_SIGN)) return c;
      return rm == RDN ? F32_SIGN : 0;
    }
    return c;
  }
  const d = p + z;
  const bd = reinterpret<u64>(d);
  if (f32_fastOk(bd)) return f32_fastRound(bd, rm);
  if (d == 0) return rm == RDN ? F32_SIGN : 0; // exact cancellation
  return f32_round(d, sgn(twoSumErr(p, z, d)), rm);
}
