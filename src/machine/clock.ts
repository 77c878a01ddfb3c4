/**
 * The machine timer (`mtime`, 10 MHz like QEMU virt), shared by every thread.
 *
 * mtime = (host epoch ms − timeBaseMs) × 10 000. All threads compute it from the same
 * control-block word, so harts and devices agree. A restore moves timeBaseMs so that
 * guest time continues without a jump. In deterministic mode mtime is derived from
 * hart 0's retired instructions instead (see `deterministicMtime`).
 */
import { Ctrl, CtrlFlags, HS, hartBase } from './layout.ts';
import type { SharedMachineMemory } from './shared-memory.ts';

export const TIMEBASE_HZ = 10_000_000;
const TICKS_PER_MS = TIMEBASE_HZ / 1000;
/** Deterministic mode: one mtime tick per this many retired instructions (a nominal 100 MIPS). */
export const INSTRUCTIONS_PER_TICK = 10;

export function hostEpochMs(): number {
  return performance.timeOrigin + performance.now();
}

export class MachineClock {
  private readonly deterministic: boolean;
  constructor(private readonly mem: SharedMachineMemory) {
    this.deterministic = (mem.ctrl(Ctrl.flags) & CtrlFlags.deterministic) !== 0;
  }

  get isDeterministic(): boolean {
    return this.deterministic;
  }

  /** Current mtime as a bigint. */
  mtime(): bigint {
    return BigInt(this.mtimeNumber());
  }

  /** Current mtime as a number (exact below 2^53 ticks ≈ 28 years). */
  mtimeNumber(): number {
    if (this.deterministic) return deterministicMtime(this.mem);
    return Math.max(0, Math.floor((hostEpochMs() - this.mem.timeBaseMs) * TICKS_PER_MS));
  }

  /** Milliseconds of host time until mtime reaches `deadline` (0 if passed). */
  msUntil(deadline: bigint): number {
    const now = this.mtimeNumber();
    const d = Number(deadline);
    if (d <= now) return 0;
    return (d - now) / TICKS_PER_MS;
  }

  /** Start the clock at mtime = `ticks` now (0 for a fresh machine; the saved value on restore). */
  static startAt(mem: SharedMachineMemory, ticks: number): void {
    mem.timeBaseMs = hostEpochMs() - ticks / TICKS_PER_MS;
  }
}

/**
 * mtime from hart 0's instret, plus the ticks a WFI skipped (an idle deterministic guest
 * jumps straight to its next timer deadline): repeatable across runs.
 */
export function deterministicMtime(mem: SharedMachineMemory): number {
  const instret = mem.u64[(hartBase(0) + HS.instret) >> 3];
  return Math.floor(Number(instret) / INSTRUCTIONS_PER_TICK) + mem.ctrlPair(Ctrl.idleTicksLo);
}

/** Deterministic mode: let an idle hart's time jump forward by `ticks`. */
export function skipIdleTicks(mem: SharedMachineMemory, ticks: number): void {
  mem.setCtrlPair(Ctrl.idleTicksLo, mem.ctrlPair(Ctrl.idleTicksLo) + ticks);
}
