// Test-only entry: exports every FPU function plus flag access for the vitest suite.
export * from '../../src/cpu/fpu/index';
import { fflagsAcc } from '../../src/cpu/fpu/flags';
export function testGetFlags(): i32 { return fflagsAcc; }
export function testClearFlags(): void { fflagsAcc = 0; }
export { f64_fmaSlow, f64_addSlow, f64_mulSlow, f64_divSlow, f64_sqrtSlow } from '../../src/cpu/fpu/f64';
export { fuzz, fuzzRound32, badA, badB, badC, badRm } from './as/fuzz-entry';
