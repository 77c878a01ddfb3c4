// Floating-point exception flags, accumulated per wasm instance (= per hart thread).
// Bit order is RISC-V fflags: NX=bit0, UF=bit1, OF=bit2, DZ=bit3, NV=bit4.
// The core clears fflagsAcc before an FP instruction and ORs it into fcsr.fflags after.

export const NX: i32 = 1;
export const UF: i32 = 2;
export const OF: i32 = 4;
export const DZ: i32 = 8;
export const NV: i32 = 16;

// Rounding modes (already resolved by the caller; DYN is never passed here).
export const RNE: i32 = 0;
export const RTZ: i32 = 1;
export const RDN: i32 = 2;
export const RUP: i32 = 3;
export const RMM: i32 = 4;

export let fflagsAcc: i32 = 0;

@inline export function raise(f: i32): void {
  fflagsAcc |= f;
}

@inline export function clearFlags(): void {
  fflagsAcc = 0;
}

@inline export function getFlags(): i32 {
  return fflagsAcc;
}
