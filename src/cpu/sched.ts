// The instruction budget of the current `run` call, early exits, and the counters derived from it.
//
// runBatch counts the budget down (after each instruction). A handler that must end the batch (trap, CSR write,
// xRET, WFI, MMIO that wants the host, …) calls leave(): it records why in `exitKind` and returns
// the next pc "poisoned" (bit 62 flipped: never a fetchable address, canonical or physical). The
// poisoned pc misses the loop's fetch-page check, and the slow fetch path sees exitKind and stops.
// So the hot path never tests an exit flag.
//
// While a handler runs, `budgetLeft` does not yet count it, so instret synced there (MMIO calls,
// counter CSR reads) counts exactly the instructions before the current one.
import { HS_INSTRET, HS_CYCLE, HS_MCOUNTINHIBIT } from './generated/layout';
import { rd64, wr64 } from './state';

export const EXIT_NONE: i32 = 0;
/** Leave the inner loop and continue: mode, translation or interrupt enables may have changed. */
export const EXIT_RESYNC: i32 = 1;
/** A device model asked the host to look. */
export const EXIT_HOST: i32 = 2;
/** WFI with nothing pending. */
export const EXIT_WFI: i32 = 3;
export const EXIT_FATAL: i32 = 4;

export const POISON: u64 = <u64>1 << 62;

export let budgetLeft: i32 = 0;
export let exitKind: i32 = EXIT_NONE;
/** budgetLeft at the last syncCounters(). */
let markLeft: i32 = 0;
/** Instructions since then that trapped (consumed budget, did not retire). */
let unretired: i32 = 0;

export function startBudget(budget: i32): void {
  budgetLeft = budget; exitKind = EXIT_NONE; markLeft = budget; unretired = 0;
}

@inline export function decBudget(): void { budgetLeft--; }
@inline export function clearExit(): void { exitKind = EXIT_NONE; }

export function forceExit(kind: i32): void {
  if (kind > exitKind) exitKind = kind;
}

/** End the batch after this instruction; `pc` is where execution continues. */
@inline export function leave(kind: i32, pc: u64): u64 {
  forceExit(kind);
  return pc ^ POISON;
}

/** Is this pc poisoned (bit 62 differs from bit 63)? */
@inline export function isPoisoned(pc: u64): bool { return (((pc >> 62) ^ (pc >> 63)) & 1) != 0; }

/** Add the instructions executed since the last sync to minstret/mcycle (unless inhibited). */
export function syncCounters(): void {
  const left = budgetLeft;
  const n = markLeft - left;
  markLeft = left;
  const inh = rd64(HS_MCOUNTINHIBIT);
  // Plain stores: the host only reads these words (status displays, deterministic time).
  if ((inh & 4) == 0) wr64(HS_INSTRET, rd64(HS_INSTRET) + <u64><i64>(n - unretired));
  if ((inh & 1) == 0) wr64(HS_CYCLE, rd64(HS_CYCLE) + <u64><i64>n);
  unretired = 0;
}

/** The current instruction raised an exception: it consumed budget but does not retire. */
export function unretire(): void {
  unretired++;
}
