/* Machine mode: exceptions (ecall, ebreak, illegal, misaligned, access
   faults), mepc/mcause/mtval, mret with MPP/MPIE/MPRV, mtvec modes, WFI,
   misaligned loads/stores done in hardware. */
#include "common.h"

#define ILLEGAL_OP 0xfe000033        /* OP with funct7 = 0x7f: no such instruction */

/* misaligned load of `inst` at data_mis + off, compared to the value built bytewise */
#define TEST_MIS_LD(inst, result, off) \
  TEST_CASE(a4, result, la a1, data_mis; inst a4, off(a1))

  .text
  .globl main
main:
  addi sp, sp, -16
  sd ra, 0(sp)

  /* ------------------------------------------------------------ ecall */
  TEST_TRAP_TVAL(CAUSE_MACHINE_ECALL, 0, ecall)
  TEST("ecall: mstatus.MPP = M, MPIE = previous MIE, MIE cleared")
  csrsi mstatus, MSTATUS_MIE        /* mie = 0: no interrupt can be taken */
  SET_RESUME(1f)
  ecall
  j fail
1:
  LOAD_TS(a0, TS_STATUS)
  li t0, MSTATUS_MPP
  and a1, a0, t0
  CHECK_EQ(a1, MSTATUS_MPP_M)
  andi a1, a0, MSTATUS_MPIE
  beqz a1, fail
  andi a1, a0, MSTATUS_MIE
  bnez a1, fail
  csrci mstatus, MSTATUS_MIE
  TEST("M-mode traps are never delegated (medeleg all ones)")
  li a0, -1
  csrw medeleg, a0
  li a0, -1
  csrw mideleg, a0
  SET_RESUME(1f)
  ecall
  j fail
1:
  CHECK_CAUSE(CAUSE_MACHINE_ECALL)
  SET_RESUME(2f)
  .word ILLEGAL_OP
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
  csrw medeleg, zero
  csrw mideleg, zero

  /* ----------------------------------------------------------- ebreak */
  TEST_TRAP(CAUSE_BREAKPOINT, ebreak)
  TEST("ebreak mtval is 0 or the pc")
  LOAD_TS(a0, TS_TVAL)
  beqz a0, 1f
  LOAD_TS(a1, TS_EPC)
  bne a0, a1, fail
1:
  TEST("ebreak is 4 bytes (32-bit encoding)")
  SET_RESUME(2f)
  .option push
  .option norvc
1:
  ebreak
  .option pop
2:
  LOAD_TS(a0, TS_EPC)
  la a1, 1b
  bne a0, a1, fail

  /* -------------------------------------------------- illegal instruction */
  TEST_TRAP_TVAL(CAUSE_ILLEGAL_INSTRUCTION, ILLEGAL_OP, .word ILLEGAL_OP)
  TEST_TRAP_TVAL(CAUSE_ILLEGAL_INSTRUCTION, 0xffffffff, .word 0xffffffff)
  TEST_TRAP_TVAL(CAUSE_ILLEGAL_INSTRUCTION, 0x00000000, .word 0x00000000)
  TEST_TRAP_TVAL(CAUSE_ILLEGAL_INSTRUCTION, 0x7ff02573, csrr a0, 0x7ff)   /* unknown CSR in custom space */
  TEST("illegal instruction does not change registers")
  li a0, 77
  SET_RESUME(1f)
  .word 0xfe050533                  /* funct7 0x7f "add" a0, a0, zero */
  j fail
1:
  CHECK_EQ(a0, 77)

  /* ----------------------------------------- instruction-address-misaligned */
  /* only observable with C disabled; misa.C may be read-only: then skip */
  TEST("misaligned jump target with misa.C cleared (skipped if misa is read-only)")
  .option push
  .option norvc
  .balign 4
  csrr s0, misa
  li t0, 1 << 2
  csrc misa, t0
  csrr s1, misa
  and t1, s1, t0
  bnez t1, 5f                       /* C still on: cannot test */
  la a0, 3f
  addi a0, a0, 2
  SET_RESUME(1f)
2:
  jalr ra, 0(a0)                    /* target % 4 == 2 */
  j 4f
