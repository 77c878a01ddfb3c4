// Double-precision arithmetic (RISC-V D): add, sub, mul, div, sqrt, fma.
// Values are raw bit patterns (u64). NaN results are always the canonical NaN.
//
// Fast paths: wasm's own f64 op gives the round-to-nearest-even result; an exact error
// term (TwoSum for add, Dekker product for mul, exact remainder a - q*b for div,
// a - r*r for sqrt) gives the inexact flag and the direction of the error, which
// corrects the RNE result for RTZ/RDN/RUP/RMM. Operands/results outside the range where
// these transformations are exact (subnormals, near-overflow, NaN/Inf/zero) go to
// the integer soft-float paths below (SoftFloat-style, tininess after rounding).

import { raise, NX, NV, DZ, RNE, RDN, RMM } from './flags';
import {
  F64_SIGN, F64_MANT, F64_HIDDEN, F64_INF, F64_QNAN,
  isNaN64, isSNaN64, nan2_64, shiftRightJam64, mul64To128, mulHi,
  shiftRightJam128, r128Hi, r128Lo, roundPack64, normRoundPack64,
  twoSumErr, twoProdErr, directed64, fixup64, stepDir64,
} from './sf';

// ---------------------------------------------------------------- add / sub

export function f64_add(a: u64, b: u64, rm: i32): u64 {
  const x = reinterpret<f64>(a), y = reinterpret<f64>(b);
  const s = x + y;
  const sb = reinterpret<u64>(s);
  if ((sb & F64_INF) != F64_INF) {
    if (s != 0) {
      const e = twoSumErr(x, y, s);
      if (e == 0) return sb;
      if (e - e == 0) { // e finite: TwoSum was exact
        raise(NX);
        if (rm == RNE) return sb;
        return fixup64(sb, e, rm);
      }
    } else {
      // exact zero (sums are exact in the subnormal range): sign rule of IEEE 754
      return rm == RDN ? (a | b) & F64_SIGN : (a & b) & F64_SIGN;
    }
  }
  return f64_addSlow(a, b, rm);
}

@inline export function f64_sub(a: u64, b: u64, rm: i32): u64 {
  return f64_add(a, b ^ F64_SIGN, rm);
}

export function f64_addSlow(a: u64, b: u64, rm: i32): u64 {
  let ea = <i32>((a >> 52) & 0x7FF), eb = <i32>((b >> 52) & 0x7FF);
  if (ea == 0x7FF || eb == 0x7FF) {
    if (isNaN64(a) || isNaN64(b)) return nan2_64(a, b);
    if (ea == 0x7FF && eb == 0x7FF) {
      if ((a ^ b) >> 63) { raise(NV); return F64_QNAN; }
      return a;
    }
    return ea == 0x7FF ? a : b;
  }
  let sa = (a >> 63) != 0, sb = (b >> 63) != 0;
  let ma = a & F64_MANT, mb = b & F64_MANT;
  if (ea == 0) ea = 1; else ma |= F64_HIDDEN;
  if (eb == 0) eb = 1; else mb |= F64_HIDDEN;
  ma <<= 9; mb <<= 9;
  if ((a & ~F64_SIGN) < (b & ~F64_SIGN)) {
    let t = ma; ma = mb; mb = t;
    let te = ea; ea = eb; eb = te;
    let ts = sa; sa = sb; sb = ts;
  }
  mb = shiftRightJam64(mb, <u32>(ea - eb));
  let sig: u64;
  if (sa == sb) {
    sig = ma + mb;
    if (sig == 0) return <u64>sa << 63;
  } else {
    sig = ma - mb;
    if (sig == 0) return rm == RDN ? F64_SIGN : 0;
  }
  return normRoundPack64(sa, ea, sig, rm);
}

// ---------------------------------------------------------------- mul

export function f64_mul(a: u64, b: u64, rm: i32): u64 {
  const x = reinterpret<f64>(a), y = reinterpret<f64>(b);
  const p = x * y;
  const pb = reinterpret<u64>(p);
  // exponent fields of a, b, p all in [64, 2000]: Dekker split and error term exact,
  // result normal, and a one-ulp step stays normal and finite.
  if (<u32>(((a >> 52) & 0x7FF) - 64) <= 1936 && <u32>(((b >> 52) & 0x7FF) - 64) <= 1936 &&
      <u32>(((pb >> 52) & 0x7FF) - 64) <= 1936) {
    const e = twoProdErr(x, y, p);
    if (e == 0) return pb;
    raise(NX);
    if (rm == RNE) return pb;
    return fixup64(pb, e, rm);
  }
  return f64_mulSlow(a, b, rm);
}

