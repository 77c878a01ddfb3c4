/**
 * The `sifive,test` finisher at 0x100000, which QEMU virt's device tree exposes through
 * `syscon-poweroff` (0x5555) and `syscon-reboot` (0x7777). 0x3333 | code << 16 is a failing exit.
 * It has no state: the event lands in the control block.
 */
import { PowerState } from '../machine/layout.ts';
import { signalPower } from '../machine/power.ts';
import type { SharedMachineMemory } from '../machine/shared-memory.ts';
import type { AccessSize, Device } from './device.ts';
import { DeviceState, defineSchema } from './state.ts';

export const sysconSchema = defineSchema({ name: 'sifive-test', version: 1, fields: {} });

const FINISHER_FAIL = 0x3333;
const FINISHER_PASS = 0x5555;
const FINISHER_RESET = 0x7777;

export class Syscon implements Device<Record<string, never>> {
  readonly state: DeviceState<Record<string, never>>;

  constructor(
    private readonly mem: SharedMachineMemory,
    slot: number,
    readonly name = 'test',
    readonly base = 0x10_0000,
    readonly size = 0x1000,
  ) {
    this.state = new DeviceState(mem, slot, sysconSchema);
  }

  reset(): void {}

  read(): bigint {
    return 0n;
  }

  write(offset: number, _size: AccessSize, value: bigint): void {
    if (offset !== 0) return;
    const v = Number(value & 0xffff_ffffn);
    switch (v & 0xffff) {
      case FINISHER_PASS: signalPower(this.mem, PowerState.poweroff, 0); break;
      case FINISHER_FAIL: signalPower(this.mem, PowerState.poweroff, (v >>> 16) || 1); break;
      case FINISHER_RESET: signalPower(this.mem, PowerState.reboot, 0); break;
      default: break;
    }
  }
}