1:
  CHECK_CAUSE(CAUSE_MISALIGNED_FETCH)
  LOAD_TS(a1, TS_EPC)
  la a2, 2b
  bne a1, a2, 4f                    /* reported on the jump itself */
  LOAD_TS(a1, TS_TVAL)
  bne a1, a0, 4f                    /* mtval = target */
  li a1, 1
  li a2, 1
  SET_RESUME(1f)
2:
  beq a1, a2, 3f + 2                /* taken branch to a misaligned target */
  j 4f
1:
  CHECK_CAUSE(CAUSE_MISALIGNED_FETCH)
  CHECK_EPC_SYM(2b)
  bne a1, a2, 4f
  beq a1, zero, 3f + 2              /* not taken: no exception */
  csrw misa, s0                     /* C back on (next instruction is 4-aligned) */
  j 5f
3:
  nop
  nop
4:
  csrw misa, s0
  j fail
5:
  csrw misa, s0
  .option pop

  /* ------------------------------------------ misaligned loads and stores */
  /* Amber (like QEMU) performs misaligned regular loads/stores in hardware */
  TEST_MIS_LD(lh, 0x0000000000000302, 1)
  TEST_MIS_LD(lh, 0xffffffffffff8281, 0x81)
  TEST_MIS_LD(lhu, 0x0000000000008281, 0x81)
  TEST_MIS_LD(lw, 0x0000000005040302, 1)
  TEST_MIS_LD(lw, 0x0000000006050403, 2)
  TEST_MIS_LD(lw, 0x0000000007060504, 3)
  TEST_MIS_LD(lw, 0xffffffff84838281, 0x81)
  TEST_MIS_LD(lwu, 0x0000000084838281, 0x81)
  TEST_MIS_LD(ld, 0x0908070605040302, 1)
  TEST_MIS_LD(ld, 0x0a09080706050403, 2)
  TEST_MIS_LD(ld, 0x0b0a090807060504, 3)
  TEST_MIS_LD(ld, 0x0c0b0a0908070605, 4)
  TEST_MIS_LD(ld, 0x0d0c0b0a09080706, 5)
  TEST_MIS_LD(ld, 0x0e0d0c0b0a090807, 6)
  TEST_MIS_LD(ld, 0x0f0e0d0c0b0a0908, 7)
  TEST_CASE(a4, 0x0201fffefdfcfbfa, la a1, page_end; ld a4, -6(a1))      /* across a 4 KiB page */
  TEST_CASE(a4, 0x01fffefd, la a1, page_end; lwu a4, -3(a1))
  TEST("misaligned stores")
  la a0, data_st
  sd zero, 0(a0)
  sd zero, 8(a0)
  li a1, 0x1122334455667788
  sd a1, 3(a0)
  ld a2, 0(a0)
  CHECK_EQ(a2, 0x4455667788000000)
  ld a2, 8(a0)
  CHECK_EQ(a2, 0x0000000000112233)
  li a1, 0xa1a2a3a4
  sw a1, 7(a0)
  ld a2, 0(a0)
  CHECK_EQ(a2, 0xa455667788000000)
  ld a2, 8(a0)
  CHECK_EQ(a2, 0x0000000000a1a2a3)
  li a1, 0xbeef
  sh a1, 11(a0)
  ld a2, 8(a0)
  CHECK_EQ(a2, 0x000000beefa1a2a3)
  TEST("misaligned store across a 4 KiB page")
  la a0, page_end
  li a1, 0x0102030405060708
  sd a1, -4(a0)
  ld a2, -4(a0)
  bne a2, a1, fail
  lwu a2, -4(a0)
  CHECK_EQ(a2, 0x05060708)
  lwu a2, 0(a0)
  CHECK_EQ(a2, 0x01020304)
  li a1, 0xfffefdfc
  sw a1, -4(a0)
  li a1, 0x04030201
  sw a1, 0(a0)
  TEST("misaligned FP load/store")
  la a0, data_mis
  fld f1, 3(a0)
  fmv.x.d a1, f1
  CHECK_EQ(a1, 0x0b0a090807060504)
  la a0, data_st
  sd zero, 0(a0)
  sd zero, 8(a0)
  fsd f1, 1(a0)
  ld a2, 1(a0)
  CHECK_EQ(a2, 0x0b0a090807060504)
  flw f2, 6(a0)
  fmv.x.w a1, f2
  CHECK_EQ(a1, 0x000b0a09)

  /* ---------------------------------------------------------- access faults */
  TEST_TRAP_TVAL(CAUSE_LOAD_ACCESS, 0, li a0, 0; 9: lw a1, 0(a0))
  TEST_TRAP_TVAL(CAUSE_LOAD_ACCESS, 0x10, li a0, 0; 9: ld a1, 0x10(a0))
  TEST_TRAP_TVAL(CAUSE_LOAD_ACCESS, 0x8, li a0, 0x8; 9: lbu a1, 0(a0))
  TEST_TRAP_TVAL(CAUSE_STORE_ACCESS, 0, li a0, 0; 9: sw a1, 0(a0))
  TEST_TRAP_TVAL(CAUSE_STORE_ACCESS, 0x18, li a0, 0; 9: sd a1, 0x18(a0))
  TEST_TRAP_AMO(CAUSE_STORE_ACCESS, 0, li a0, 0; 9: amoadd.d a1, a2, (a0))
  TEST_TRAP_AMO(CAUSE_STORE_ACCESS, 8, li a0, 8; 9: amoswap.w a1, a2, (a0))
  TEST_TRAP_TVAL(CAUSE_LOAD_ACCESS, 0, li a0, 0; 9: lr.d a1, (a0))
  TEST_TRAP_TVAL(CAUSE_LOAD_ACCESS, 0, li a0, 0; 9: fld f1, 0(a0))
  TEST("instruction access fault: mepc = mtval = target, ra written")
  li ra, 0
  SET_RESUME(1f)
