// Micro-benchmark entry (not part of the suite): in-wasm loops over the FPU functions,
// compared with the bare wasm op. Run: npx tsx test/fpu/bench.ts
import { f64_add, f64_mul, f64_div, f64_sqrt, f64_fma, f32_add, f32_mul, f32_div, f32_sqrt, f32_fma } from '../../../src/cpu/fpu/index';
import { fflagsAcc } from '../../../src/cpu/fpu/flags';

// operands: a cheap LCG drives varying normal doubles in [1, 2) * 2^k
@inline function opnd(s: u64): u64 { return (s >> 12) | 0x3FF0000000000000; }
@inline function opnd32(s: u64): u32 { return <u32>(s >> 41) | 0x3F800000; }

export function b_native_add(n: i32): u64 { let s: u64 = 1, acc: u64 = 0; for (let i = 0; i < n; i++) { s = s * 6364136223846793005 + 1442695040888963407; acc ^= reinterpret<u64>(reinterpret<f64>(opnd(s)) + reinterpret<f64>(opnd(s << 7))); } return acc; }
export function b_native_div(n: i32): u64 { let s: u64 = 1, acc: u64 = 0; for (let i = 0; i < n; i++) { s = s * 6364136223846793005 + 1442695040888963407; acc ^= reinterpret<u64>(reinterpret<f64>(opnd(s)) / reinterpret<f64>(opnd(s << 7))); } return acc; }
export function b_f64_add(n: i32, rm: i32): u64 { let s: u64 = 1, acc: u64 = 0; for (let i = 0; i < n; i++) { s = s * 6364136223846793005 + 1442695040888963407; acc ^= f64_add(opnd(s), opnd(s << 7) - 0x0100000000000000, rm); } return acc + fflagsAcc; }
export function b_f64_mul(n: i32, rm: i32): u64 { let s: u64 = 1, acc: u64 = 0; for (let i = 0; i < n; i++) { s = s * 6364136223846793005 + 1442695040888963407; acc ^= f64_mul(opnd(s), opnd(s << 7), rm); } return acc + fflagsAcc; }
export function b_f64_div(n: i32, rm: i32): u64 { let s: u64 = 1, acc: u64 = 0; for (let i = 0; i < n; i++) { s = s * 6364136223846793005 + 1442695040888963407; acc ^= f64_div(opnd(s), opnd(s << 7), rm); } return acc + fflagsAcc; }
export function b_f64_sqrt(n: i32, rm: i32): u64 { let s: u64 = 1, acc: u64 = 0; for (let i = 0; i < n; i++) { s = s * 6364136223846793005 + 1442695040888963407; acc ^= f64_sqrt(opnd(s), rm); } return acc + fflagsAcc; }
export function b_f64_fma(n: i32, rm: i32): u64 { let s: u64 = 1, acc: u64 = 0; for (let i = 0; i < n; i++) { s = s * 6364136223846793005 + 1442695040888963407; acc ^= f64_fma(opnd(s), opnd(s << 7), opnd(s << 13) ^ 0x8000000000000000, rm); } return acc + fflagsAcc; }
export function b_f32_add(n: i32, rm: i32): u64 { let s: u64 = 1, acc: u64 = 0; for (let i = 0; i < n; i++) { s = s * 6364136223846793005 + 1442695040888963407; acc ^= f32_add(opnd32(s), opnd32(s << 7) - 0x01000000, rm); } return acc + fflagsAcc; }
export function b_f32_mul(n: i32, rm: i32): u64 { let s: u64 = 1, acc: u64 = 0; for (let i = 0; i < n; i++) { s = s * 6364136223846793005 + 1442695040888963407; acc ^= f32_mul(opnd32(s), opnd32(s << 7), rm); } return acc + fflagsAcc; }
export function b_f32_div(n: i32, rm: i32): u64 { let s: u64 = 1, acc: u64 = 0; for (let i = 0; i < n; i++) { s = s * 6364136223846793005 + 1442695040888963407; acc ^= f32_div(opnd32(s), opnd32(s << 7), rm); } return acc + fflagsAcc; }
export function b_f32_sqrt(n: i32, rm: i32): u64 { let s: u64 = 1, acc: u64 = 0; for (let i = 0; i < n; i++) { s = s * 6364136223846793005 + 1442695040888963407; acc ^= f32_sqrt(opnd32(s), rm); } return acc + fflagsAcc; }
export function b_f32_fma(n: i32, rm: i32): u64 { let s: u64 = 1, acc: u64 = 0; for (let i = 0; i < n; i++) { s = s * 6364136223846793005 + 1442695040888963407; acc ^= f32_fma(opnd32(s), opnd32(s << 7), opnd32(s << 13) ^ 0x80000000, rm); } return acc + fflagsAcc; }
