// Conversions (RISC-V FCVT.*): float <-> float, float -> integer (saturating), integer -> float.
//
// Float -> integer: RISC-V rules. NaN -> largest positive value; out of range (after
// rounding) -> saturate to the nearest bound with NV and no NX; otherwise NX if inexact.
// 32-bit results are returned sign-extended to 64 bits, as FCVT.W[U].[SD] writes rd
// (FCVT.WU sign-extends its 32-bit result too).

import { raise, NX, NV, RNE, RTZ, RDN, RUP } from './flags';
import {
  F64_SIGN, F64_MANT, F64_HIDDEN, F64_INF, F64_QNAN, F32_SIGN, F32_INF, F32_QNAN,
  isNaN64, isSNaN64, isNaN32, isSNaN32, roundPack64, normRoundPack64,
  normRoundPack32from64, f32_round,
} from './sf';

// ---------------------------------------------------------------- float <-> float

export function f32_to_f64(a: u32): u64 {
  if (isNaN32(a)) {
    if (isSNaN32(a)) raise(NV);
    return F64_QNAN;
  }
  return reinterpret<u64>(<f64>reinterpret<f32>(a)); // exact, incl. subnormals
}

export function f64_to_f32(a: u64, rm: i32): u32 {
  if (isNaN64(a)) {
    if (isSNaN64(a)) raise(NV);
    return F32_QNAN;
  }
  const mag = a & ~F64_SIGN;
  const sign = <u32>(a >> 32) & F32_SIGN;
  if (mag == F64_INF) return sign | F32_INF;
  if (mag == 0) return sign;
  return f32_round(reinterpret<f64>(a), 0, rm);
}

// ---------------------------------------------------------------- float -> integer

// kinds
const K_I32: i32 = 0;
const K_U32: i32 = 1;
const K_I64: i32 = 2;
const K_U64: i32 = 3;

@inline function satMax(kind: i32): i64 {
  return kind == K_I32 ? 0x7FFFFFFF : kind == K_U32 ? -1 : kind == K_I64 ? 0x7FFFFFFFFFFFFFFF : -1;
}
@inline function satMin(kind: i32): i64 {
  return kind == K_I32 ? -0x80000000 : kind == K_I64 ? <i64>0x8000000000000000 : 0;
}

// Core of every float->int conversion, on an f64 bit pattern (f32 inputs are widened
// exactly first; NaN inputs are handled by the callers).
function cvtToInt(a: u64, rm: i32, kind: i32): i64 {
  const sign = (a >> 63) != 0;
  const ef = <i32>((a >> 52) & 0x7FF);
  if (ef == 0x7FF) {
    raise(NV);
    return (a & F64_MANT) != 0 ? satMax(kind) : (sign ? satMin(kind) : satMax(kind));
  }
  let sig = a & F64_MANT;
  let e = ef;
  if (e == 0) e = 1; else sig |= F64_HIDDEN;
  // value = sig * 2^(e - 1075)
  const sh = e - 1075;
  let mag: u64 = 0;
  let inexact = false;
  let big = false;
  if (sh >= 0) {
    if (sh > 11) big = true;          // >= 2^64
    else mag = sig << <u64>sh;
  } else {
    const rs = -sh;
    let ip: u64, frac: u64, half: u64;
    if (rs >= 64) {
      ip = 0; frac = sig; half = 0; // frac < half always (sig < 2^53); half unused below except compare
      inexact = sig != 0;
      let inc = false;
      if (inexact) {
        if (rm == RDN) inc = sign;
        else if (rm == RUP) inc = !sign;
        // RNE/RMM/RTZ: below half -> 0
      }
      mag = <u64>inc;
    } else {
      ip = sig >> <u64>rs;
      frac = sig & ((<u64>1 << <u64>rs) - 1);
      half = <u64>1 << <u64>(rs - 1);
      inexact = frac != 0;
      let inc = false;
      if (inexact) {
        if (rm == RNE) inc = frac > half || (frac == half && (ip & 1) != 0);
        else if (rm == RTZ) inc = false;
        else if (rm == RDN) inc = sign;
        else if (rm == RUP) inc = !sign;
        else inc = frac >= half; // RMM
      }
      mag = ip + <u64>inc;
    }
  }
  // range check
  let ok: bool;
  if (big) ok = false;
  else if (kind == K_I32) ok = sign ? mag <= 0x80000000 : mag <= 0x7FFFFFFF;
  else if (kind == K_U32) ok = sign ? mag == 0 : mag <= 0xFFFFFFFF;
  else if (kind == K_I64) ok = sign ? mag <= 0x8000000000000000 : mag <= 0x7FFFFFFFFFFFFFFF;
  else ok = sign ? mag == 0 : true;
  if (!ok) {
    raise(NV);
    return sign ? satMin(kind) : satMax(kind);
  }
  if (inexact) raise(NX);
  const v: i64 = sign ? -<i64>mag : <i64>mag;
  if (kind == K_I32 || kind == K_U32) return <i64><i32>v; // sign-extend low 32 bits
  return v;
}

