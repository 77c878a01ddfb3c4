/**
 * HTIF (Spike's host-target interface) for bare-metal test programs: the `tohost` and
 * `fromhost` words found in the ELF's symbol table. The core routes accesses to the
 * tohost word here; the words themselves stay in guest RAM.
 *
 * tohost = (device << 56) | (command << 48) | payload:
 *   device 0, payload bit 0 set → exit with code payload >> 1
 *   device 1, command 1         → console putchar(payload & 0xff); reply in fromhost
 */
import { PowerState } from '../machine/layout.ts';
import { signalPower } from '../machine/power.ts';
import type { SharedMachineMemory } from '../machine/shared-memory.ts';
import type { AccessSize, Device } from './device.ts';
import { DeviceState, defineSchema } from './state.ts';

export const htifSchema = defineSchema({ name: 'htif', version: 1, fields: {} });

export class Htif implements Device<Record<string, never>> {
  readonly state: DeviceState<Record<string, never>>;

  constructor(
    private readonly mem: SharedMachineMemory,
    slot: number,
    readonly base: number,
    private readonly fromhost: number,
    private readonly putchar: (byte: number) => void,
    /** 16 bytes (tohost and what follows), or 0 when the program has no tohost: then nothing maps here. */
    readonly size = 16,
    readonly name = 'htif',
  ) {
    this.state = new DeviceState(mem, slot, htifSchema);
  }

  reset(): void {}

  read(offset: number, size: AccessSize): bigint {
    return this.ramWord(this.base + offset, size);
  }

  write(offset: number, size: AccessSize, value: bigint): void {
    if (offset !== 0 || size < 4) {
      this.setRamWord(this.base + offset, size, value);
      return;
    }
    const device = Number(value >> 56n);
    const command = Number((value >> 48n) & 0xffn);
    const payload = value & 0xffff_ffff_ffffn;
    if (device === 0 && (payload & 1n)) {
      signalPower(this.mem, PowerState.htifExit, Number((payload >> 1n) & 0x7fff_ffffn));
    } else if (device === 1 && command === 1) {
      this.putchar(Number(payload & 0xffn));
      this.setRamWord(this.fromhost, 8, (1n << 56n) | (1n << 48n));
    }
    this.setRamWord(this.base, 8, 0n); // consumed
  }

  private ramWord(paddr: number, size: AccessSize): bigint {
    const off = this.mem.ramOffset(paddr, size);
    if (off < 0) return 0n;
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.mem.u8[off + i]);
    return v;
  }

  private setRamWord(paddr: number, size: AccessSize, value: bigint): void {
    const off = this.mem.ramOffset(paddr, size);
    if (off < 0) return;
    for (let i = 0; i < size; i++) this.mem.u8[off + i] = Number((value >> BigInt(8 * i)) & 0xffn);
    this.mem.markRamWritten(off, size);
  }
}
