/* Zicsr: CSRRW/S/C and immediate forms, x0 rules, read-only and unknown CSRs,
   counters (cycle/instret/time), misa/mhartid/mstatus basics. */
#include "common.h"

/* csrrw/csrrs/csrrc with read-only CSR: encodings checked against mtval */
#define CSR_INSN(csr, funct3, rd, rs1) (0x73 | ((rd) << 7) | ((funct3) << 12) | ((rs1) << 15) | ((csr) << 20))

  .text
  .globl main
main:
  addi sp, sp, -16
  sd ra, 0(sp)

  TEST("mstatus UXL/SXL = 64-bit at reset")
  csrr a0, mstatus
  srli a0, a0, 32
  andi a0, a0, 0xf
  CHECK_EQ(a0, 0xa)

  /* --------------------------------------------------- register forms */
  TEST_CASE(a1, 0x123456789abcdef0, li a0, 0x123456789abcdef0; csrw mscratch, a0; csrr a1, mscratch)
  TEST_CASE(a1, 0x123456789abcdef0, li a0, 0xfedcba9876543210; csrrw a1, mscratch, a0)
  TEST_CASE(a1, 0xfedcba9876543210, csrr a1, mscratch)
  TEST_CASE(a0, 0xff, li a0, 0xf0; csrw mscratch, a0; li a1, 0x0f; csrrs a0, mscratch, a1; CHECK_EQ(a0, 0xf0); csrr a0, mscratch)
  TEST_CASE(a0, 0x0f, li a1, 0xf0; csrrc a0, mscratch, a1; CHECK_EQ(a0, 0xff); csrr a0, mscratch)
  TEST_CASE(a0, 0x8000000000000000, li a0, 0x8000000000000000; csrw mscratch, a0; csrrs a0, mscratch, zero)
  TEST_CASE(a0, 7, li a0, 7; csrrw a0, mscratch, a0; CHECK_EQ(a0, 0x8000000000000000); csrr a0, mscratch)  /* rd == rs1 */
  TEST_CASE(a0, 0x7, li a1, -1; csrrc x0, mscratch, zero; csrr a0, mscratch)                              /* rs1=x0: no write */
  TEST_CASE(a0, 0xffffffffffffffff, li a1, -1; csrrs x0, mscratch, a1; csrr a0, mscratch)                  /* rd=x0 still writes */
  TEST_CASE(a0, 0, li a1, -1; csrrc x0, mscratch, a1; csrr a0, mscratch)
  /* ---------------------------------------------------- immediate forms */
  TEST_CASE(a1, 0, csrrwi a1, mscratch, 31)
  TEST_CASE(a1, 31, csrr a1, mscratch)
  TEST_CASE(a1, 31, csrrci a1, mscratch, 0x15)
  TEST_CASE(a1, 0x0a, csrr a1, mscratch)
  TEST_CASE(a1, 0x0a, csrrsi a1, mscratch, 0x11)
  TEST_CASE(a1, 0x1b, csrr a1, mscratch)
  TEST_CASE(a1, 0x1b, csrrsi a1, mscratch, 0)                 /* uimm=0: no write */
  TEST_CASE(a1, 0x1b, csrrci a1, mscratch, 0)
  TEST_CASE(a1, 0x1b, csrr a1, mscratch)
  TEST_CASE(a1, 0, li a0, -1; csrw mscratch, a0; csrwi mscratch, 0; csrr a1, mscratch)
  TEST_CASE(a1, 0x10, csrwi mscratch, 16; csrr a1, mscratch)    /* uimm zero-extended */
  TEST_CASE(a1, 0xffffffffffffffe0, li a0, -1; csrw mscratch, a0; csrci mscratch, 31; csrr a1, mscratch)

  /* ------------------------------------------------ read-only CSR rules */
  TEST_NO_TRAP(csrr a0, mhartid; csrr a0, mvendorid; csrr a0, marchid; csrr a0, mimpid)
  TEST_NO_TRAP(csrrs a0, mhartid, x0; csrrc a0, mhartid, x0; csrrsi a0, mhartid, 0; csrrci a0, mhartid, 0)
  TEST_NO_TRAP(csrrs a0, cycle, x0; csrrc a0, instret, x0; csrrsi a0, cycle, 0; csrrci a0, instret, 0)
  TEST_CASE(a0, 0, csrr a0, mhartid)
  /* any write attempt traps, even of the same value / with rd = x0 */
  TEST_TRAP_TVAL(CAUSE_ILLEGAL_INSTRUCTION, CSR_INSN(0xf14, 1, 0, 10), li a0, 0; 9: csrw mhartid, a0)
  TEST_TRAP_TVAL_Q(QUIRK_CSR_RO_ZERO_WRITE, CAUSE_ILLEGAL_INSTRUCTION, CSR_INSN(0xf14, 2, 11, 10), li a0, 0; 9: csrrs a1, mhartid, a0)
  TEST_TRAP_TVAL_Q(QUIRK_CSR_RO_ZERO_WRITE, CAUSE_ILLEGAL_INSTRUCTION, CSR_INSN(0xf11, 3, 11, 12), li a2, 0; 9: csrrc a1, mvendorid, a2)
  TEST_TRAP_TVAL(CAUSE_ILLEGAL_INSTRUCTION, CSR_INSN(0xf14, 2, 11, 10), li a0, 1; 9: csrrs a1, mhartid, a0)
  TEST_TRAP_TVAL(CAUSE_ILLEGAL_INSTRUCTION, CSR_INSN(0xf12, 5, 11, 0), csrrwi a1, marchid, 0)
  TEST_TRAP_TVAL(CAUSE_ILLEGAL_INSTRUCTION, CSR_INSN(0xf13, 6, 0, 1), csrsi mimpid, 1)
  TEST_TRAP_TVAL(CAUSE_ILLEGAL_INSTRUCTION, CSR_INSN(0xc00, 1, 0, 0), csrw cycle, zero)
  TEST_TRAP_TVAL(CAUSE_ILLEGAL_INSTRUCTION, CSR_INSN(0xc02, 7, 0, 2), csrci instret, 2)
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, csrw time, zero)
  TEST("a trapping CSR instruction does not write rd")
  li a1, 0x5555
  SET_RESUME(1f)
  csrrs a1, mhartid, a1
  j fail
