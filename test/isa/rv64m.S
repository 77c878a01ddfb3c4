/* RV64M: multiply and divide, including division by zero and overflow. */
#include "common.h"

  .text
  .globl main
main:
  /* ------------------------------------------------------------------ MUL */
  TEST_RR_OP(mul, 0, 0, 0)
  TEST_RR_OP(mul, 1, 1, 1)
  TEST_RR_OP(mul, 21, 3, 7)
  TEST_RR_OP(mul, -21, -3, 7)
  TEST_RR_OP(mul, 21, -3, -7)
  TEST_RR_OP(mul, 0x0000000100000000, 0x10000, 0x10000)
  TEST_RR_OP(mul, 0xfffffffe00000001, 0xffffffff, 0xffffffff)   /* low 64 bits */
  TEST_RR_OP(mul, 0x8000000000000000, 0x8000000000000000, -1)   /* wraps */
  TEST_RR_OP(mul, 0x0000000000000001, -1, -1)
  TEST_RR_OP(mul, 0x2236d88fe5618cf0, 0x0123456789abcdef, 0xfedcba9876543210)
  TEST_RR_SRC1_EQ_DEST(mul, 143, 13, 11)
  TEST_RR_SRC12_EQ_DEST(mul, 169, 13)
  TEST_RR_ZERODEST(mul, 3, 4)
  /* MULH (signed x signed, high 64) */
  TEST_RR_OP(mulh, 0, 0, 0)
  TEST_RR_OP(mulh, 0, 1, 1)
  TEST_RR_OP(mulh, 0xffffffffffffffff, -1, 1)
  TEST_RR_OP(mulh, 0, -1, -1)
  TEST_RR_OP(mulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
  TEST_RR_OP(mulh, 0xc000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_RR_OP(mulh, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff)
  TEST_RR_OP(mulh, 1, 0x100000000, 0x100000000)
  TEST_RR_OP(mulh, 0xffffffffffffffff, 0x100000000, -0x100000000)
  /* MULHU (unsigned x unsigned) */
  TEST_RR_OP(mulhu, 0, 0, 0)
  TEST_RR_OP(mulhu, 0xfffffffffffffffe, -1, -1)
  TEST_RR_OP(mulhu, 0, -1, 1)
  TEST_RR_OP(mulhu, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
  TEST_RR_OP(mulhu, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff)
  TEST_RR_OP(mulhu, 1, 0x100000000, 0x100000000)
  /* MULHSU (signed rs1 x unsigned rs2) */
  TEST_RR_OP(mulhsu, 0, 0, 0)
  TEST_RR_OP(mulhsu, 0xffffffffffffffff, -1, 1)
  TEST_RR_OP(mulhsu, 0xffffffffffffffff, -1, -1)             /* -1 * (2^64-1) */
  TEST_RR_OP(mulhsu, 0xfffffffffffffffe, -2, -1)
  TEST_RR_OP(mulhsu, 0x7ffffffffffffffe, 0x7fffffffffffffff, -1)
  TEST_RR_OP(mulhsu, 0xc000000000000000, 0x8000000000000000, 0x8000000000000000)
  TEST_RR_OP(mulhsu, 0, 1, -1)
  /* MULW: low 32 bits of product, sign-extended; upper input bits ignored */
  TEST_RR_OP(mulw, 21, 3, 7)
  TEST_RR_OP(mulw, 0xffffffff80000000, 0x10000, 0x8000)
  TEST_RR_OP(mulw, 1, 0xffffffff, 0xffffffff)
  TEST_RR_OP(mulw, 6, 0x1234567800000002, 0x9abcdef000000003)
  TEST_RR_OP(mulw, 0, 0x10000, 0x10000)
  TEST_RR_OP(mulw, 0xffffffffffffffeb, -3, 7)

  /* ------------------------------------------------------------------ DIV */
  TEST_RR_OP(div, 3, 20, 6)
  TEST_RR_OP(div, -3, -20, 6)
  TEST_RR_OP(div, -3, 20, -6)
  TEST_RR_OP(div, 3, -20, -6)
  TEST_RR_OP(div, 0, 5, 7)
  TEST_RR_OP(div, -1, 0x8000000000000000 + 1, 0x7fffffffffffffff)
  TEST_RR_OP(div, 0x8000000000000000, 0x8000000000000000, 1)
  TEST_RR_OP(div, 0x8000000000000000, 0x8000000000000000, -1)   /* overflow */
  TEST_RR_OP(div, -1, 0x8000000000000000, 0)                    /* /0 -> -1 */
  TEST_RR_OP(div, -1, 1, 0)
  TEST_RR_OP(div, -1, 0, 0)
  TEST_RR_OP(divu, 3, 20, 6)
  TEST_RR_OP(divu, 3074457345618258599, -20, 6)
  TEST_RR_OP(divu, 0, 20, -6)
  TEST_RR_OP(divu, 0, -20, -6)
  TEST_RR_OP(divu, 1, 0x8000000000000000, 0x8000000000000000)
  TEST_RR_OP(divu, 0, 0x8000000000000000, -1)
  TEST_RR_OP(divu, 0xffffffffffffffff, 0x8000000000000000, 0)   /* /0 -> 2^64-1 */
  TEST_RR_OP(divu, 0xffffffffffffffff, 0, 0)
  TEST_RR_OP(rem, 2, 20, 6)
  TEST_RR_OP(rem, -2, -20, 6)                                  /* sign of dividend */
  TEST_RR_OP(rem, 2, 20, -6)
  TEST_RR_OP(rem, -2, -20, -6)
  TEST_RR_OP(rem, 0, 0x8000000000000000, 1)
  TEST_RR_OP(rem, 0, 0x8000000000000000, -1)                   /* overflow -> 0 */
  TEST_RR_OP(rem, 0x8000000000000000, 0x8000000000000000, 0)   /* /0 -> dividend */
  TEST_RR_OP(rem, 1, 1, 0)
  TEST_RR_OP(rem, -7, -7, 0)
  TEST_RR_OP(remu, 2, 20, 6)
  TEST_RR_OP(remu, 2, -20, 6)
  TEST_RR_OP(remu, 20, 20, -6)
  TEST_RR_OP(remu, -20, -20, -6)
  TEST_RR_OP(remu, 0, 0x8000000000000000, 1)
  TEST_RR_OP(remu, 0x8000000000000000, 0x8000000000000000, -1)
  TEST_RR_OP(remu, 0x8000000000000000, 0x8000000000000000, 0)
  TEST_RR_OP(remu, -7, -7, 0)
  TEST_RR_ZERODEST(div, 10, 2)
  TEST_RR_SRC2_EQ_DEST(rem, 1, 7, 3)

  /* ----------------------------------------------------------- *W forms */
  TEST_RR_OP(divw, 3, 20, 6)
  TEST_RR_OP(divw, -3, -20, 6)
  TEST_RR_OP(divw, -3, 20, -6)
  TEST_RR_OP(divw, 3, -20, -6)
  TEST_RR_OP(divw, 0xffffffff80000000, 0x80000000, 1)
  TEST_RR_OP(divw, 0xffffffff80000000, 0x80000000, -1)          /* overflow */
  TEST_RR_OP(divw, 0xffffffff80000000, 0x80000000, 0xffffffff)  /* rs2 = -1 in low 32 */
  TEST_RR_OP(divw, -1, 0x80000000, 0)                           /* /0 -> -1 */
  TEST_RR_OP(divw, -1, 5, 0x100000000)                          /* low 32 bits of rs2 are 0 */
  TEST_RR_OP(divw, 2, 0xffffffff00000008, 0x0000000100000004)   /* upper bits ignored */
  TEST_RR_OP(divuw, 3, 20, 6)
  TEST_RR_OP(divuw, 715827879, -20, 6)                          /* (2^32-20)/6 */
  TEST_RR_OP(divuw, 0, 20, -6)
  TEST_RR_OP(divuw, 1, -20, -20)
  TEST_RR_OP(divuw, 0xffffffff80000000, 0x80000000, 1)          /* result sign-extended */
  TEST_RR_OP(divuw, 0, 0x80000000, -1)
  TEST_RR_OP(divuw, -1, 0x80000000, 0)                          /* /0 -> 2^32-1, sign-extended */
  TEST_RR_OP(divuw, -1, 0, 0)
  TEST_RR_OP(remw, 2, 20, 6)
  TEST_RR_OP(remw, -2, -20, 6)
  TEST_RR_OP(remw, 2, 20, -6)
  TEST_RR_OP(remw, -2, -20, -6)
  TEST_RR_OP(remw, 0, 0x80000000, 1)
  TEST_RR_OP(remw, 0, 0x80000000, -1)                           /* overflow -> 0 */
  TEST_RR_OP(remw, 0xffffffff80000000, 0x80000000, 0)           /* /0 -> sext(dividend) */
  TEST_RR_OP(remw, 0x12345678, 0xabcdef0012345678, 0)
  TEST_RR_OP(remw, 1, 0xffffffff00000007, 3)
  TEST_RR_OP(remuw, 2, 20, 6)
  TEST_RR_OP(remuw, 2, -20, 6)
  TEST_RR_OP(remuw, 20, 20, -6)
  TEST_RR_OP(remuw, -20, -20, -6)
  TEST_RR_OP(remuw, 0, 0x80000000, 1)
  TEST_RR_OP(remuw, 0xffffffff80000000, 0x80000000, -1)          /* sign-extended result */
  TEST_RR_OP(remuw, 0xffffffff80000000, 0x80000000, 0)           /* /0 -> sext(dividend) */
  TEST_RR_OP(remuw, 0xfffffffff0000000, 0x12345678f0000000, 0)
  TEST_RR_ZERODEST(divuw, 10, 2)
  ret
