// FMIN/FMAX (IEEE 754-2019 minimumNumber/maximumNumber as RISC-V F 2.2: -0 < +0; one NaN
// operand -> the other operand; both NaN -> canonical NaN; any sNaN -> NV) and
// FEQ/FLT/FLE (0/1; FEQ signals NV only for sNaN, FLT/FLE for any NaN).

import { raise, NV } from './flags';
import { F64_QNAN, F32_QNAN, isNaN64, isSNaN64, isNaN32, isSNaN32 } from './sf';

export function f64_min(a: u64, b: u64): u64 {
  const an = isNaN64(a), bn = isNaN64(b);
  if (an || bn) {
    if (isSNaN64(a) || isSNaN64(b)) raise(NV);
    if (an && bn) return F64_QNAN;
    return an ? b : a;
  }
  const x = reinterpret<f64>(a), y = reinterpret<f64>(b);
  if (x < y) return a;
  if (y < x) return b;
  return a | b; // equal: identical bits, or +-0 -> -0
}

export function f64_max(a: u64, b: u64): u64 {
  const an = isNaN64(a), bn = isNaN64(b);
  if (an || bn) {
    if (isSNaN64(a) || isSNaN64(b)) raise(NV);
    if (an && bn) return F64_QNAN;
    return an ? b : a;
  }
  const x = reinterpret<f64>(a), y = reinterpret<f64>(b);
  if (x > y) return a;
  if (y > x) return b;
  return a & b; // equal: identical bits, or +-0 -> +0
}

export function f32_min(a: u32, b: u32): u32 {
  const an = isNaN32(a), bn = isNaN32(b);
  if (an || bn) {
    if (isSNaN32(a) || isSNaN32(b)) raise(NV);
    if (an && bn) return F32_QNAN;
    return an ? b : a;
  }
  const x = reinterpret<f32>(a), y = reinterpret<f32>(b);
  if (x < y) return a;
  if (y < x) return b;
  return a | b;
}

export function f32_max(a: u32, b: u32): u32 {
  const an = isNaN32(a), bn = isNaN32(b);
  if (an || bn) {
    if (isSNaN32(a) || isSNaN32(b)) raise(NV);
    if (an && bn) return F32_QNAN;
    return an ? b : a;
  }
  const x = reinterpret<f32>(a), y = reinterpret<f32>(b);
  if (x > y) return a;
  if (y > x) return b;
  return a & b;
}

export function f64_eq(a: u64, b: u64): i32 {
  if (isNaN64(a) || isNaN64(b)) {
    if (isSNaN64(a) || isSNaN64(b)) raise(NV);
    return 0;
  }
  return <i32>(reinterpret<f64>(a) == reinterpret<f64>(b));
}
export function f64_lt(a: u64, b: u64): i32 {
  if (isNaN64(a) || isNaN64(b)) { raise(NV); return 0; }
  return <i32>(reinterpret<f64>(a) < reinterpret<f64>(b));
}
export function f64_le(a: u64, b: u64): i32 {
  if (isNaN64(a) || isNaN64(b)) { raise(NV); return 0; }
  return <i32>(reinterpret<f64>(a) <= reinterpret<f64>(b));
}
export function f32_eq(a: u32, b: u32): i32 {
  if (isNaN32(a) || isNaN32(b)) {
    if (isSNaN32(a) || isSNaN32(b)) raise(NV);
    return 0;
  }
  return <i32>(reinterpret<f32>(a) == reinterpret<f32>(b));
}
export function f32_lt(a: u32, b: u32): i32 {
  if (isNaN32(a) || isNaN32(b)) { raise(NV); return 0; }
  return <i32>(reinterpret<f32>(a) < reinterpret<f32>(b));
}
export function f32_le(a: u32, b: u32): i32 {
  if (isNaN32(a) || isNaN32(b)) { raise(NV); return 0; }
  return <i32>(reinterpret<f32>(a) <= reinterpret<f32>(b));
}
