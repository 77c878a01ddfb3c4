// FCLASS: 10-bit mask. bit 0 -inf, 1 -normal, 2 -subnormal, 3 -0, 4 +0, 5 +subnormal,
// 6 +normal, 7 +inf, 8 signalling NaN, 9 quiet NaN.

export function f64_classify(a: u64): u32 {
  const neg = (a >> 63) != 0;
  const e = (a >> 52) & 0x7FF;
  const m = a & 0x000FFFFFFFFFFFFF;
  if (e == 0x7FF) {
    if (m == 0) return neg ? 1 : 1 << 7;
    return (m & 0x0008000000000000) != 0 ? 1 << 9 : 1 << 8;
  }
  if (e == 0) {
    if (m == 0) return neg ? 1 << 3 : 1 << 4;
    return neg ? 1 << 2 : 1 << 5;
  }
  return neg ? 1 << 1 : 1 << 6;
}

export function f32_classify(a: u32): u32 {
  const neg = (a >> 31) != 0;
  const e = (a >> 23) & 0xFF;
  const m = a & 0x007FFFFF;
  if (e == 0xFF) {
    if (m == 0) return neg ? 1 : 1 << 7;
    return (m & 0x00400000) != 0 ? 1 << 9 : 1 << 8;
  }
  if (e == 0) {
    if (m == 0) return neg ? 1 << 3 : 1 << 4;
    return neg ? 1 << 2 : 1 << 5;
  }
  return neg ? 1 << 1 : 1 << 6;
}