2:
  jalr ra, 0(zero)
  j fail
1:
  CHECK_CAUSE(CAUSE_FETCH_ACCESS)
  LOAD_TS(a0, TS_EPC)
  bnez a0, fail
  LOAD_TS(a0, TS_TVAL)
  bnez a0, fail
  la a1, 2b
  addi a1, a1, 4
  bne ra, a1, fail
  ld ra, 0(sp)                      /* (the test clobbered ra) */
  sd ra, 0(sp)

  /* ------------------------------------------------------------- mret */
  TEST("mret to M: MIE = MPIE, MPIE = 1, MPP = U")
  li t0, MSTATUS_MPP | MSTATUS_MPIE
  csrs mstatus, t0                  /* MPP = M, MPIE = 1 */
  csrci mstatus, MSTATUS_MIE
  la t0, 1f
  csrw mepc, t0
  mret
  j fail
1:
  csrr a0, mstatus
  csrci mstatus, MSTATUS_MIE
  andi a1, a0, MSTATUS_MIE
  beqz a1, fail
  andi a1, a0, MSTATUS_MPIE
  beqz a1, fail
  li t0, MSTATUS_MPP
  and a1, a0, t0
  bnez a1, fail
  TEST("mret with MPIE = 0 leaves MIE = 0")
  li t0, MSTATUS_MPP
  csrs mstatus, t0
  li t0, MSTATUS_MPIE
  csrc mstatus, t0
  csrsi mstatus, MSTATUS_MIE
  la t0, 1f
  csrw mepc, t0
  mret
  j fail
1:
  csrr a0, mstatus
  andi a1, a0, MSTATUS_MIE
  bnez a1, fail
  andi a1, a0, MSTATUS_MPIE
  beqz a1, fail
  TEST("mret to S, ecall from S: cause 9, MPP = S, MPIE = 1")
  li t0, MSTATUS_MPIE
  csrs mstatus, t0
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  ecall
  j fail
2:
  CHECK_CAUSE(CAUSE_SUPERVISOR_ECALL)
  CHECK_EPC_SYM(1b)
  LOAD_TS(a0, TS_STATUS)
  li t0, MSTATUS_MPP
  and a1, a0, t0
  CHECK_EQ(a1, MSTATUS_MPP_S)
  andi a1, a0, MSTATUS_MPIE
  beqz a1, fail
  TEST("mret to U, ecall from U: cause 8, MPP = U")
  SET_RESUME(2f)
  GOTO_U(1f)
