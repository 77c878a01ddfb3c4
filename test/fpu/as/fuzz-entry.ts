// In-wasm differential fuzzing: every f64 fast path against its
// integer soft-float twin (both are checked against qemu by the vectors), and f32_round's
// in-range logic against f32_roundSlow. Exported by the test wasm (entry.ts); run: npx tsx test/fpu/fuzz.ts [millions]
import { f64_add, f64_addSlow, f64_mul, f64_mulSlow, f64_div, f64_divSlow, f64_sqrt, f64_sqrtSlow, f64_fma, f64_fmaSlow } from '../../../src/cpu/fpu/f64';
import { f32_round, f32_roundSlow } from '../../../src/cpu/fpu/sf';
import { fflagsAcc } from '../../../src/cpu/fpu/flags';

let st: u64 = 1;
@inline function rnd(): u64 { st ^= st << 13; st ^= st >> 7; st ^= st << 17; return st; }

export let badA: u64 = 0;
export let badB: u64 = 0;
export let badC: u64 = 0;
export let badRm: i32 = 0;

function mant(): u64 {
  const k = <i32>(rnd() & 7);
  let m = rnd();
  if (k == 0) m = (<u64>1 << (rnd() & 63)) | (rnd() & 1);
  else if (k == 1) m = <u64>-1 << (rnd() & 63);
  else if (k == 2) m = ~(<u64>1 << (rnd() & 63));
  else if (k == 3) m = rnd() >> (rnd() & 63);
  return m & 0x000FFFFFFFFFFFFF;
}
function gen(near: u64): u64 {
  const k = <i32>(rnd() % 10);
  let e: u64;
  if (k < 4) e = ((near >> 52) & 0x7FF) + (rnd() & 127) - 64;      // near the other operand
  else if (k < 6) e = 960 + (rnd() & 127);                          // ordinary
  else if (k == 6) e = rnd() & 127;                                 // tiny / subnormal
  else if (k == 7) e = 1920 + (rnd() & 127);                        // huge
  else e = rnd() & 0x7FF;
  if (e > 0x7FE) e = 0x7FE;
  return ((rnd() & 1) << 63) | (e << 52) | mant();
}

export function fuzz(op: i32, n: i32, seed: u64): i32 {
  st = seed | 1;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const a = gen(0x3FF0000000000000);
    const b = gen(a);
    let c = gen(a);
    const rm = <i32>(rnd() % 5);
    let r1: u64, r2: u64, f1: i32, f2: i32;
    fflagsAcc = 0;
    if (op == 0) r1 = f64_add(a, b, rm); else if (op == 1) r1 = f64_mul(a, b, rm);
    else if (op == 2) r1 = f64_div(a, b, rm); else if (op == 3) r1 = f64_sqrt(a & 0x7FFFFFFFFFFFFFFF, rm);
    else r1 = f64_fma(a, b, c, rm);
    f1 = fflagsAcc; fflagsAcc = 0;
    if (op == 0) r2 = f64_addSlow(a, b, rm); else if (op == 1) r2 = f64_mulSlow(a, b, rm);
    else if (op == 2) r2 = f64_divSlow(a, b, rm); else if (op == 3) r2 = f64_sqrtSlow(a & 0x7FFFFFFFFFFFFFFF, rm);
    else r2 = f64_fmaSlow(a, b, c, rm);
    f2 = fflagsAcc;
    if (r1 != r2 || f1 != f2) {
      if (bad == 0) { badA = a; badB = b; badC = c; badRm = rm; }
      bad++;
    }
  }
  return bad;
}

// f32_round (in-range logic) vs f32_roundSlow, d near the f32 normal range, random residual sign
export function fuzzRound32(n: i32, seed: u64): i32 {
  st = seed | 1;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    let e = 1023 - 130 + (rnd() % 262);
    let m = mant();
    const k = rnd() & 3;
    if (k == 0) m &= ~<u64>0x1FFFFFFF;                                    // f32-representable
    else if (k == 1) m = (m & ~<u64>0x1FFFFFFF) | 0x10000000;           // midpoint
    const d = reinterpret<f64>(((rnd() & 1) << 63) | (e << 52) | m);
    const es = <i32>(rnd() % 3) - 1;
    const rm = <i32>(rnd() % 5);
    fflagsAcc = 0;
    const r1 = f32_round(d, es, rm);
    const f1 = fflagsAcc; fflagsAcc = 0;
    const r2 = f32_roundSlow(d, es, rm);
    if (r1 != r2 || f1 != fflagsAcc) {
      if (bad == 0) { badA = reinterpret<u64>(d); badB = <u64>es; badRm = rm; }
      bad++;
    }
  }
  return bad;
}
