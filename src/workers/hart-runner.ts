/**
 * The loop every hart thread runs, in the browser (Web Worker) and in Node
 * (worker_threads) alike: run instruction batches in the core; between batches take
 * the timer, pause, stop and power requests from the control block; sleep in WFI.
 */
import type { AccessSize } from '../devices/device.ts';
import { Board } from '../machine/board.ts';
import { skipIdleTicks, TIMEBASE_HZ } from '../machine/clock.ts';
import type { MachineConfig } from '../machine/config.ts';
import { Ctrl, HartHost, PowerState, RunReason } from '../machine/layout.ts';
import { readMie, readMip } from '../machine/interrupts.ts';
import { signalPower } from '../machine/power.ts';
import { SharedMachineMemory } from '../machine/shared-memory.ts';
import { instantiateCore, type CoreExports } from './core.ts';

export interface HartStartMessage {
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
  hartId: number;
  config: MachineConfig;
}

/** Instructions per `run` call: short enough for prompt pause and timer checks (~1 ms). */
export const BATCH = 100_000;
/** Longest WFI sleep before re-checking everything (guards against a missed wake). */
const MAX_SLEEP_MS = 1000;

/** A core instance bound to `hart`, its MMIO going to `board`'s devices in this thread. */
export function hartCore(module: WebAssembly.Module, board: Board, hart: number): CoreExports {
  const core = instantiateCore(module, board.mem.memory, {
    mmioLoad: (paddr, size) => board.load(hart, Number(paddr), size as AccessSize),
    mmioStore: (paddr, size, value) => board.store(hart, Number(paddr), size as AccessSize, value),
    mtime: () => board.clock.mtime(),
  });
  core.init(hart);
  return core;
}

/** One instruction batch: timer state in, `run`, then WFI sleep or a fatal stop. */
export function runBatch(core: CoreExports, board: Board, hart: number, budget = BATCH): number {
  board.clint.updateTimer(hart);
  const reason = core.run(budget);
  if (reason === RunReason.wfi) sleepInWfi(board.mem, board, hart);
  else if (reason === RunReason.fatal) signalPower(board.mem, PowerState.fatal, 1);
  return reason;
}

export function runHart(msg: HartStartMessage): void {
  const mem = new SharedMachineMemory(msg.memory);
  const board = new Board(mem, msg.config);
  const hart = msg.hartId;
  const core = hartCore(msg.module, board, hart);

  mem.addCtrl(Ctrl.liveHarts, 1);
  mem.notifyCtrl(Ctrl.liveHarts);
  try {
    for (;;) {
      if (mem.ctrl(Ctrl.stopRequest)) break;
      if (mem.ctrl(Ctrl.pauseRequest) || mem.ctrl(Ctrl.powerState) !== PowerState.running) {
        park(mem, hart);
        continue;
      }
      runBatch(core, board, hart);
    }
  } catch (err) {
    signalPower(mem, PowerState.fatal, 1);
    throw err;
  } finally {
    mem.addCtrl(Ctrl.liveHarts, -1);
    mem.notifyCtrl(Ctrl.liveHarts);
  }
}

/** Pause handshake: count ourselves parked and sleep until released (or stopped). */
function park(mem: SharedMachineMemory, hart: number): void {
  mem.addCtrl(Ctrl.parkedCount, 1);
  mem.notifyCtrl(Ctrl.parkedCount);
  const wake = mem.wakeIndex(hart);
  for (;;) {
    const seen = Atomics.load(mem.i32, wake);
    const held = mem.ctrl(Ctrl.pauseRequest) !== 0 || mem.ctrl(Ctrl.powerState) !== PowerState.running;
    if (!held || mem.ctrl(Ctrl.stopRequest)) break;
    Atomics.wait(mem.i32, wake, seen, MAX_SLEEP_MS);
  }
  mem.addCtrl(Ctrl.parkedCount, -1);
  mem.notifyCtrl(Ctrl.parkedCount);
}

/** WFI: sleep until an interrupt is pending, the timer deadline, or a host request. */
function sleepInWfi(mem: SharedMachineMemory, board: Board, hart: number): void {
  const wake = mem.wakeIndex(hart);
  const seen = Atomics.load(mem.i32, wake); // read before the checks: no lost wake-up
  board.clint.updateTimer(hart);
  if (readMip(mem, hart) & readMie(mem, hart)) return;
  if (mem.ctrl(Ctrl.pauseRequest) || mem.ctrl(Ctrl.stopRequest) || mem.ctrl(Ctrl.powerState) !== PowerState.running) return;
  const untilTimer = board.clint.msUntilTimer(hart);
  if (board.clock.isDeterministic && Number.isFinite(untilTimer)) {
    // Idle in virtual time: jump to the deadline instead of waiting for it.
    skipIdleTicks(mem, Math.ceil((untilTimer * TIMEBASE_HZ) / 1000));
    board.clint.updateTimer(hart);
    return;
  }
  if (untilTimer <= 0) return;
  mem.setHostWord(hart, HartHost.sleeping, 1);
  Atomics.wait(mem.i32, wake, seen, Math.min(untilTimer, MAX_SLEEP_MS));
  mem.setHostWord(hart, HartHost.sleeping, 0);
}
