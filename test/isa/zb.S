/* Zba and Zbb (Amber implements both; Linux uses them when advertised). */
#include "common.h"
  .option arch, +zba, +zbb

#define TEST_R_OP(inst, result, v1) TEST_CASE(a4, result, li a1, v1; inst a4, a1)

  .text
  .globl main
main:
  /* ---------------------------------------------------------------- Zba */
  TEST_RR_OP(sh1add, 0x0000000000000005, 2, 1)
  TEST_RR_OP(sh2add, 0x0000000000000009, 2, 1)
  TEST_RR_OP(sh3add, 0x0000000000000011, 2, 1)
  TEST_RR_OP(sh3add, 0x0000000000000007, 0x2000000000000001, -1)    /* wraps */
  TEST_RR_OP(add.uw, 0x0000000180000000, 0xffffffff80000000, 0x100000000)
  TEST_RR_OP(add.uw, 0x0000000000000000, 0xffffffff00000000, 0)
  TEST_RR_OP(sh1add.uw, 0x0000000100000001, 0xabcdef0180000000, 1)
  TEST_RR_OP(sh2add.uw, 0x0000000200000002, 0x1234567880000000, 2)
  TEST_RR_OP(sh3add.uw, 0x00000007fffffffb, 0xffffffffffffffff, 3)
  TEST_IMM_OP(slli.uw, 0x0000000ffffffff0, 0xffffffffffffffff, 4)
  TEST_IMM_OP(slli.uw, 0x8000000000000000, 0x80000000, 32)
  TEST_IMM_OP(slli.uw, 0x0000000080000000, 0xffffffff80000000, 0)    /* zext.w */
  TEST_RR_ZERODEST(sh2add, 1, 2)

  /* ---------------------------------------------------------------- Zbb */
  TEST_RR_OP(andn, 0x0f0f0f0f00000000, 0xffffffff00000000, 0xf0f0f0f0ffffffff)
  TEST_RR_OP(orn, 0xfffffffff0f0f0f0, 0x00000000f0f0f0f0, 0x00000000ffffffff)
  TEST_RR_OP(xnor, 0xffffffffffffffff, 0x123456789abcdef0, 0x123456789abcdef0)
  TEST_RR_OP(xnor, 0x0000000000000000, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa)
  TEST_R_OP(clz, 64, 0)
  TEST_R_OP(clz, 0, 0x8000000000000000)
  TEST_R_OP(clz, 63, 1)
  TEST_R_OP(clz, 31, 0x100000000)
  TEST_R_OP(clzw, 32, 0xffffffff00000000)                            /* upper half ignored */
  TEST_R_OP(clzw, 0, 0x80000000)
  TEST_R_OP(clzw, 31, 1)
  TEST_R_OP(ctz, 64, 0)
  TEST_R_OP(ctz, 63, 0x8000000000000000)
  TEST_R_OP(ctz, 4, 0x123456789abcdef0)
  TEST_R_OP(ctzw, 32, 0xffffffff00000000)
  TEST_R_OP(ctzw, 31, 0x80000000)
  TEST_R_OP(cpop, 0, 0)
  TEST_R_OP(cpop, 64, -1)
  TEST_R_OP(cpop, 32, 0x123456789abcdef0)
  TEST_R_OP(cpopw, 19, 0x123456789abcdef0)
  TEST_R_OP(cpopw, 32, 0xffffffff)
  TEST_RR_OP(max, 1, -1, 1)
  TEST_RR_OP(max, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_RR_OP(maxu, -1, -1, 1)
  TEST_RR_OP(maxu, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_RR_OP(min, -1, -1, 1)
  TEST_RR_OP(min, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_RR_OP(minu, 1, -1, 1)
  TEST_RR_OP(minu, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_R_OP(sext.b, 0xffffffffffffff80, 0x1234567890abcd80)
  TEST_R_OP(sext.b, 0x000000000000007f, 0xffffffffffffff7f)
  TEST_R_OP(sext.h, 0xffffffffffff8000, 0x1234567890ab8000)
  TEST_R_OP(sext.h, 0x0000000000007fff, 0xffffffffffff7fff)
  TEST_R_OP(zext.h, 0x000000000000ffff, 0xffffffffffffffff)
  TEST_RR_OP(rol, 0x23456789abcdef01, 0x123456789abcdef0, 4)
  TEST_RR_OP(rol, 0x23456789abcdef01, 0x123456789abcdef0, 68)         /* amount mod 64 */
  TEST_RR_OP(ror, 0x0123456789abcdef, 0x123456789abcdef0, 4)
  TEST_RR_OP(ror, 0x123456789abcdef0, 0x123456789abcdef0, 0)
  TEST_IMM_OP(rori, 0x0123456789abcdef, 0x123456789abcdef0, 4)
  TEST_IMM_OP(rori, 0x2468acf13579bde0, 0x123456789abcdef0, 63)
  TEST_RR_OP(rolw, 0xffffffffabcdef09, 0x123456789abcdef0, 4)
  TEST_RR_OP(rolw, 0xffffffffabcdef09, 0x9abcdef0, 36)                /* amount mod 32 */
  TEST_RR_OP(rorw, 0xffffffffcd5e6f78, 0x9abcdef1, 1)
  TEST_RR_OP(rorw, 0x000000007fffffff, 0xfffffffe, 1)
  TEST_IMM_OP(roriw, 0xffffffffcd5e6f78, 0x9abcdef1, 1)
  TEST_IMM_OP(roriw, 0x0000000012345678, 0xabcdef0012345678, 0)        /* sign-extends bit 31 */
  TEST_R_OP(rev8, 0xf0debc9a78563412, 0x123456789abcdef0)
  TEST_R_OP(orc.b, 0x00ff00ff000000ff, 0x0012003400000056)
  TEST_R_OP(orc.b, 0xffffffffffffffff, 0x0101010101010101)
  TEST_RR_ZERODEST(max, 1, 2)
  ret
