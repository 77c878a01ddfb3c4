/**
 * The reset vector at 0x1000, as QEMU virt's (hw/riscv/boot.c riscv_setup_rom_reset_vec):
 * every hart starts here in M-mode and jumps to the firmware (or a bare-metal ELF) with
 * a0 = mhartid, a1 = device tree address, a2 = address of the fw_dynamic info (unused).
 */
import { BOOTROM_BASE, BOOTROM_SIZE } from './layout.ts';
import type { SharedMachineMemory } from './shared-memory.ts';

const RESET_VECTOR = [
  0x0000_0297, // auipc t0, 0
  0x0282_8613, // addi  a2, t0, 40
  0xf140_2573, // csrr  a0, mhartid
  0x0202_b583, // ld    a1, 32(t0)
  0x0182_b283, // ld    t0, 24(t0)
  0x0002_8067, // jr    t0
];
const START_ADDR_OFFSET = 24;
const FDT_ADDR_OFFSET = 32;

export function writeBootRom(mem: SharedMachineMemory, startAddr: number, fdtAddr: number): void {
  mem.u8.fill(0, BOOTROM_BASE, BOOTROM_BASE + BOOTROM_SIZE);
  RESET_VECTOR.forEach((insn, i) => mem.view.setUint32(BOOTROM_BASE + 4 * i, insn, true));
  mem.view.setBigUint64(BOOTROM_BASE + START_ADDR_OFFSET, BigInt(startAddr), true);
  mem.view.setBigUint64(BOOTROM_BASE + FDT_ADDR_OFFSET, BigInt(fdtAddr), true);
}
