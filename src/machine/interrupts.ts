/**
 * Interrupt-pending bits in each hart's `mip`, shared with the core.
 * Devices on any thread set or clear bits atomically and wake the hart so a WFI ends.
 */
import { HS, hartBase } from './layout.ts';
import type { SharedMachineMemory } from './shared-memory.ts';

export const MIP = {
  SSIP: 1 << 1,
  MSIP: 1 << 3,
  STIP: 1 << 5,
  MTIP: 1 << 7,
  SEIP: 1 << 9,
  MEIP: 1 << 11,
} as const;

function mipIndex(hart: number): number {
  return (hartBase(hart) + HS.mip) >> 3;
}

/** Set or clear `bits` in hart's mip; wakes the hart when a bit becomes set. */
export function setMipBits(mem: SharedMachineMemory, hart: number, bits: number, on: boolean): void {
  const i = mipIndex(hart);
  if (on) {
    const old = Atomics.or(mem.u64, i, BigInt(bits));
    if ((Number(old) & bits) !== bits) mem.wakeHart(hart);
  } else {
    Atomics.and(mem.u64, i, ~BigInt(bits) & 0xffff_ffff_ffff_ffffn);
  }
}

export function readMip(mem: SharedMachineMemory, hart: number): number {
  return Number(Atomics.load(mem.u64, mipIndex(hart)) & 0xffff_ffffn);
}

export function readMie(mem: SharedMachineMemory, hart: number): number {
  return Number(mem.u64[(hartBase(hart) + HS.mie) >> 3] & 0xffff_ffffn);
}
