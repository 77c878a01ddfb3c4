/* RV64C: every compressed instruction (explicit c.* mnemonics), plus 32-bit
   instructions at 2-byte-aligned addresses and across a page boundary. */
#include "common.h"

  .text
  .option rvc
  .globl main
main:
  addi sp, sp, -16
  sd ra, 0(sp)

  /* --------------------------------------------------- integer constants */
  TEST_CASE(a0, 0, li a0, 5; c.li a0, 0)
  TEST_CASE(a0, 31, c.li a0, 31)
  TEST_CASE(a0, -32, c.li a0, -32)
  TEST_CASE(s1, -1, c.li s1, -1)
  TEST_CASE(a0, 0x1000, c.lui a0, 1)
  TEST_CASE(a0, 0x1f000, c.lui a0, 0x1f)
  TEST_CASE(a0, 0xfffffffffffe0000, c.lui a0, 0xfffe0)                      /* nzimm[17] set: sign-extended */
  TEST_CASE(a0, 0xfffffffffffff000, c.lui a0, 0xfffff)
  TEST_CASE(t6, 0x3000, c.lui t6, 3)

  /* ---------------------------------------------------- register-immediate */
  TEST_CASE(a0, 6, li a0, 1; c.addi a0, 5)
  TEST_CASE(a0, -31, li a0, 1; c.addi a0, -32)
  TEST_CASE(a0, 0x8000000000000000, li a0, 0x7fffffffffffffff; c.addi a0, 1)
  TEST_CASE(a0, 0xffffffff80000000, li a0, 0x7fffffff; c.addiw a0, 1)       /* 32-bit wrap, sign-extend */
  TEST_CASE(a0, 0x12345678, li a0, 0xabcdef0012345678; c.addiw a0, 0)       /* sext.w */
  TEST_CASE(a0, 0xffffffff80000000, li a0, 0x80000000; c.addiw a0, 0)
  TEST_CASE(a0, 0x7fffffe0, li a0, 0x80000000; c.addiw a0, -32)             /* 0x80000000 - 32 */
  TEST_CASE(a0, 0x100, li a0, 1; c.slli a0, 8)
  TEST_CASE(a0, 0x8000000000000000, li a0, 1; c.slli a0, 63)
  TEST_CASE(a0, 0x0000000100000000, li a0, 1; c.slli a0, 32)
  TEST_CASE(t3, 0x80, li t3, 1; c.slli t3, 7)                                /* any rd */
  TEST_CASE(a0, 0x7fffffffffffffff, li a0, -1; c.srli a0, 1)
  TEST_CASE(a0, 1, li a0, 0x8000000000000000; c.srli a0, 63)
  TEST_CASE(s0, 0xffffffff, li s0, -1; c.srli s0, 32)
  TEST_CASE(a0, -1, li a0, 0x8000000000000000; c.srai a0, 63)
  TEST_CASE(a5, 0xfffffffff8000000, li a5, 0x8000000000000000; c.srai a5, 36)
  TEST_CASE(a0, 0x3fffffff, li a0, 0x7fffffff; c.srai a0, 1)
  TEST_CASE(a0, 0xff00ff00ff00ffe0, li a0, 0xff00ff00ff00fff0; c.andi a0, -32)   /* imm sign-extended */
  TEST_CASE(a0, 0x10, li a0, 0xff00ff00ff00fff0; c.andi a0, 31)
  TEST_CASE(s1, 0, li s1, 0x1234; c.andi s1, 0)

  /* ------------------------------------------------ register-register (CA/CR) */
  TEST_CASE(a0, 7, li a1, 7; c.mv a0, a1)
  TEST_CASE(t4, -1, li t5, -1; c.mv t4, t5)
  TEST_CASE(a0, 12, li a0, 5; li a1, 7; c.add a0, a1)
  TEST_CASE(t3, 0, li t3, -5; li ra, 5; c.add t3, ra)
  TEST_CASE(a0, -2, li a0, 5; li a1, 7; c.sub a0, a1)
  TEST_CASE(a0, 0xf0f0, li a0, 0xff00; li a1, 0x0ff0; c.xor a0, a1)
  TEST_CASE(a0, 0xfff0, li a0, 0xff00; li a1, 0x0ff0; c.or a0, a1)
  TEST_CASE(a0, 0x0f00, li a0, 0xff00; li a1, 0x0ff0; c.and a0, a1)
  TEST_CASE(a0, 0xffffffff80000000, li a0, 0x7fffffff; li a1, 1; c.addw a0, a1)
  TEST_CASE(a0, 3, li a0, 0x1234567800000001; li a1, 0x9999999900000002; c.addw a0, a1)
  TEST_CASE(a0, 0x7fffffff, li a0, 0x80000000; li a1, 1; c.subw a0, a1)
  TEST_CASE(s1, -1, li s1, 0; li a5, 1; c.subw s1, a5)
  TEST_CASE(s0, 1, li s0, 0x500000003; li a2, 2; c.subw s0, a2)

  /* ------------------------------------------------------ stack pointer */
  TEST("c.addi16sp / c.addi4spn")
  mv s1, sp
  c.addi16sp sp, -64
  sub a0, s1, sp
  CHECK_EQ(a0, 64)
  c.addi4spn a0, sp, 4
  sub a0, a0, sp
  CHECK_EQ(a0, 4)
  c.addi4spn a1, sp, 1020
  sub a1, a1, sp
  CHECK_EQ(a1, 1020)
  c.addi16sp sp, 496
  sub a0, sp, s1
  CHECK_EQ(a0, 432)
  c.addi16sp sp, -512
  sub a0, s1, sp
  CHECK_EQ(a0, 80)
  c.addi16sp sp, 80
  bne sp, s1, fail

  TEST("c.sdsp/c.ldsp, c.swsp/c.lwsp, c.fsdsp/c.fldsp")
  mv s1, sp
  la sp, cbuf
  li a0, 0x8877665544332211
  c.sdsp a0, 0(sp)
  li a1, 0xfedcba9880000001
  c.sdsp a1, 504(sp)
  c.ldsp a2, 0(sp)
  bne a2, a0, fail
  c.ldsp t3, 504(sp)
  bne t3, a1, fail
  ld a3, 504(sp)
  bne a3, a1, fail
  sd a1, 248(sp)
  c.lwsp a2, 248(sp)                 /* sign-extends */
  CHECK_EQ(a2, 0xffffffff80000001)
  c.lwsp a2, 4(sp)
  CHECK_EQ(a2, 0xffffffff88776655)
  li a0, 0x7fffffff
  c.swsp a0, 252(sp)
  c.lwsp t4, 252(sp)
  CHECK_EQ(t4, 0x7fffffff)
  ld a3, 248(sp)
  srli a3, a3, 32
  CHECK_EQ(a3, 0x7fffffff)
  li a0, 0x400921fb54442d18
  fmv.d.x ft5, a0
  c.fsdsp ft5, 16(sp)
  c.fldsp fa1, 16(sp)
  fmv.x.d a1, fa1
  bne a1, a0, fail
  ld a2, 16(sp)
  bne a2, a0, fail
  c.fldsp fs11, 504(sp)
  fmv.x.d a1, fs11
  CHECK_EQ(a1, 0xfedcba9880000001)
  mv sp, s1

  /* ------------------------------------------------------- CL/CS format */
  TEST("c.sd/c.ld, c.sw/c.lw, c.fsd/c.fld")
  la a5, cbuf
  li a0, 0x0123456789abcdef
  c.sd a0, 0(a5)
  c.sd a0, 248(a5)
  c.ld a1, 248(a5)
  bne a1, a0, fail
  c.lw a2, 0(a5)
  CHECK_EQ(a2, 0xffffffff89abcdef)
  c.lw a3, 4(a5)
  CHECK_EQ(a3, 0x01234567)
  li a4, 0x55aa55aa
  c.sw a4, 124(a5)
  c.lw s0, 124(a5)
  CHECK_EQ(s0, 0x55aa55aa)
  ld a3, 120(a5)
  srli a3, a3, 32
  CHECK_EQ(a3, 0x55aa55aa)
  li a0, 0xc000000000000000
  fmv.d.x fa5, a0
  c.fsd fa5, 8(a5)
  c.fld fs0, 8(a5)
  fmv.x.d a1, fs0
  CHECK_EQ(a1, 0xc000000000000000)
  c.fsd fs0, 248(a5)
  c.fld fs1, 248(a5)
  fmv.x.d a1, fs1
  CHECK_EQ(a1, 0xc000000000000000)
  TEST("c.lw with rd == rs1")
  la a5, cbuf
  li a0, 77
  sw a0, 8(a5)
  c.lw a5, 8(a5)
  CHECK_EQ(a5, 77)

  /* ---------------------------------------------------------- control flow */
  TEST("c.j forward and backward")
  li a0, 0
  c.j 2f
