/* RV64D: double precision, single<->double conversion, NaN-boxing of singles. */
#include "common.h"

#define DQNAN  0x7ff8000000000000     /* canonical NaN */
#define DQNAN2 0x7ff8000000012345
#define DSNAN  0x7ff0000000000001
#define DSNAN2 0xfff0000000012345
#define DPINF  0x7ff0000000000000
#define DNINF  0xfff0000000000000
#define DONE   0x3ff0000000000000
#define DMONE  0xbff0000000000000
#define DTWO   0x4000000000000000
#define DTHREE 0x4008000000000000
#define DMAX   0x7fefffffffffffff
#define DMINN  0x0010000000000000
#define DMINS  0x0000000000000001
#define DNZERO 0x8000000000000000

/* NaN-boxed singles as 64-bit register images */
#define BOX(x) (0xffffffff00000000 | (x))
#define S_ONE   0x3f800000
#define S_QNAN  0x7fc00000

/* fadd.d f3, f1, f2 with rm = 5 / 6 */
#define FADD_D_RM(rm) (0x02000053 | (3 << 7) | ((rm) << 12) | (1 << 15) | (2 << 20))

  .text
  .globl main
main:
  addi sp, sp, -16
  sd ra, 0(sp)

  /* ---------------------------------------------------- fld/fsd, fmv.d */
  TEST("fld/fsd keep every bit")
  la a0, ddata
  fld f4, 0(a0)
  fsd f4, 8(a0)
  ld a1, 8(a0)
  CHECK_EQ(a1, DSNAN2)
  TEST("fmv.x.d / fmv.d.x keep every bit")
  fmv.x.d a1, f4
  CHECK_EQ(a1, DSNAN2)
  li a2, 0x123456789abcdef0
  fmv.d.x f5, a2
  fmv.x.d a3, f5
  CHECK_REG(a2, a3)
  frflags a1
  bnez a1, fail

  /* ---------------------------------------------------------- arithmetic */
  TEST_FPR_D(0, 3.5, 2.5, 1.0, 0, fadd.d f3, f0, f1)
  TEST_FPR_D(FFLAG_NX, -1234.0, -1235.1, 1.1, 0, fadd.d f3, f0, f1)
  TEST_FPR_D(0, 1.5, 2.5, 1.0, 0, fsub.d f3, f0, f1)
  TEST_FPR_DH(0, 0, DONE, DONE, 0, fsub.d f3, f0, f1)
  TEST_FPR_DH(0, DNZERO, DONE, DONE, 0, fsub.d f3, f0, f1, rdn)
  TEST_FPR_DH(FFLAG_NV, DQNAN, DPINF, DPINF, 0, fsub.d f3, f0, f1)
  TEST_FPR_DH(0, DQNAN, DQNAN2, DONE, 0, fadd.d f3, f0, f1)
  TEST_FPR_DH(FFLAG_NV, DQNAN, DONE, DSNAN, 0, fadd.d f3, f0, f1)
  TEST_FPR_DH(FFLAG_OF | FFLAG_NX, DPINF, DMAX, DMAX, 0, fadd.d f3, f0, f1)
  TEST_FPR_DH(FFLAG_OF | FFLAG_NX, DMAX, DMAX, DMAX, 0, fadd.d f3, f0, f1, rdn)
  TEST_FPR_DH(0, 2, DMINS, DMINS, 0, fadd.d f3, f0, f1)
  TEST_FPR_D(0, -7.5, 2.5, -3.0, 0, fmul.d f3, f0, f1)
  TEST_FPR_D(FFLAG_NX, 1358.61, -1235.1, -1.1, 0, fmul.d f3, f0, f1)
  TEST_FPR_DH(FFLAG_NV, DQNAN, DPINF, 0, 0, fmul.d f3, f0, f1)
  TEST_FPR_DH(FFLAG_OF | FFLAG_NX, DNINF, DMAX, 0xc000000000000000, 0, fmul.d f3, f0, f1)
  TEST_FPR_DH(FFLAG_UF | FFLAG_NX, 0, DMINN, DMINN, 0, fmul.d f3, f0, f1)
  TEST_FPR_DH(FFLAG_UF | FFLAG_NX, DNZERO | 1, DMINN, DMINN | DNZERO, 0, fmul.d f3, f0, f1, rdn)
  TEST_FPR_DH(0, 0x0008000000000000, DMINN, 0x3fe0000000000000, 0, fmul.d f3, f0, f1)  /* exact subnormal */
  TEST_FPR_DH(FFLAG_NX, DMINN, 0x3fefffffffffffff, 0x0010000000000001, 0, fmul.d f3, f0, f1) /* tiny after rounding? no */
  TEST_FPR_D(0, -0.25, 1.0, -4.0, 0, fdiv.d f3, f0, f1)
  TEST_FPR_DH(FFLAG_NX, 0x3fd5555555555555, DONE, DTHREE, 0, fdiv.d f3, f0, f1)
  TEST_FPR_DH(FFLAG_DZ, DPINF, DONE, 0, 0, fdiv.d f3, f0, f1)
  TEST_FPR_DH(FFLAG_DZ, DPINF, DMONE, DNZERO, 0, fdiv.d f3, f0, f1)
  TEST_FPR_DH(FFLAG_NV, DQNAN, 0, DNZERO, 0, fdiv.d f3, f0, f1)
  TEST_FPR_DH(0, DNZERO, DMONE, DPINF, 0, fdiv.d f3, f0, f1)
  TEST_FPR_D(0, 2.0, 4.0, 0, 0, fsqrt.d f3, f0)
  TEST_FPR_DH(FFLAG_NX, 0x3ff6a09e667f3bcd, DTWO, 0, 0, fsqrt.d f3, f0)
  TEST_FPR_DH(FFLAG_NV, DQNAN, DMONE, 0, 0, fsqrt.d f3, f0)
  TEST_FPR_DH(0, DNZERO, DNZERO, 0, 0, fsqrt.d f3, f0)
  TEST_FPR_DH(0, DPINF, DPINF, 0, 0, fsqrt.d f3, f0)
  TEST_FPR_DH(FFLAG_NV, DQNAN, DSNAN, 0, 0, fsqrt.d f3, f0)

  /* ----------------------------------------------------------------- FMA */
  TEST_FPR_D(0, 3.5, 1.5, 2.0, 0.5, fmadd.d f3, f0, f1, f2)
  TEST_FPR_D(0, 2.5, 1.5, 2.0, 0.5, fmsub.d f3, f0, f1, f2)
  TEST_FPR_D(0, -2.5, 1.5, 2.0, 0.5, fnmsub.d f3, f0, f1, f2)
  TEST_FPR_D(0, -3.5, 1.5, 2.0, 0.5, fnmadd.d f3, f0, f1, f2)
  /* (1+2^-27)^2 - 1 = 2^-26 + 2^-54 needs the single rounding */
  TEST_FPR_DH(0, 0x3e50000001000000, 0x3ff0000002000000, 0x3ff0000002000000, DMONE, fmadd.d f3, f0, f1, f2)
  TEST_FPR_DH(0, 0xbe50000001000000, 0x3ff0000002000000, 0x3ff0000002000000, DONE, fnmsub.d f3, f0, f1, f2)
  TEST_FPR_DH(FFLAG_NV, DQNAN, DPINF, 0, DQNAN2, fmadd.d f3, f0, f1, f2)
  TEST_FPR_DH(FFLAG_NV, DQNAN, DONE, DPINF, DPINF, fmsub.d f3, f0, f1, f2)
  TEST_FPR_DH(FFLAG_NV, DQNAN, DSNAN, DONE, DONE, fnmadd.d f3, f0, f1, f2)
  TEST_FPR_DH(FFLAG_NX, 0x3fd5555555555556, 0x3fd5555555555555, DONE, 0x3c70000000000000, fmadd.d f3, f0, f1, f2, rup)

  /* -------------------------------------------------- sign injection etc */
  TEST_FPR_D(0, -1.0, 1.0, -2.0, 0, fsgnj.d f3, f0, f1)
  TEST_FPR_D(0, 1.0, 1.0, -2.0, 0, fsgnjn.d f3, f0, f1)
  TEST_FPR_D(0, 1.0, -1.0, -2.0, 0, fsgnjx.d f3, f0, f1)
  TEST_FPR_D(0, -1.0, -1.0, 2.0, 0, fsgnjx.d f3, f0, f1)
  TEST_FPR_DH(0, 0xfff0000000000001, DSNAN, DMONE, 0, fsgnj.d f3, f0, f1)    /* no canonicalization */
  TEST_FPR_DH(0, 0x7ff8000000012345, DQNAN2, DMONE, 0, fsgnjn.d f3, f0, f1)
  TEST_FPR_DH(0, DONE, DMONE, 0, 0, fabs.d f3, f0)
  TEST_FPR_DH(0, 0x7ff0000000012345, DSNAN2, 0, 0, fabs.d f3, f0)
  TEST_FPR_DH(0, DNZERO, 0, DNZERO, 0, fmin.d f3, f0, f1)
  TEST_FPR_DH(0, DNZERO, DNZERO, 0, 0, fmin.d f3, f0, f1)
  TEST_FPR_DH(0, 0, DNZERO, 0, 0, fmax.d f3, f0, f1)
  TEST_FPR_DH(0, 0, 0, DNZERO, 0, fmax.d f3, f0, f1)
  TEST_FPR_DH(0, DONE, DQNAN2, DONE, 0, fmax.d f3, f0, f1)
  TEST_FPR_DH(FFLAG_NV, DONE, DONE, DSNAN, 0, fmin.d f3, f0, f1)
  TEST_FPR_DH(0, DQNAN, DQNAN2, DQNAN2, 0, fmax.d f3, f0, f1)
  TEST_FPR_DH(FFLAG_NV, DQNAN, DSNAN, DSNAN2, 0, fmin.d f3, f0, f1)
  TEST_FPR_D(0, -2.0, 1.0, -2.0, 0, fmin.d f3, f0, f1)
  TEST_FPR_D(0, 1.0, 1.0, -2.0, 0, fmax.d f3, f0, f1)

  TEST_FPI_D(0, 1, -1.36, -1.36, 0, feq.d a2, f0, f1)
  TEST_FPI_D(0, 1, -1.36, -1.36, 0, fle.d a2, f0, f1)
  TEST_FPI_D(0, 0, -1.36, -1.36, 0, flt.d a2, f0, f1)
  TEST_FPI_D(0, 1, -1.37, -1.36, 0, flt.d a2, f0, f1)
  TEST_FPI_DH(0, 1, DNZERO, 0, 0, feq.d a2, f0, f1)
  TEST_FPI_DH(0, 0, DQNAN2, 0, 0, feq.d a2, f0, f1)
  TEST_FPI_DH(FFLAG_NV, 0, DSNAN, 0, 0, feq.d a2, f0, f1)
  TEST_FPI_DH(FFLAG_NV, 0, DQNAN2, 0, 0, flt.d a2, f0, f1)
  TEST_FPI_DH(FFLAG_NV, 0, 0, DQNAN2, 0, fle.d a2, f0, f1)

  TEST_FPI_DH(0, 1 << 0, DNINF, 0, 0, fclass.d a2, f0)
  TEST_FPI_DH(0, 1 << 1, DMONE, 0, 0, fclass.d a2, f0)
  TEST_FPI_DH(0, 1 << 2, 0x800fffffffffffff, 0, 0, fclass.d a2, f0)
  TEST_FPI_DH(0, 1 << 3, DNZERO, 0, 0, fclass.d a2, f0)
  TEST_FPI_DH(0, 1 << 4, 0, 0, 0, fclass.d a2, f0)
  TEST_FPI_DH(0, 1 << 5, 0x000fffffffffffff, 0, 0, fclass.d a2, f0)
  TEST_FPI_DH(0, 1 << 6, DONE, 0, 0, fclass.d a2, f0)
  TEST_FPI_DH(0, 1 << 7, DPINF, 0, 0, fclass.d a2, f0)
  TEST_FPI_DH(0, 1 << 8, DSNAN, 0, 0, fclass.d a2, f0)
  TEST_FPI_DH(0, 1 << 9, DQNAN, 0, 0, fclass.d a2, f0)

  /* ------------------------------------------------- double <-> integer */
  TEST_FPI_D(FFLAG_NX, -1, -1.1, 0, 0, fcvt.w.d a2, f0, rtz)
  TEST_FPI_D(0, -1, -1.0, 0, 0, fcvt.w.d a2, f0, rtz)
  TEST_FPI_D(FFLAG_NX, 0, 0.9, 0, 0, fcvt.w.d a2, f0, rtz)
  TEST_FPI_D(0, 0x7fffffff, 2147483647.0, 0, 0, fcvt.w.d a2, f0, rtz)
  TEST_FPI_D(FFLAG_NX, 0x7fffffff, 2147483647.5, 0, 0, fcvt.w.d a2, f0, rtz)
  TEST_FPI_D(FFLAG_NV, 0x7fffffff, 2147483647.5, 0, 0, fcvt.w.d a2, f0, rup)  /* rounds out of range */
  TEST_FPI_D(FFLAG_NV, 0x7fffffff, 2147483648.0, 0, 0, fcvt.w.d a2, f0, rtz)
  TEST_FPI_D(FFLAG_NX, -1 << 31, -2147483648.5, 0, 0, fcvt.w.d a2, f0, rtz)
  TEST_FPI_D(FFLAG_NV, -1 << 31, -2147483649.0, 0, 0, fcvt.w.d a2, f0, rtz)
  TEST_FPI_DH(FFLAG_NV, 0x7fffffff, DQNAN, 0, 0, fcvt.w.d a2, f0)
  TEST_FPI_DH(FFLAG_NV, 0x7fffffff, DPINF, 0, 0, fcvt.w.d a2, f0)
  TEST_FPI_DH(FFLAG_NV, -1 << 31, DNINF, 0, 0, fcvt.w.d a2, f0)
  TEST_FPI_D(FFLAG_NX, 2, 2.5, 0, 0, fcvt.w.d a2, f0, rne)
  TEST_FPI_D(FFLAG_NX, 3, 2.5, 0, 0, fcvt.w.d a2, f0, rmm)
  TEST_FPI_D(FFLAG_NX, -3, -2.5, 0, 0, fcvt.w.d a2, f0, rdn)
  TEST_FPI_D(FFLAG_NX, -2, -2.5, 0, 0, fcvt.w.d a2, f0, rup)
  TEST_FPI_D(FFLAG_NX, -2, -2.5, 0, 0, fcvt.w.d a2, f0, rtz)
  TEST_FPI_D(0, 0xffffffffb2d05e00, 3e9, 0, 0, fcvt.wu.d a2, f0, rtz)
  TEST_FPI_D(0, 0xffffffffffffffff, 4294967295.0, 0, 0, fcvt.wu.d a2, f0, rtz)
  TEST_FPI_D(FFLAG_NV, 0xffffffffffffffff, 4294967296.0, 0, 0, fcvt.wu.d a2, f0, rtz)
  TEST_FPI_D(FFLAG_NV, 0, -1.0, 0, 0, fcvt.wu.d a2, f0, rtz)
  TEST_FPI_D(FFLAG_NX, 0, -0.9, 0, 0, fcvt.wu.d a2, f0, rtz)
  TEST_FPI_DH(FFLAG_NV, 0xffffffffffffffff, DQNAN, 0, 0, fcvt.wu.d a2, f0)
  TEST_FPI_DH(FFLAG_NV, 0, DNINF, 0, 0, fcvt.wu.d a2, f0)
  TEST_FPI_D(0, 0x7ffffffffffffc00, 9223372036854774784.0, 0, 0, fcvt.l.d a2, f0, rtz)
  TEST_FPI_D(FFLAG_NV, 0x7fffffffffffffff, 9223372036854775808.0, 0, 0, fcvt.l.d a2, f0, rtz)
  TEST_FPI_D(0, 0x8000000000000000, -9223372036854775808.0, 0, 0, fcvt.l.d a2, f0, rtz)
  TEST_FPI_D(FFLAG_NV, 0x8000000000000000, -1e19, 0, 0, fcvt.l.d a2, f0, rtz)
  TEST_FPI_DH(FFLAG_NV, 0x7fffffffffffffff, DQNAN, 0, 0, fcvt.l.d a2, f0)
  TEST_FPI_DH(FFLAG_NV, 0x7fffffffffffffff, DPINF, 0, 0, fcvt.l.d a2, f0)
  TEST_FPI_D(FFLAG_NX, -2, -1.5, 0, 0, fcvt.l.d a2, f0, rne)
  TEST_FPI_D(0, 0xfffffffffffff800, 18446744073709549568.0, 0, 0, fcvt.lu.d a2, f0, rtz)
  TEST_FPI_D(FFLAG_NV, 0xffffffffffffffff, 18446744073709551616.0, 0, 0, fcvt.lu.d a2, f0, rtz)
  TEST_FPI_D(FFLAG_NV, 0, -3.0, 0, 0, fcvt.lu.d a2, f0, rtz)
  TEST_FPI_D(FFLAG_NX, 0, -0.5, 0, 0, fcvt.lu.d a2, f0, rne)
  TEST_FPI_DH(FFLAG_NV, 0xffffffffffffffff, DQNAN, 0, 0, fcvt.lu.d a2, f0)
  TEST_FPI_D(FFLAG_NX, 2, 1.5, 0, 0, fcvt.lu.d a2, f0, rmm)

  TEST_IFP_D(0, -2.0, -2, fcvt.d.w f3, a0)
  TEST_IFP_D(0, 2147483647.0, 0x7fffffff, fcvt.d.w f3, a0)
  TEST_IFP_D(0, -2147483648.0, 0xffffffff80000000, fcvt.d.w f3, a0)
  TEST_IFP_D(0, 1.0, 0x5555555500000001, fcvt.d.w f3, a0)
  TEST_IFP_DH(0, 0, 0, fcvt.d.w f3, a0)
  TEST_IFP_D(0, 4294967295.0, -1, fcvt.d.wu f3, a0)
  TEST_IFP_D(0, 2147483648.0, 0x80000000, fcvt.d.wu f3, a0)
  TEST_IFP_D(0, -1.0, -1, fcvt.d.l f3, a0)
  TEST_IFP_D(0, -9223372036854775808.0, 0x8000000000000000, fcvt.d.l f3, a0)
  TEST_IFP_DH(FFLAG_NX, 0x43e0000000000000, 0x7fffffffffffffff, fcvt.d.l f3, a0)
  TEST_IFP_DH(FFLAG_NX, 0x43dfffffffffffff, 0x7fffffffffffffff, fcvt.d.l f3, a0, rtz)
  TEST_IFP_DH(FFLAG_NX, 0x4340000000000000, 9007199254740993, fcvt.d.l f3, a0, rne)    /* 2^53+1: tie */
  TEST_IFP_DH(FFLAG_NX, 0x4340000000000001, 9007199254740993, fcvt.d.l f3, a0, rmm)
  TEST_IFP_DH(FFLAG_NX, 0x43f0000000000000, -1, fcvt.d.lu f3, a0)
  TEST_IFP_DH(FFLAG_NX, 0x43efffffffffffff, -1, fcvt.d.lu f3, a0, rdn)
  TEST_IFP_D(0, 9223372036854775808.0, 0x8000000000000000, fcvt.d.lu f3, a0)

  /* --------------------------------------------------- double <-> single */
  TEST_FPR_SH(0, 0x3fc00000, 0, 0, 0, li a4, 0x3ff8000000000000; fmv.d.x f0, a4; fcvt.s.d f3, f0)  /* 1.5 */
  TEST_FPR_SH(FFLAG_NX, 0x3eaaaaab, 0, 0, 0, li a4, 0x3fd5555555555555; fmv.d.x f0, a4; fcvt.s.d f3, f0)
  TEST_FPR_SH(FFLAG_NX, 0x3eaaaaaa, 0, 0, 0, li a4, 0x3fd5555555555555; fmv.d.x f0, a4; fcvt.s.d f3, f0, rdn)
  TEST_FPR_SH(FFLAG_OF | FFLAG_NX, 0x7f800000, 0, 0, 0, li a4, 0x47f0000000000000; fmv.d.x f0, a4; fcvt.s.d f3, f0)
  TEST_FPR_SH(FFLAG_OF | FFLAG_NX, 0x7f7fffff, 0, 0, 0, li a4, 0x47f0000000000000; fmv.d.x f0, a4; fcvt.s.d f3, f0, rtz)
  TEST_FPR_SH(0, 0x7f800000, 0, 0, 0, li a4, DPINF; fmv.d.x f0, a4; fcvt.s.d f3, f0)
  TEST_FPR_SH(0, 0x7fc00000, 0, 0, 0, li a4, DQNAN2; fmv.d.x f0, a4; fcvt.s.d f3, f0)      /* NaN -> canonical */
  TEST_FPR_SH(FFLAG_NV, 0x7fc00000, 0, 0, 0, li a4, DSNAN2; fmv.d.x f0, a4; fcvt.s.d f3, f0)
  TEST_FPR_SH(FFLAG_UF | FFLAG_NX, 0x80000000, 0, 0, 0, li a4, 0x8000000000000001; fmv.d.x f0, a4; fcvt.s.d f3, f0)
  TEST_FPR_SH(0, 0x00000001, 0, 0, 0, li a4, 0x36a0000000000000; fmv.d.x f0, a4; fcvt.s.d f3, f0)  /* 2^-149 exact */
  /* (1 - 2^-25) * 2^-126 rounds to 2^-126: not tiny after rounding, so NX only */
  TEST_FPR_SH(FFLAG_NX, 0x00800000, 0, 0, 0, li a4, 0x380ffffff0000000; fmv.d.x f0, a4; fcvt.s.d f3, f0)
  TEST_FPR_SH(FFLAG_UF | FFLAG_NX, 0x007fffff, 0, 0, 0, li a4, 0x380fffffbfc00000; fmv.d.x f0, a4; fcvt.s.d f3, f0, rup)
  TEST_FPR_SH(FFLAG_UF | FFLAG_NX, 0x007ffffe, 0, 0, 0, li a4, 0x380fffffbfc00000; fmv.d.x f0, a4; fcvt.s.d f3, f0, rtz)
  TEST_FPR_DH(0, 0x3ff8000000000000, 0, 0, 0, li a4, BOX(0x3fc00000); fmv.d.x f0, a4; fcvt.d.s f3, f0)
  TEST_FPR_DH(0, 0x36a0000000000000, 0, 0, 0, li a4, BOX(0x00000001); fmv.d.x f0, a4; fcvt.d.s f3, f0) /* subnormal */
  TEST_FPR_DH(0, DNINF, 0, 0, 0, li a4, BOX(0xff800000); fmv.d.x f0, a4; fcvt.d.s f3, f0)
  TEST_FPR_DH(0, DQNAN, 0, 0, 0, li a4, BOX(0x7fc12345); fmv.d.x f0, a4; fcvt.d.s f3, f0)
  TEST_FPR_DH(FFLAG_NV, DQNAN, 0, 0, 0, li a4, BOX(0xff800001); fmv.d.x f0, a4; fcvt.d.s f3, f0)

  /* ------------------------------------------------------- NaN-boxing */
  /* a single-precision operand whose upper 32 bits are not all ones reads
     as the canonical NaN */
  TEST_FPR_SH(0, S_QNAN, 0, 0, 0, li a4, 0x000000003f800000; fmv.d.x f0, a4; fadd.s f3, f0, f0)
  TEST_FPR_SH(0, S_QNAN, 0, 0, 0, li a4, 0xfffffffe3f800000; fmv.d.x f0, a4; fmul.s f3, f0, f0)
  TEST_FPR_SH(0, S_QNAN, 0, 0, 0, li a4, 0x7fffffff3f800000; fmv.d.x f0, a4; li a5, BOX(S_ONE); fmv.d.x f1, a5; fadd.s f3, f1, f0)
  TEST_FPR_SH(0, 0x40000000, 0, 0, 0, li a4, BOX(S_ONE); fmv.d.x f0, a4; fadd.s f3, f0, f0)  /* properly boxed */
  TEST_FPR_SH(0, 0x40000000, 0, 0, 0, li a4, 0x3ff0000000000000; fmv.d.x f0, a4; li a5, BOX(0x40000000); fmv.d.x f1, a5; fmin.s f3, f0, f1)
  TEST_FPR_SH(0, 0xffc00000, 0, 0, 0, li a4, 0x3f800000; fmv.d.x f0, a4; li a5, BOX(0xbf800000); fmv.d.x f1, a5; fsgnj.s f3, f0, f1)
  TEST_FPR_SH(0, 0x3f800000, 0, 0, 0, li a4, BOX(0xbf800000); fmv.d.x f0, a4; li a5, 0x80000000; fmv.d.x f1, a5; fsgnj.s f3, f0, f1)
  TEST_FPR_SH(0, 0xbf800000, 0, 0, 0, li a4, BOX(0xbf800000); fmv.d.x f0, a4; li a5, 0x80000000; fmv.d.x f1, a5; fsgnjn.s f3, f0, f1)
  TEST_FPR_SH(0, S_QNAN, 0, 0, 0, li a4, 0x3f800000; fmv.d.x f0, a4; fsqrt.s f3, f0)
  TEST_FPR_SH(0, S_QNAN, 0, 0, 0, li a4, 0x3f800000; fmv.d.x f0, a4; li a5, BOX(S_ONE); fmv.d.x f1, a5; fmadd.s f3, f1, f1, f0)
  TEST_FPR_DH(0, DQNAN, 0, 0, 0, li a4, 0x3f800000; fmv.d.x f0, a4; fcvt.d.s f3, f0)
  TEST_FPI_DH(0, 0, 0, 0, 0, li a4, 0x3f800000; fmv.d.x f0, a4; feq.s a2, f0, f0)
  TEST_FPI_DH(FFLAG_NV, 0, 0, 0, 0, li a4, 0x3f800000; fmv.d.x f0, a4; flt.s a2, f0, f0)
  TEST_FPI_DH(0, 1 << 9, 0, 0, 0, li a4, 0x3f800000; fmv.d.x f0, a4; fclass.s a2, f0)
  TEST_FPI_DH(FFLAG_NV, 0x7fffffff, 0, 0, 0, li a4, 0x3f800000; fmv.d.x f0, a4; fcvt.w.s a2, f0)
  /* transfers do not look at the upper bits */
  TEST_FPI_DH(0, 0xffffffffbf800000, 0, 0, 0, li a4, 0x12345678bf800000; fmv.d.x f0, a4; fmv.x.w a2, f0)
  TEST("fsw of an improperly boxed value stores the low 32 bits")
  li a4, 0x123456783f800000
  fmv.d.x f0, a4
  la a0, ddata
  sd zero, 16(a0)
  fsw f0, 16(a0)
  ld a1, 16(a0)
  CHECK_EQ(a1, 0x3f800000)
  TEST("single results, flw and fmv.w.x are NaN-boxed")
  li a4, 0x3f800000
  fmv.w.x f0, a4
  fmv.x.d a1, f0
  CHECK_EQ(a1, BOX(0x3f800000))
  li a4, 0x1111111140000000
  fmv.d.x f1, a4
  la a0, ddata
  flw f1, 16(a0)
  fmv.x.d a1, f1
  CHECK_EQ(a1, BOX(0x3f800000))
  fcvt.s.w f2, zero
  fmv.x.d a1, f2
  CHECK_EQ(a1, BOX(0))
  li a4, 0x3ff0000000000000
  fmv.d.x f2, a4
  fcvt.s.d f2, f2
  fmv.x.d a1, f2
  CHECK_EQ(a1, BOX(S_ONE))

  /* ------------------------------------------------------ rounding modes */
  TEST_FPR_DH(FFLAG_NX, 0x3fd5555555555555, DONE, DTHREE, 0, fdiv.d f3, f0, f1, rne)
  TEST_FPR_DH(FFLAG_NX, 0x3fd5555555555555, DONE, DTHREE, 0, fdiv.d f3, f0, f1, rtz)
  TEST_FPR_DH(FFLAG_NX, 0x3fd5555555555555, DONE, DTHREE, 0, fdiv.d f3, f0, f1, rdn)
  TEST_FPR_DH(FFLAG_NX, 0x3fd5555555555556, DONE, DTHREE, 0, fdiv.d f3, f0, f1, rup)
  TEST_FPR_DH(FFLAG_NX, 0x3fd5555555555555, DONE, DTHREE, 0, fdiv.d f3, f0, f1, rmm)
  TEST_FPR_DH(FFLAG_NX, 0xbfd5555555555555, DMONE, DTHREE, 0, fdiv.d f3, f0, f1, rne)
  TEST_FPR_DH(FFLAG_NX, 0xbfd5555555555555, DMONE, DTHREE, 0, fdiv.d f3, f0, f1, rtz)
  TEST_FPR_DH(FFLAG_NX, 0xbfd5555555555556, DMONE, DTHREE, 0, fdiv.d f3, f0, f1, rdn)
  TEST_FPR_DH(FFLAG_NX, 0xbfd5555555555555, DMONE, DTHREE, 0, fdiv.d f3, f0, f1, rup)
  TEST_FPR_DH(FFLAG_NX, 0xbfd5555555555555, DMONE, DTHREE, 0, fdiv.d f3, f0, f1, rmm)
  /* 1 + 2^-53: a tie */
  TEST_FPR_DH(FFLAG_NX, DONE, DONE, 0x3ca0000000000000, 0, fadd.d f3, f0, f1, rne)
  TEST_FPR_DH(FFLAG_NX, 0x3ff0000000000001, DONE, 0x3ca0000000000000, 0, fadd.d f3, f0, f1, rmm)
  TEST_FPR_DH(FFLAG_NX, 0x3ff0000000000001, DONE, 0x3ca0000000000000, 0, fadd.d f3, f0, f1, rup)
  TEST_FPR_DH(FFLAG_NX, DONE, DONE, 0x3ca0000000000000, 0, fadd.d f3, f0, f1, rtz)
  TEST_FPR_DH(FFLAG_NX, 0x3ff0000000000002, 0x3ff0000000000001, 0x3ca0000000000000, 0, fadd.d f3, f0, f1, rne)
  TEST_FPR_DH(FFLAG_NX, 0xbff0000000000001, DMONE, 0xbca0000000000000, 0, fadd.d f3, f0, f1, rdn)
  TEST_FPR_DH(FFLAG_NX, 0x3fd5555555555556, DONE, DTHREE, 0, fsrmi 3; fdiv.d f3, f0, f1, dyn; fsrmi 0)
  TEST_FPR_DH(FFLAG_NX, 0xbfd5555555555556, DMONE, DTHREE, 0, fsrmi 2; fdiv.d f3, f0, f1; fsrmi 0)
  TEST_FPR_DH(FFLAG_NX, 0x3ff0000000000001, DONE, 0x3ca0000000000000, 0, fsrmi 4; fadd.d f3, f0, f1; fsrmi 0)
  TEST_TRAP_TVAL(CAUSE_ILLEGAL_INSTRUCTION, FADD_D_RM(5), .word FADD_D_RM(5))
  TEST_TRAP_TVAL(CAUSE_ILLEGAL_INSTRUCTION, FADD_D_RM(6), .word FADD_D_RM(6))
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, fsrmi 5; 9: fadd.d f3, f1, f2)
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, fsrmi 6; 9: fsqrt.d f3, f1)
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, fsrmi 7; 9: fcvt.s.d f3, f1)
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, fsrmi 7; 9: fcvt.l.d a1, f1)
  TEST_NO_TRAP(fsrmi 7; fsgnj.d f3, f1, f2; fmax.d f3, f1, f2; flt.d a1, f1, f2; fmv.x.d a1, f1; fadd.d f3, f1, f2, rtz)
  TEST_CASE(a1, 0, fsrmi 0; frrm a1)

  ld ra, 0(sp)
  addi sp, sp, 16
  ret

  .data
  .balign 8
ddata:
  .dword DSNAN2, 0, 0, 0
