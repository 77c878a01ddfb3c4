/** Shared fixtures for device tests: a real shared memory and a machine config. */
import type { MachineConfig } from '../../src/machine/config.ts';
import { MiB } from '../../src/machine/layout.ts';
import { SharedMachineMemory } from '../../src/machine/shared-memory.ts';

export const RAM_BYTES = 16 * MiB;

export function makeMemory(harts = 1, extraBytes = 0, ramBytes = RAM_BYTES): SharedMachineMemory {
  const mem = SharedMachineMemory.create(ramBytes, extraBytes);
  mem.initControl(harts, ramBytes);
  return mem;
}

const image = (name: string) => ({ name, sha256: '0'.repeat(64), size: 0 });

export function makeConfig(harts = 1, memoryMiB = 16, extra: Partial<MachineConfig> = {}): MachineConfig {
  return {
    version: 1,
    harts,
    memoryMiB,
    boot: { kind: 'linux', firmware: image('fw_jump.bin'), kernel: image('Image'), bootargs: 'console=ttyS0 earlycon' },
    deterministic: false,
    ...extra,
  };
}
