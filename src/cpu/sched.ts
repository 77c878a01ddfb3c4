// The instruction budget of the current `run` call, early exits, and the counters derived from it.
//
// Every executed instruction decrements `budgetLeft` (a module global, so any handler can end the
// batch by moving the rest of the budget aside: forceExit). run() then acts on `exitKind`.
// instret/cycle are brought up to date lazily (syncCounters) from the budget consumed.
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

export let budgetLeft: i32 = 0;
export let savedBudget: i32 = 0;
export let exitKind: i32 = EXIT_NONE;
/** budgetLeft + savedBudget at the last syncCounters(). */
let markLeft: i32 = 0;

export function startBudget(budget: i32): void {
  budgetLeft = budget; savedBudget = 0; exitKind = EXIT_NONE; markLeft = budget;
}

@inline export function decBudget(): void { budgetLeft--; }

export function forceExit(kind: i32): void {
  if (kind > exitKind) exitKind = kind;
  savedBudget += budgetLeft;
  budgetLeft = 0;
}

/** After a RESYNC exit: give the set-aside budget back. */
export function resumeBudget(): void {
  budgetLeft += savedBudget; savedBudget = 0; exitKind = EXIT_NONE;
}

/** Add the instructions executed since the last sync to minstret/mcycle (unless inhibited). */
export function syncCounters(): void {
  const left = budgetLeft + savedBudget;
  const n = <u64><i64>(markLeft - left);
  markLeft = left;
  const inh = rd64(HS_MCOUNTINHIBIT);
  if ((inh & 4) == 0) wr64(HS_INSTRET, rd64(HS_INSTRET) + n);
  if ((inh & 1) == 0) wr64(HS_CYCLE, rd64(HS_CYCLE) + n);
}

/** The current instruction raised an exception: it consumed budget but does not retire. */
export function unretire(): void {
  if ((rd64(HS_MCOUNTINHIBIT) & 4) == 0) wr64(HS_INSTRET, rd64(HS_INSTRET) - 1);
}
