// Test-only entry: exports every FPU function plus flag access for the vitest suite.
export * from '../../src/cpu/fpu/index';
import { fflagsAcc } from '../../src/cpu/fpu/flags';
export function testGetFlags(): i32 { return fflagsAcc; }
export function testClearFlags(): void { fflagsAcc = 0; }
