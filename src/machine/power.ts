/**
 * Guest-initiated power events (power-off, reboot, HTIF exit): recorded once in the
 * control block; every hart is asked to return to its host loop, which parks it.
 */
import { Ctrl, PowerState } from './layout.ts';
import type { SharedMachineMemory } from './shared-memory.ts';

export type PowerEvent = (typeof PowerState)[keyof typeof PowerState];

/** Record `event` unless another one was recorded first. Returns whether this one won. */
export function signalPower(mem: SharedMachineMemory, event: PowerEvent, exitCode = 0): boolean {
  const won = Atomics.compareExchange(mem.i32, mem.ctrlIndex(Ctrl.powerState), PowerState.running, event) === PowerState.running;
  if (!won) return false;
  mem.setCtrl(Ctrl.exitCode, exitCode);
  mem.notifyCtrl(Ctrl.powerState);
  const harts = mem.hartCount;
  for (let h = 0; h < harts; h++) {
    mem.requestHostAttention(h);
    mem.wakeHart(h);
  }
  return true;
}

export function powerState(mem: SharedMachineMemory): PowerEvent {
  return mem.ctrl(Ctrl.powerState) as PowerEvent;
}