1:
  ecall
  j fail
2:
  CHECK_CAUSE(CAUSE_USER_ECALL)
  CHECK_EPC_SYM(1b)
  LOAD_TS(a0, TS_STATUS)
  li t0, MSTATUS_MPP
  and a1, a0, t0
  bnez a1, fail
  TEST("mret to S clears MPRV")
  li t0, MSTATUS_MPRV
  csrs mstatus, t0
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  ecall
  j fail
2:
  csrr a0, mstatus
  li t0, MSTATUS_MPRV
  and a1, a0, t0
  csrc mstatus, t0
  beqz a1, 3f
  IF_QUIRK(QUIRK_MRET_KEEPS_MPRV, 3f)
  j fail
3:
  TEST("mret in S and in U is illegal")
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  mret
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
  CHECK_EPC_SYM(1b)
  CHECK_TVAL(0x30200073)
  SET_RESUME(2f)
  GOTO_U(1f)
1:
  mret
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
  CHECK_EPC_SYM(1b)
  TEST("M-mode CSRs are illegal in S-mode")
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  csrr a0, mstatus
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
  CHECK_EPC_SYM(1b)

  /* ------------------------------------------------------------ mtvec */
  TEST("vectored mtvec: exceptions go to the base")
  la a0, trap_entry
  ori a0, a0, 1
  csrw mtvec, a0
  csrr a1, mtvec
  bne a1, a0, 3f
  SET_RESUME(1f)
  ecall
  j fail
1:
  CHECK_CAUSE(CAUSE_MACHINE_ECALL)
  SET_RESUME(2f)
  .word ILLEGAL_OP
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
3:
  la a0, trap_entry
  csrw mtvec, a0
  TEST("direct mtvec at another handler")
  la a0, alt_handler
  csrw mtvec, a0
  li a1, 0
  ecall                             /* alt_handler: a1 = mcause, skips the ecall */
  la a0, trap_entry
  csrw mtvec, a0
  CHECK_EQ(a1, CAUSE_MACHINE_ECALL)
  TEST("mscratch survives traps")
  li a0, 0x5a5a
  csrw mscratch, a0
  SET_RESUME(1f)
  ecall
1:
  csrr a1, mscratch
  CHECK_EQ(a1, 0x5a5a)

  /* -------------------------------------------------------------- WFI */
  TEST("wfi returns when an enabled interrupt is pending, even with MIE = 0")
  csrci mstatus, MSTATUS_MIE
  li t0, MIP_MSIP
  csrw mie, t0
  li a0, CLINT_MSIP
  li a1, 1
  sw a1, 0(a0)
1:
  csrr a2, mip
  andi a2, a2, MIP_MSIP
  beqz a2, 1b                       /* msip reaches mip */
  wfi
  sw zero, 0(a0)
1:
  csrr a2, mip
  andi a2, a2, MIP_MSIP
  bnez a2, 1b
  csrw mie, zero
  TEST("wfi with a pending timer interrupt (mtimecmp in the past)")
  li a0, CLINT_MTIMECMP
  sd zero, 0(a0)
  li t0, MIP_MTIP
  csrw mie, t0
1:
  csrr a2, mip
  andi a2, a2, MIP_MTIP
  beqz a2, 1b
  wfi
  li a1, -1
  sd a1, 0(a0)
  csrw mie, zero

  ld ra, 0(sp)
  addi sp, sp, 16
  ret

  .balign 4
alt_handler:
  csrr a1, mcause
  csrr t5, mepc
  addi t5, t5, 4
  csrw mepc, t5
  mret

  .data
  .balign 4096
data_mis:
  .byte 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10
  .fill 0x70, 1, 0
  .byte 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87
  .balign 8
data_st: .fill 4, 8, 0
  .balign 4096
  .skip 4096 - 8
  .byte 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff
page_end:
  .byte 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08