1:
  addi a0, a0, 1
  c.j 3f
2:
  c.j 1b
  j fail
3:
  CHECK_EQ(a0, 1)
  TEST("c.beqz / c.bnez both ways")
  li s0, 0
  li s1, 1
  c.beqz s1, 4f
  c.bnez s0, 4f
  c.beqz s0, 1f
  j fail
1:
  c.bnez s1, 2f
  j fail
2:
  li a2, 3
3:
  addi a2, a2, -1
  c.bnez a2, 3b
  c.beqz a2, 5f
4:
  j fail
5:
  TEST("c.bnez on a full 64-bit value")
  li a3, 0x100000000
  c.bnez a3, 1f
  j fail
1:
  TEST("c.jr")
  la a0, 1f
  c.jr a0
  j fail
1:
  TEST("c.jalr links pc+2")
  la t0, 2f
1:
  c.jalr t0
  j fail
2:
  la a1, 1b
  addi a1, a1, 2
  bne ra, a1, fail
  TEST("c.jalr with rs1 == ra")
  la ra, 2f
1:
  c.jalr ra
  j fail
2:
  la a1, 1b
  addi a1, a1, 2
  bne ra, a1, fail
  TEST("c.jr ra (ret) from a 32-bit call")
  call ret_seven
  CHECK_EQ(a0, 7)
  TEST("c.nop")
  c.nop

  /* ---------------------------------------------------- mixed alignments */
  TEST("32-bit instruction at a 2-mod-4 address")
  .balign 4
  c.nop
  .option push
  .option norvc
