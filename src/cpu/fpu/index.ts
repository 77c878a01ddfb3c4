// Amber FPU: pure, allocation-free RISC-V F/D arithmetic on raw bit patterns.
// Flags accumulate in fflagsAcc (flags.ts); see each module for the exact semantics.
export { fflagsAcc, raise, clearFlags, getFlags, NX, UF, OF, DZ, NV, RNE, RTZ, RDN, RUP, RMM } from './flags';
export { f64_add, f64_sub, f64_mul, f64_div, f64_sqrt, f64_fma } from './f64';
export { f32_add, f32_sub, f32_mul, f32_div, f32_sqrt, f32_fma } from './f32';
export { f64_min, f64_max, f32_min, f32_max, f64_eq, f64_lt, f64_le, f32_eq, f32_lt, f32_le } from './compare';
export { f64_classify, f32_classify } from './classify';
export {
  f32_to_f64, f64_to_f32,
  f32_to_i32, f32_to_u32, f32_to_i64, f32_to_u64,
  f64_to_i32, f64_to_u32, f64_to_i64, f64_to_u64,
  i32_to_f32, u32_to_f32, i64_to_f32, u64_to_f32,
  i32_to_f64, u32_to_f64, i64_to_f64, u64_to_f64,
} from './convert';