@inline function f32bitsToF64bits(a: u32): u64 {
  return reinterpret<u64>(<f64>reinterpret<f32>(a));
}

export function f32_to_i32(a: u32, rm: i32): i64 {
  if (isNaN32(a)) { raise(NV); return 0x7FFFFFFF; }
  return cvtToInt(f32bitsToF64bits(a), rm, K_I32);
}
export function f32_to_u32(a: u32, rm: i32): u64 {
  if (isNaN32(a)) { raise(NV); return 0xFFFFFFFFFFFFFFFF; }
  return <u64>cvtToInt(f32bitsToF64bits(a), rm, K_U32);
}
export function f32_to_i64(a: u32, rm: i32): i64 {
  if (isNaN32(a)) { raise(NV); return 0x7FFFFFFFFFFFFFFF; }
  return cvtToInt(f32bitsToF64bits(a), rm, K_I64);
}
export function f32_to_u64(a: u32, rm: i32): u64 {
  if (isNaN32(a)) { raise(NV); return 0xFFFFFFFFFFFFFFFF; }
  return <u64>cvtToInt(f32bitsToF64bits(a), rm, K_U64);
}
export function f64_to_i32(a: u64, rm: i32): i64 {
  return cvtToInt(a, rm, K_I32);
}
export function f64_to_u32(a: u64, rm: i32): u64 {
  return <u64>cvtToInt(a, rm, K_U32);
}
export function f64_to_i64(a: u64, rm: i32): i64 {
  return cvtToInt(a, rm, K_I64);
}
export function f64_to_u64(a: u64, rm: i32): u64 {
  return <u64>cvtToInt(a, rm, K_U64);
}

// ---------------------------------------------------------------- integer -> float

export function i32_to_f32(x: i32, rm: i32): u32 {
  if (<u32>(x + 0x1000000) <= 0x2000000) return reinterpret<u32>(<f32>x); // |x| <= 2^24: exact
  return f32_round(<f64>x, 0, rm);
}
export function u32_to_f32(x: u32, rm: i32): u32 {
  if (x <= 0x1000000) return reinterpret<u32>(<f32>x);
  return f32_round(<f64>x, 0, rm);
}
export function i64_to_f32(x: i64, rm: i32): u32 {
  if (<u64>(x + 0x1000000) <= 0x2000000) return reinterpret<u32>(<f32>x);
  const sign = x < 0;
  const mag: u64 = sign ? <u64>(-x) : <u64>x;
  return normRoundPack32from64(sign, 188, mag, rm);
}
export function u64_to_f32(x: u64, rm: i32): u32 {
  if (x <= 0x1000000) return reinterpret<u32>(<f32>x);
  return normRoundPack32from64(false, 188, x, rm);
}
export function i32_to_f64(x: i32, rm: i32): u64 { // exact; rm unused
  return reinterpret<u64>(<f64>x);
}
export function u32_to_f64(x: u32, rm: i32): u64 { // exact; rm unused
  return reinterpret<u64>(<f64>x);
}
export function i64_to_f64(x: i64, rm: i32): u64 {
  if (<u64>(x + 0x20000000000000) <= 0x40000000000000) return reinterpret<u64>(<f64>x); // |x| <= 2^53
  const sign = x < 0;
  const mag: u64 = sign ? <u64>(-x) : <u64>x;
  return normRoundPack64(sign, 0x43C, mag, rm);
}
export function u64_to_f64(x: u64, rm: i32): u64 {
  if (x <= 0x20000000000000) return reinterpret<u64>(<f64>x);
  return normRoundPack64(false, 0x43C, x, rm);
}