export function f64_mulSlow(a: u64, b: u64, rm: i32): u64 {
  let ea = <i32>((a >> 52) & 0x7FF), eb = <i32>((b >> 52) & 0x7FF);
  const sign = ((a ^ b) >> 63) != 0;
  const az = (a & ~F64_SIGN) == 0, bz = (b & ~F64_SIGN) == 0;
  if (ea == 0x7FF || eb == 0x7FF) {
    if (isNaN64(a) || isNaN64(b)) return nan2_64(a, b);
    if (az || bz) { raise(NV); return F64_QNAN; }
    return (<u64>sign << 63) | F64_INF;
  }
  if (az || bz) return <u64>sign << 63;
  let ma = a & F64_MANT, mb = b & F64_MANT;
  if (ea == 0) { const sh = <i32>clz<u64>(ma) - 11; ma <<= <u64>sh; ea = 1 - sh; } else ma |= F64_HIDDEN;
  if (eb == 0) { const sh = <i32>clz<u64>(mb) - 11; mb <<= <u64>sh; eb = 1 - sh; } else mb |= F64_HIDDEN;
  const lo = mul64To128(ma, mb);
  const hi = mulHi;
  const sig = (hi << 21) | (lo >> 43) | <u64>((lo & 0x7FFFFFFFFFF) != 0);
  return normRoundPack64(sign, ea + eb - 1023, sig, rm);
}

// ---------------------------------------------------------------- div

export function f64_div(a: u64, b: u64, rm: i32): u64 {
  const x = reinterpret<f64>(a), y = reinterpret<f64>(b);
  const q = x / y;
  const qb = reinterpret<u64>(q);
  if (<u32>(((a >> 52) & 0x7FF) - 64) <= 1936 && <u32>(((b >> 52) & 0x7FF) - 64) <= 1936 &&
      <u32>(((qb >> 52) & 0x7FF) - 64) <= 1936) {
    const p = q * y;
    const rem = (x - p) - twoProdErr(q, y, p); // sign of exact a - q*b
    if (rem == 0) return qb;
    raise(NX);
    if (rm == RNE || rm == RMM) return qb; // quotients are never exact ties
    return directed64(qb, (rem > 0) == (y > 0) ? 1 : -1, rm);
  }
  return f64_divSlow(a, b, rm);
}

export function f64_divSlow(a: u64, b: u64, rm: i32): u64 {
  let ea = <i32>((a >> 52) & 0x7FF), eb = <i32>((b >> 52) & 0x7FF);
  const sign = ((a ^ b) >> 63) != 0;
  const az = (a & ~F64_SIGN) == 0, bz = (b & ~F64_SIGN) == 0;
  if (ea == 0x7FF) {
    if (isNaN64(a) || isNaN64(b)) return nan2_64(a, b);
    if (eb == 0x7FF) { raise(NV); return F64_QNAN; }
    return (<u64>sign << 63) | F64_INF;
  }
  if (eb == 0x7FF) {
    if (isNaN64(b)) return nan2_64(a, b);
    return <u64>sign << 63;
  }
  if (bz) {
    if (az) { raise(NV); return F64_QNAN; }
    raise(DZ);
    return (<u64>sign << 63) | F64_INF;
  }
  if (az) return <u64>sign << 63;
  let ma = a & F64_MANT, mb = b & F64_MANT;
  if (ea == 0) { const sh = <i32>clz<u64>(ma) - 11; ma <<= <u64>sh; ea = 1 - sh; } else ma |= F64_HIDDEN;
  if (eb == 0) { const sh = <i32>clz<u64>(mb) - 11; mb <<= <u64>sh; eb = 1 - sh; } else mb |= F64_HIDDEN;
  if (ma < mb) { ma <<= 1; ea -= 1; }
  // long division, 62 fraction bits, in chunks (rem < mb < 2^53, so rem << 11 fits)
  let q: u64 = 1;
  let rem = ma - mb;
  rem <<= 11; q = (q << 11) | (rem / mb); rem = rem % mb;
  rem <<= 11; q = (q << 11) | (rem / mb); rem = rem % mb;
  rem <<= 11; q = (q << 11) | (rem / mb); rem = rem % mb;
  rem <<= 11; q = (q << 11) | (rem / mb); rem = rem % mb;
  rem <<= 11; q = (q << 11) | (rem / mb); rem = rem % mb;
  rem <<= 7; q = (q << 7) | (rem / mb); rem = rem % mb;
  q |= <u64>(rem != 0);
  return roundPack64(sign, ea - eb + 1022, q, rm);
}

