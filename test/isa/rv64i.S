/* RV64I base integer instructions (plus FENCE / FENCE.I). */
#include "common.h"
  .option norvc     /* 32-bit encodings only (offsets below assume it) */

  .text
  .globl main
main:
  addi sp, sp, -16
  sd ra, 0(sp)

  /* ------------------------------------------------------------ ADD/SUB */
  TEST_RR_OP(add, 0, 0, 0)
  TEST_RR_OP(add, 3, 1, 2)
  TEST_RR_OP(add, -1, 1, -2)
  TEST_RR_OP(add, 0, -1, 1)
  TEST_RR_OP(add, 0x8000000000000000, 0x7fffffffffffffff, 1)
  TEST_RR_OP(add, 0xfffffffffffffffe, 0x7fffffffffffffff, 0x7fffffffffffffff)
  TEST_RR_OP(add, 0x0000000100000000, 0x00000000ffffffff, 1)
  TEST_RR_OP(sub, 0, 5, 5)
  TEST_RR_OP(sub, -1, 1, 2)
  TEST_RR_OP(sub, 0x7fffffffffffffff, 0x8000000000000000, 1)
  TEST_RR_OP(sub, 0x8000000000000001, 0, 0x7fffffffffffffff)
  TEST_RR_OP(sub, 0x00000000ffffffff, 0x0000000100000000, 1)
  TEST_RR_SRC1_EQ_DEST(add, 24, 13, 11)
  TEST_RR_SRC2_EQ_DEST(sub, 2, 13, 11)
  TEST_RR_SRC12_EQ_DEST(add, 26, 13)
  TEST_RR_SRC12_EQ_DEST(sub, 0, 13)
  TEST_RR_ZERODEST(add, 11, 22)
  TEST_RR_ZEROSRC1(sub, -15, 15)
  TEST_RR_ZEROSRC2(add, 15, 15)

  TEST_IMM_OP(addi, 0, 0, 0)
  TEST_IMM_OP(addi, 2047, 0, 2047)
  TEST_IMM_OP(addi, -2048, 0, -2048)
  TEST_IMM_OP(addi, 0x7ffffffffffff7ff, 0x7fffffffffffffff, -2048)
  TEST_IMM_OP(addi, 0x80000000000007fe, 0x7fffffffffffffff, 2047)
  TEST_IMM_OP(addi, 0x0000000080000000, 0x7fffffff, 1)
  TEST_IMM_SRC1_EQ_DEST(addi, 24, 13, 11)
  TEST_IMM_ZERODEST(addi, 33, 50)
  TEST_IMM_ZEROSRC1(addi, 32, 32)

  /* ------------------------------------------------------ ADDW/SUBW/ADDIW */
  TEST_RR_OP(addw, 3, 1, 2)
  TEST_RR_OP(addw, 0xffffffff80000000, 0x7fffffff, 1)       /* overflow -> sign-extended */
  TEST_RR_OP(addw, 0, 0xffffffff, 1)
  TEST_RR_OP(addw, 5, 0x1234567800000002, 0x8765432100000003) /* upper halves ignored */
  TEST_RR_OP(addw, 0xffffffffffffffff, 0xffffffff, 0)
  TEST_RR_OP(subw, -1, 1, 2)
  TEST_RR_OP(subw, 0x7fffffff, 0x80000000, 1)
  TEST_RR_OP(subw, 0xffffffff80000000, 0, 0x80000000)
  TEST_RR_OP(subw, 2, 0xabcdef0000000005, 0x1234560000000003)
  TEST_IMM_OP(addiw, 0xffffffff80000000, 0x7fffffff, 1)
  TEST_IMM_OP(addiw, 0x7ffff7ff, 0xffffffff7fffffff, -2048)
  TEST_IMM_OP(addiw, 0x7fffffff, 0xffffffff80000000, -1)
  TEST_IMM_OP(addiw, 0xffffffffffffffff, 0, -1)
  TEST_IMM_OP(addiw, 0x000007ff, 0xffffffff00000000, 2047)
  TEST_IMM_OP(addiw, 0x12345678, 0x5555555512345678, 0)     /* sext.w */
  TEST_IMM_OP(addiw, 0xffffffff87654321, 0x87654321, 0)
  TEST_IMM_ZERODEST(addiw, 1, 1)

  /* -------------------------------------------------------------- logic */
  TEST_RR_OP(and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR_OP(and, 0xf000f000f000f000, 0xf00ff00ff00ff00f, 0xf0f0f0f0f0f0f0f0)
  TEST_RR_OP(or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR_OP(or, 0xffffffffffffffff, 0xaaaaaaaaaaaaaaaa, 0x5555555555555555)
  TEST_RR_OP(xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR_OP(xor, 0, 0x123456789abcdef0, 0x123456789abcdef0)
  TEST_IMM_OP(andi, 0xffffffffff00ff00, 0xffffffffff00ff00, -0x100)  /* imm sign-extended */
  TEST_IMM_OP(andi, 0x0000000000000700, 0x12345678ff00ff00, 0x7f0)
  TEST_IMM_OP(andi, 0x00000000000000f0, 0x00ff00ff00ff00f0, 0x0f0)
  TEST_IMM_OP(andi, 0x000000000000070f, 0xffffffffffffff0f, 0x70f)
  TEST_IMM_OP(ori, 0xffffffffffffff0f, 0x000000000000000f, -0x100 + 0xf) /* imm sign-extended */
  TEST_IMM_OP(ori, 0x00ff00ff00ff07ff, 0x00ff00ff00ff00ff, 0x70f)
  TEST_IMM_OP(xori, 0xff00ff00ff00f0ff, 0x00ff00ff00ff0f00, -1 + 0x0)    /* not */
  TEST_IMM_OP(xori, 0x00ff00ff00ff08f0, 0x00ff00ff00ff0fff, 0x70f)
  TEST_RR_ZERODEST(xor, 1, 2)
  TEST_RR_ZEROSRC1(or, 0x1234, 0x1234)

  /* ------------------------------------------------------------- shifts */
  TEST_RR_OP(sll, 0x1, 1, 0)
  TEST_RR_OP(sll, 0x80, 1, 7)
  TEST_RR_OP(sll, 0x80000000, 1, 31)
  TEST_RR_OP(sll, 0x100000000, 1, 32)
  TEST_RR_OP(sll, 0x8000000000000000, 1, 63)
  TEST_RR_OP(sll, 0x2, 1, 65)                               /* only rs2[5:0] used */
  TEST_RR_OP(sll, 0x8000000000000000, 1, 0xffffffffffffffff)
  TEST_RR_OP(sll, 0x4242424242424242, 0x2121212121212121, 1)
  TEST_RR_OP(srl, 0x4000000000000000, 0x8000000000000000, 1)
  TEST_RR_OP(srl, 0x1, 0x8000000000000000, 63)
  TEST_RR_OP(srl, 0x0000000080000000, 0x8000000000000000, 32)
  TEST_RR_OP(srl, 0x4000000000000000, 0x8000000000000000, 0x41)
  TEST_RR_OP(srl, 0xffffffffffffffff, 0xffffffffffffffff, 64)   /* 64 & 63 = 0 */
  TEST_RR_OP(sra, 0xc000000000000000, 0x8000000000000000, 1)
  TEST_RR_OP(sra, 0xffffffffffffffff, 0x8000000000000000, 63)
  TEST_RR_OP(sra, 0x3fffffffffffffff, 0x7fffffffffffffff, 1)
  TEST_RR_OP(sra, 0xffffffff80000000, 0x8000000000000000, 32)
  TEST_RR_OP(sra, 0xffffffffffffffff, 0x8000000000000000, 0xffffffffffffffff)
  TEST_IMM_OP(slli, 0x8000000000000000, 1, 63)
  TEST_IMM_OP(slli, 0x0000001000000000, 1, 36)
  TEST_IMM_OP(slli, 0x42424242, 0x21212121, 1)
  TEST_IMM_OP(srli, 0x00000000ffffffff, 0xffffffffffffffff, 32)
  TEST_IMM_OP(srli, 1, 0x8000000000000000, 63)
  TEST_IMM_OP(srli, 0x7fffffffffffffff, 0xffffffffffffffff, 1)
  TEST_IMM_OP(srai, 0xffffffffffffffff, 0x8000000000000000, 63)
  TEST_IMM_OP(srai, 0xfffffffff8000000, 0x8000000000000000, 36)
  TEST_IMM_OP(srai, 0x0000000000ffffff, 0x7fffffff00000000, 39)
  TEST_IMM_OP(srai, 0x1234, 0x1234, 0)
  /* *W shifts: shift amount rs2[4:0], 32-bit result sign-extended */
  TEST_RR_OP(sllw, 0xffffffff80000000, 1, 31)
  TEST_RR_OP(sllw, 2, 1, 33)
  TEST_RR_OP(sllw, 0x1, 1, 32)
  TEST_RR_OP(sllw, 0x12345678, 0xffffffff12345678, 0)
  TEST_RR_OP(sllw, 0xffffffffc0000008, 0x18000001, 3)
  TEST_RR_OP(srlw, 0x7fffffff, 0xffffffff, 1)
  TEST_RR_OP(srlw, 0x1, 0x80000000, 31)
  TEST_RR_OP(srlw, 0xffffffff80000000, 0x80000000, 0)       /* shift 0: sign-extended */
  TEST_RR_OP(srlw, 0x40000000, 0xabcdef0080000000, 33)
  TEST_RR_OP(srlw, 0x00000000, 0x100000000, 1)
  TEST_RR_OP(sraw, 0xffffffffc0000000, 0x80000000, 1)
  TEST_RR_OP(sraw, 0xffffffffffffffff, 0x80000000, 31)
  TEST_RR_OP(sraw, 0x3fffffff, 0xffffffff7fffffff, 1)
  TEST_RR_OP(sraw, 0xffffffffe0000000, 0x80000000, 0x22)
  TEST_IMM_OP(slliw, 0xffffffff80000000, 1, 31)
  TEST_IMM_OP(slliw, 0x0000000000000000, 0x100000000, 0)
  TEST_IMM_OP(slliw, 0x24682468, 0xff12341234, 1)
  TEST_IMM_OP(srliw, 0x1, 0xffffffff80000000, 31)
  TEST_IMM_OP(srliw, 0x7fffffff, 0xffffffffffffffff, 1)
  TEST_IMM_OP(srliw, 0xffffffff80000000, 0x80000000, 0)
  TEST_IMM_OP(sraiw, 0xffffffffffffffff, 0x80000000, 31)
  TEST_IMM_OP(sraiw, 0xfffffffff8000000, 0x80000000, 4)
  TEST_IMM_OP(sraiw, 0x07ffffff, 0xf7fffffff, 4)
  TEST_IMM_OP(sraiw, 0xffffffff80000000, 0x80000000, 0)

  /* --------------------------------------------------------- comparisons */
  TEST_RR_OP(slt, 0, 0, 0)
  TEST_RR_OP(slt, 1, 0, 1)
  TEST_RR_OP(slt, 0, 1, 0)
  TEST_RR_OP(slt, 1, -1, 0)
  TEST_RR_OP(slt, 0, 0, -1)
  TEST_RR_OP(slt, 1, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_RR_OP(slt, 0, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_RR_OP(sltu, 0, 0, 0)
  TEST_RR_OP(sltu, 1, 0, 1)
  TEST_RR_OP(sltu, 0, -1, 0)
  TEST_RR_OP(sltu, 1, 0, -1)
  TEST_RR_OP(sltu, 0, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_RR_OP(sltu, 1, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_RR_ZEROSRC1(sltu, 1, 5)                               /* snez */
  TEST_RR_ZEROSRC2(slt, 1, -5)                               /* sltz */
  TEST_IMM_OP(slti, 1, -1, 0)
  TEST_IMM_OP(slti, 0, 0, -1)
  TEST_IMM_OP(slti, 1, 0x8000000000000000, -2048)
  TEST_IMM_OP(slti, 0, 0x7fffffffffffffff, 2047)
  TEST_IMM_OP(slti, 1, 2046, 2047)
  TEST_IMM_OP(sltiu, 1, 0, 1)
  TEST_IMM_OP(sltiu, 1, 0xfffffffffffffffe, -1)             /* imm sign-extended then unsigned */
  TEST_IMM_OP(sltiu, 0, 0xffffffffffffffff, -1)
  TEST_IMM_OP(sltiu, 1, 0x7fffffffffffffff, -2048)
  TEST_IMM_OP(sltiu, 0, 5, 0)
  TEST_IMM_OP(sltiu, 1, 0, -1)

  /* ---------------------------------------------------------- LUI/AUIPC */
  TEST_CASE(a0, 0x0000000000000000, lui a0, 0)
  TEST_CASE(a0, 0x0000000000001000, lui a0, 1)
  TEST_CASE(a0, 0x000000007ffff000, lui a0, 0x7ffff)
  TEST_CASE(a0, 0xffffffff80000000, lui a0, 0x80000)          /* sign-extended */
  TEST_CASE(a0, 0xfffffffffffff000, lui a0, 0xfffff)
  TEST_CASE(x0, 0, lui x0, 0x12345)
  TEST("auipc 0 == pc")
  1: auipc a0, 0
  la a1, 1b
  bne a0, a1, fail
  TEST("auipc +imm")
  1: auipc a0, 0x7ffff
  la a1, 1b
  li a2, 0x7ffff000
  add a1, a1, a2
  bne a0, a1, fail
  TEST("auipc -imm (sign-extended)")
  1: auipc a0, 0x80000
  la a1, 1b
  li a2, 0xffffffff80000000
  add a1, a1, a2
  bne a0, a1, fail
  TEST("auipc to a label via %pcrel")
  1: auipc a0, %pcrel_hi(data_dw)
  addi a0, a0, %pcrel_lo(1b)
  la a1, data_dw
  bne a0, a1, fail

  /* ------------------------------------------------------------ JAL/JALR */
  TEST("jal forward, link = pc+4")
  li a0, 0
  1: jal a1, 2f
  li a0, 1                                 /* skipped */
  2: bnez a0, fail
  la a2, 1b
  addi a2, a2, 4
  bne a1, a2, fail
  TEST("jal backward")
  li a0, 0
  j 2f
  1: addi a0, a0, 1
  j 3f
  2: jal x0, 1b
  3: CHECK_EQ(a0, 1)
  TEST("jal x0 does not write")
  jal x0, 1f
  1: bnez x0, fail
  TEST("jalr with offset, link = pc+4")
  la a0, 2f
  1: jalr a1, 8(a0)
  j fail
  2: j fail
  j fail
  la a2, 1b
  addi a2, a2, 4
  bne a1, a2, fail
  TEST("jalr negative offset")
  la a0, 2f
  jalr a1, -4(a0)
  j fail
  1: j 3f
  2: j fail
  3:
  TEST("jalr clears bit 0 of the target")
  la a0, 1f
  addi a0, a0, 1
  jalr a1, 0(a0)
  j fail
  1:
  TEST("jalr rd == rs1 uses old rs1")
  la a0, 1f
  2: jalr a0, 0(a0)
  j fail
  1: la a1, 2b
  addi a1, a1, 4
  bne a0, a1, fail
  TEST("jalr odd offset: (rs1 + imm) & ~1")
  la a0, 1f
  addi a0, a0, -2
  jalr x0, 3(a0)
  j fail
  1:
  TEST("call/ret")
  li a0, 5
  call sub_double
  CHECK_EQ(a0, 10)

  /* ------------------------------------------------------------ branches */
  TEST_BR2_TAKEN(beq, 0, 0)
  TEST_BR2_TAKEN(beq, -1, -1)
  TEST_BR2_NOTTAKEN(beq, 0, 1)
  TEST_BR2_NOTTAKEN(beq, 0x100000000, 0)
  TEST_BR2_TAKEN(bne, 0, 1)
  TEST_BR2_TAKEN(bne, 0x100000000, 0)
  TEST_BR2_NOTTAKEN(bne, 5, 5)
  TEST_BR2_TAKEN(blt, 0, 1)
  TEST_BR2_TAKEN(blt, -1, 1)
  TEST_BR2_TAKEN(blt, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_BR2_NOTTAKEN(blt, 1, 0)
  TEST_BR2_NOTTAKEN(blt, 1, -1)
  TEST_BR2_NOTTAKEN(blt, 3, 3)
  TEST_BR2_TAKEN(bge, 0, 0)
  TEST_BR2_TAKEN(bge, 1, -1)
  TEST_BR2_TAKEN(bge, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_BR2_NOTTAKEN(bge, -1, 1)
  TEST_BR2_NOTTAKEN(bge, 0x8000000000000000, 0)
  TEST_BR2_TAKEN(bltu, 0, 1)
  TEST_BR2_TAKEN(bltu, 1, -1)
  TEST_BR2_TAKEN(bltu, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_BR2_NOTTAKEN(bltu, -1, 1)
  TEST_BR2_NOTTAKEN(bltu, 2, 2)
  TEST_BR2_TAKEN(bgeu, 2, 2)
  TEST_BR2_TAKEN(bgeu, -1, 1)
  TEST_BR2_TAKEN(bgeu, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_BR2_NOTTAKEN(bgeu, 1, -1)
  TEST_BR2_NOTTAKEN(bgeu, 0, 1)
  TEST("backward branch loop")
  li a0, 10
  li a1, 0
  1: addi a1, a1, 3
  addi a0, a0, -1
  bnez a0, 1b
  CHECK_EQ(a1, 30)

  /* --------------------------------------------------------------- loads */
  TEST_LD_OP(lb, 0xffffffffffffffff, 0, data_b)
  TEST_LD_OP(lb, 0x0000000000000000, 1, data_b)
  TEST_LD_OP(lb, 0xfffffffffffffff0, 2, data_b)
  TEST_LD_OP(lb, 0x000000000000000f, 3, data_b)
  TEST_LD_OP(lb, 0x000000000000007f, 4, data_b)
  TEST_LD_OP(lb, 0xffffffffffffff80, 5, data_b)
  TEST_LD_OP(lb, 0xffffffffffffffff, -1, data_b + 1)
  TEST_LD_OP(lbu, 0x00000000000000ff, 0, data_b)
  TEST_LD_OP(lbu, 0x00000000000000f0, 2, data_b)
  TEST_LD_OP(lbu, 0x0000000000000080, 5, data_b)
  TEST_LD_OP(lh, 0x00000000000000ff, 0, data_h)
  TEST_LD_OP(lh, 0xffffffffffffff00, 2, data_h)
  TEST_LD_OP(lh, 0x0000000000000ff0, 4, data_h)
  TEST_LD_OP(lh, 0xfffffffffffff00f, 6, data_h)
  TEST_LD_OP(lh, 0xffffffffffff8000, 8, data_h)
  TEST_LD_OP(lh, 0xfffffffffffff00f, -2, data_h + 8)
  TEST_LD_OP(lhu, 0x000000000000ff00, 2, data_h)
  TEST_LD_OP(lhu, 0x000000000000f00f, 6, data_h)
  TEST_LD_OP(lhu, 0x0000000000008000, 8, data_h)
  TEST_LD_OP(lw, 0x0000000000ff00ff, 0, data_w)
  TEST_LD_OP(lw, 0xffffffffff00ff00, 4, data_w)
  TEST_LD_OP(lw, 0x000000000ff00ff0, 8, data_w)
  TEST_LD_OP(lw, 0xfffffffff00ff00f, 12, data_w)
  TEST_LD_OP(lw, 0xfffffffff00ff00f, -4, data_w + 16)
  TEST_LD_OP(lwu, 0x00000000ff00ff00, 4, data_w)
  TEST_LD_OP(lwu, 0x00000000f00ff00f, 12, data_w)
  TEST_LD_OP(lwu, 0x000000000ff00ff0, 8, data_w)
  TEST_LD_OP(ld, 0x00ff00ff00ff00ff, 0, data_d)
  TEST_LD_OP(ld, 0xff00ff00ff00ff00, 8, data_d)
  TEST_LD_OP(ld, 0x0ff00ff00ff00ff0, 16, data_d)
  TEST_LD_OP(ld, 0xf00ff00ff00ff00f, 24, data_d)
  TEST_LD_OP(ld, 0xf00ff00ff00ff00f, -8, data_d + 32)
  TEST_LD_OP(ld, 0x0807060504030201, 0, data_dw)            /* little-endian */
  TEST_LD_OP(lw, 0x0000000004030201, 0, data_dw)
  TEST_LD_OP(lh, 0x0000000000000605, 4, data_dw)
  TEST_LD_OP(lbu, 0x0000000000000008, 7, data_dw)
  TEST("load into x0 has no effect")
  la a0, data_d
  ld x0, 8(a0)
  bnez x0, fail
  TEST("load with rd == rs1")
  la a0, data_dw
  ld a0, 0(a0)
  CHECK_EQ(a0, 0x0807060504030201)

  /* -------------------------------------------------------------- stores */
  TEST_ST_OP(lb, sb, 0xffffffffffffffaa, 0, scratch)
  TEST_ST_OP(lb, sb, 0x0000000000000055, 1, scratch)
  TEST_ST_OP(lbu, sb, 0x00000000000000ef, 7, scratch)
  TEST_ST_OP(lh, sh, 0xffffffffffffaa55, 2, scratch)
  TEST_ST_OP(lhu, sh, 0x000000000000beef, 6, scratch)
  TEST_ST_OP(lw, sw, 0xffffffffaabbccdd, 8, scratch)
  TEST_ST_OP(lwu, sw, 0x00000000deadbeef, 12, scratch)
  TEST_ST_OP(ld, sd, 0x0123456789abcdef, 16, scratch)
  TEST_ST_OP(ld, sd, 0xfedcba9876543210, -8, scratch + 32)
  TEST("sb writes only one byte")
  la a0, scratch
  li a1, 0x1111111111111111
  sd a1, 0(a0)
  li a2, 0x7fa2
  sb a2, 3(a0)
  ld a3, 0(a0)
  CHECK_EQ(a3, 0x11111111a2111111)
  TEST("sh writes only two bytes")
  sh a2, 6(a0)
  ld a3, 0(a0)
  CHECK_EQ(a3, 0x7fa21111a2111111)
  TEST("sw writes only four bytes")
  li a2, 0x9999999933333333
  sw a2, 0(a0)
  ld a3, 0(a0)
  CHECK_EQ(a3, 0x7fa2111133333333)
  TEST("store of x0")
  sd x0, 0(a0)
  ld a3, 0(a0)
  bnez a3, fail
  TEST("store then load bytes back little-endian")
  li a1, 0x8877665544332211
  sd a1, 8(a0)
  lbu a2, 8(a0)
  CHECK_EQ(a2, 0x11)
  lbu a2, 15(a0)
  CHECK_EQ(a2, 0x88)
  lhu a2, 10(a0)
  CHECK_EQ(a2, 0x4433)

  /* --------------------------------------------------------------- FENCE */
  TEST("fence variants execute")
  fence
  fence rw, rw
  fence r, r
  fence w, w
  fence iorw, iorw
  fence.tso
  fence i, o
  TEST("fence.i makes modified code visible")
  la a0, smc_code
  jalr ra, 0(a0)                  /* returns 1 */
  CHECK_EQ(a0, 1)
  la a1, smc_code
  lw a2, 0(a1)                    /* addi a0, zero, 1 */
  li a3, 0x00100513
  bne a2, a3, fail
  li a3, 0x07b00513               /* addi a0, zero, 123 */
  sw a3, 0(a1)
  fence.i
  jalr ra, 0(a1)
  CHECK_EQ(a0, 123)
  li a3, 0x00100513               /* restore */
  la a1, smc_code
  sw a3, 0(a1)
  fence.i

  /* --------------------------------------------------------------- misc */
  TEST("x0 is always zero")
  addi x0, x0, 5
  bnez x0, fail
  TEST("nop")
  nop

  ld ra, 0(sp)
  addi sp, sp, 16
  ret

sub_double:
  add a0, a0, a0
  ret

  .data
  .balign 8
smc_code:
  addi a0, zero, 1
  ret
  .balign 8
data_b:  .byte 0xff, 0x00, 0xf0, 0x0f, 0x7f, 0x80, 0, 0
data_h:  .half 0x00ff, 0xff00, 0x0ff0, 0xf00f, 0x8000, 0, 0, 0
data_w:  .word 0x00ff00ff, 0xff00ff00, 0x0ff00ff0, 0xf00ff00f
data_d:  .dword 0x00ff00ff00ff00ff, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf00ff00ff00ff00f
data_dw: .byte 1, 2, 3, 4, 5, 6, 7, 8
  .balign 8
scratch: .fill 8, 8, 0