1:
  CHECK_EQ(a1, 0x5555)

  /* ------------------------------------------------------- unknown CSRs */
  TEST_TRAP_TVAL(CAUSE_ILLEGAL_INSTRUCTION, CSR_INSN(0x0ff, 2, 10, 0), csrr a0, 0x0ff)
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, csrr a0, 0x1ff)
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, csrr a0, 0x3ff)
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, csrw 0x0ff, zero)
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, csrrsi a0, 0x3ff, 0)

  /* ----------------------------------------------------------- counters */
  TEST("instret counts retired instructions")
  csrr a0, instret
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  csrr a1, instret
  sub a2, a1, a0
  li t0, 11
  bltu a2, t0, fail
  TEST("minstret is writable and instret follows it")
  /* (a small step forward: runners may use instret to bound the run) */
  csrr a0, minstret
  li t0, 100000
  add a0, a0, t0
  csrw minstret, a0
  csrr a1, instret
  bltu a1, a0, fail
  li t0, 1000000000
  add t0, t0, a0
  bgeu a1, t0, fail
  csrr a2, minstret
  bltu a2, a1, fail
  TEST("cycle is mcycle and does not go backwards")
  csrr a0, mcycle
  csrr a1, cycle
  csrr a2, mcycle
  bltu a1, a0, fail
  bltu a2, a1, fail
  TEST("mcycle is writable")
  csrr a0, mcycle
  li t0, 100000
  add a0, a0, t0
  csrw mcycle, a0
  csrr a1, cycle
  bltu a1, a0, fail
  TEST("time CSR reads the CLINT mtime")
  li s0, CLINT_MTIME
  ld a0, 0(s0)
  SET_RESUME(2f)
  csrr a1, time
  CLEAR_RESUME
  ld a2, 0(s0)
  bltu a1, a0, fail
  bltu a2, a1, fail
  j 3f
2:
  IF_QUIRK(QUIRK_NO_TIME_CSR, 3f)
  j fail
3:
  TEST("time advances")
  li s0, CLINT_MTIME
  ld a0, 0(s0)
  li a3, 2000000
1:
  ld a1, 0(s0)
  bne a1, a0, 2f
  addi a3, a3, -1
  bnez a3, 1b
  j fail
2:
  bltu a1, a0, fail
  TEST_NO_TRAP(csrr a0, mhpmcounter3; csrr a0, mhpmevent3; csrr a0, mcounteren)
  TEST_NO_TRAP(csrr a0, hpmcounter3)

  /* ------------------------------------------------------ misa etc. */
  TEST("misa: MXL=64, IMAFDC + S + U")
  csrr a0, misa
  srli a1, a0, 62
  CHECK_EQ(a1, 2)
  li t0, (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20)
  and a1, a0, t0
  bne a1, t0, fail
  TEST("mepc bit 0 is always zero")
  li a0, 0x80001235
  csrw mepc, a0
  csrr a1, mepc
  IF_QUIRK(QUIRK_EPC_BIT0, 1f)
  CHECK_EQ(a1, 0x80001234)
1:
  TEST("mtvec keeps a direct base")
  csrr s1, mtvec
  la a0, trap_entry
  CHECK_REG(a0, s1)

  ld ra, 0(sp)
  addi sp, sp, 16
  ret