// ---------------------------------------------------------------- sqrt

export function f64_sqrt(a: u64, rm: i32): u64 {
  const ea = (a >> 52) & 0x7FF;
  if ((a >> 63) == 0 && <u32>(ea - 64) <= 1936) {
    const x = reinterpret<f64>(a);
    const r = sqrt<f64>(x);
    const rb = reinterpret<u64>(r);
    const p = r * r;
    const rem = (x - p) - twoProdErr(r, r, p);
    if (rem == 0) return rb;
    raise(NX);
    if (rm == RNE || rm == RMM) return rb; // square roots are never exact ties
    return directed64(rb, rem > 0 ? 1 : -1, rm);
  }
  return f64_sqrtSlow(a, rm);
}

export function f64_sqrtSlow(a: u64, rm: i32): u64 {
  let ea = <i32>((a >> 52) & 0x7FF);
  if (isNaN64(a)) {
    if (isSNaN64(a)) raise(NV);
    return F64_QNAN;
  }
  if ((a & ~F64_SIGN) == 0) return a; // +-0
  if ((a >> 63) != 0) { raise(NV); return F64_QNAN; }
  if (ea == 0x7FF) return a; // +inf
  let m = a & F64_MANT;
  if (ea == 0) { const sh = <i32>clz<u64>(m) - 11; m <<= <u64>sh; ea = 1 - sh; } else m |= F64_HIDDEN;
  // a = m * 2^(ea - 1075), m in [2^52, 2^53). Scale to x in [1, 4) with an even exponent shift.
  const e = ea - 1023;          // a = 1.f * 2^e
  const odd = e & 1;
  const x = reinterpret<f64>((<u64>(1023 + odd) << 52) | (m & F64_MANT));
  const r = sqrt<f64>(x);      // in [1, 2)
  let rb = reinterpret<u64>(r);
  const p = r * r;
  const rem = (x - p) - twoProdErr(r, r, p);
  if (rem != 0) {
    raise(NX);
    if (rm != RNE && rm != RMM) rb = directed64(rb, rem > 0 ? 1 : -1, rm);
  }
  return rb + (<u64>(<i64>(e >> 1)) << 52);
}

// ---------------------------------------------------------------- fma

// Fused a*b + c with one rounding (RISC-V FMADD.D).
// The other three are sign flips by the caller (exact also for NaN inputs, since NaN
// results are canonical and flipping a sign bit does not change NaN/sNaN status):
//   FMSUB.D  = f64_fma(a, b, c ^ SIGN)          (a*b - c)
//   FNMSUB.D = f64_fma(a ^ SIGN, b, c)          (-(a*b) + c)
//   FNMADD.D = f64_fma(a ^ SIGN, b, c ^ SIGN)   (-(a*b) - c)
// (Negating the product operand, not the final result, gives the RISC-V/SoftFloat
// sign of exact-zero results.)
export function f64_fma(a: u64, b: u64, c: u64, rm: i32): u64 {
  if (rm == RNE) {
    // Fast path (Boldo & Melquiond, "Emulation of FMA ... using rounding to odd", 2008):
    // a*b = ph + pl exactly (Dekker), c + ph = uh + ul exactly (TwoSum),
    // t = RO(ul + pl) (round to odd, from RN plus the exact TwoSum error), v = RN(uh + t)
    // is RN(a*b + c). Guards keep every error term exact and normal, the result normal.
    if (<u32>(((a >> 52) & 0x7FF) - 64) <= 1936 && <u32>(((b >> 52) & 0x7FF) - 64) <= 1936 &&
        <u32>(((c >> 52) & 0x7FF) - 300) <= 1700) {
      const x = reinterpret<f64>(a), y = reinterpret<f64>(b), z = reinterpret<f64>(c);
      const ph = x * y;
      if (<u32>(((reinterpret<u64>(ph) >> 52) & 0x7FF) - 300) <= 1700) {
        const pl = twoProdErr(x, y, ph);
        const uh = z + ph;
        const ul = twoSumErr(z, ph, uh);
        let t = ul + pl;
        const te = twoSumErr(ul, pl, t);
        let inexact = false;
        if (te != 0) {
          inexact = true; // a*b + c = uh + (ul + pl) is then not representable
          const tb = reinterpret<u64>(t);
          if ((tb & 1) == 0) t = reinterpret<f64>(stepDir64(tb, te > 0 ? 1 : -1));
        }
        const v = uh + t;
        const vb = reinterpret<u64>(v);
        if (<u32>(((vb >> 52) & 0x7FF) - 64) <= 1936) {
          if (inexact || twoSumErr(uh, t, v) != 0) raise(NX);
          return vb;
        }
      }
    }
  }
  return f64_fmaSlow(a, b, c, rm);
}