1:
  addi a0, zero, 42                  /* 32-bit, at pc % 4 == 2 */
  .option pop
  CHECK_EQ(a0, 42)
  la a1, 1b
  andi a1, a1, 3
  CHECK_EQ(a1, 2)
  TEST("jump to a 2-mod-4 target")
  la a0, half_aligned_target
  andi a1, a0, 3
  CHECK_EQ(a1, 2)
  jalr a0
  CHECK_EQ(a0, 43)
  TEST("32-bit instruction straddling a 4 KiB boundary")
  li a0, 0
  call straddle_page
  CHECK_EQ(a0, 1)

  /* ---------------------------------------------------------------- traps */
  TEST_TRAP_TVAL(CAUSE_ILLEGAL_INSTRUCTION, 0, .half 0x0000)               /* all-zero: illegal */
  TEST_TRAP(CAUSE_BREAKPOINT, c.ebreak)
  TEST("c.ebreak is 2 bytes long")
  SET_RESUME(2f)
1:
  c.ebreak
  c.nop
2:
  CHECK_CAUSE(CAUSE_BREAKPOINT)
  CHECK_EPC_SYM(1b)

  ld ra, 0(sp)
  addi sp, sp, 16
  ret

ret_seven:
  li a0, 7
  c.jr ra

  .balign 4
  c.nop
half_aligned_target:
  li a0, 43
  ret

  /* a 32-bit addi at offset 4094 of a page */
  .balign 4096
straddle_page:
  .option push
  .option norvc
  .fill 1023, 4, 0x00000013          /* 1023 nops: 4092 bytes */
  .option pop
  c.nop                              /* 4092 */
  .option push
  .option norvc
  addi a0, a0, 1                     /* 4094..4097 */
  .option pop
  ret

  .data
  .balign 8
cbuf: .fill 64, 8, 0