export function f64_fmaSlow(a: u64, b: u64, c: u64, rm: i32): u64 {
  let ea = <i32>((a >> 52) & 0x7FF), eb = <i32>((b >> 52) & 0x7FF), ec = <i32>((c >> 52) & 0x7FF);
  const sp = ((a ^ b) >> 63) != 0;
  const sc = (c >> 63) != 0;
  const az = (a & ~F64_SIGN) == 0, bz = (b & ~F64_SIGN) == 0, cz = (c & ~F64_SIGN) == 0;
  if (ea == 0x7FF || eb == 0x7FF || ec == 0x7FF) {
    const ai = (a & ~F64_SIGN) == F64_INF, bi = (b & ~F64_SIGN) == F64_INF;
    if (isNaN64(a) || isNaN64(b) || isNaN64(c)) {
      if (isSNaN64(a) || isSNaN64(b) || isSNaN64(c) || (ai && bz) || (bi && az)) raise(NV);
      return F64_QNAN;
    }
    if (ai || bi) {
      if (az || bz) { raise(NV); return F64_QNAN; }
      if (ec == 0x7FF && sc != sp) { raise(NV); return F64_QNAN; }
      return (<u64>sp << 63) | F64_INF;
    }
    return c; // c infinite, product finite
  }
  if (az || bz) {
    if (cz) {
      if (sp == sc) return c;
      return rm == RDN ? F64_SIGN : 0;
    }
    return c;
  }
  if (cz) return f64_mul(a, b, rm);

  let ma = a & F64_MANT, mb = b & F64_MANT, mc = c & F64_MANT;
  if (ea == 0) { const sh = <i32>clz<u64>(ma) - 11; ma <<= <u64>sh; ea = 1 - sh; } else ma |= F64_HIDDEN;
  if (eb == 0) { const sh = <i32>clz<u64>(mb) - 11; mb <<= <u64>sh; eb = 1 - sh; } else mb |= F64_HIDDEN;
  if (ec == 0) { const sh = <i32>clz<u64>(mc) - 11; mc <<= <u64>sh; ec = 1 - sh; } else mc |= F64_HIDDEN;

  // product P = ma*mb in [2^104, 2^106), shifted left 20: leading bit at 124/125,
  // value = P' * 2^uP.  Addend C' = mc << 72: leading bit at 124, value = C' * 2^uC.
  let plo = mul64To128(ma, mb);
  let phi = mulHi;
  phi = (phi << 20) | (plo >> 44);
  plo <<= 20;
  const uP = ea + eb - 2170;
  const uC = ec - 1147;
  let chi = mc << 8;
  let clo: u64 = 0;
  let u: i32;
  if (uP >= uC) {
    shiftRightJam128(chi, clo, <u32>(uP - uC));
    chi = r128Hi; clo = r128Lo;
    u = uP;
  } else {
    shiftRightJam128(phi, plo, <u32>(uC - uP));
    phi = r128Hi; plo = r128Lo;
    u = uC;
  }
  let rhi: u64, rlo: u64;
  let sign = sp;
  if (sp == sc) {
    rlo = plo + clo;
    rhi = phi + chi + <u64>(rlo < plo);
  } else {
    if (phi > chi || (phi == chi && plo >= clo)) {
      rlo = plo - clo;
      rhi = phi - chi - <u64>(plo < clo);
    } else {
      rlo = clo - plo;
      rhi = chi - phi - <u64>(clo < plo);
      sign = sc;
    }
    if ((rhi | rlo) == 0) return rm == RDN ? F64_SIGN : 0;
  }
  const lz = rhi != 0 ? <i32>clz<u64>(rhi) : 64 + <i32>clz<u64>(rlo);
  const sh = lz - 1; // leading bit to position 126
  let shi: u64, slo: u64;
  if (sh == 0) {
    shi = rhi; slo = rlo;
  } else if (sh < 64) {
    shi = (rhi << <u64>sh) | (rlo >> <u64>(64 - sh));
    slo = rlo << <u64>sh;
  } else {
    shi = rlo << <u64>(sh - 64);
    slo = 0;
  }
  const sig = shi | <u64>(slo != 0);
  return roundPack64(sign, u - lz + 1149, sig, rm);
}
