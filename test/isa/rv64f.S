/* RV64F: single-precision floating point, fflags, rounding modes, fcsr, FS. */
#include "common.h"

#define QNAN  0x7fc00000      /* canonical NaN */
#define QNAN2 0x7fc12345      /* quiet NaN with payload */
#define SNAN  0x7f800001
#define SNAN2 0xff812345
#define PINF  0x7f800000
#define NINF  0xff800000
#define ONE   0x3f800000
#define TWO   0x40000000
#define MAXF  0x7f7fffff
#define MINN  0x00800000      /* smallest normal 2^-126 */
#define MINS  0x00000001      /* smallest subnormal 2^-149 */

/* insn words with a reserved rounding mode: fadd.s f3, f1, f2, rm=5/6/7 */
#define FADD_S_RM(rm) (0x00000053 | (3 << 7) | ((rm) << 12) | (1 << 15) | (2 << 20))

  .text
  .globl main
main:
  addi sp, sp, -16
  sd ra, 0(sp)

  /* ------------------------------------------------------- flw/fsw, fmv */
  TEST("flw/fsw keep every bit (sNaN payload, -0)")
  la a0, fdata
  flw f4, 0(a0)
  flw f5, 4(a0)
  fsw f4, 8(a0)
  fsw f5, 12(a0)
  lw a1, 8(a0)
  CHECK_EQ(a1, SNAN2 | 0xffffffff00000000)
  lwu a1, 12(a0)
  CHECK_EQ(a1, 0x80000000)
  TEST("flw NaN-boxes the value in the 64-bit register")
  fmv.x.d a1, f4
  CHECK_EQ(a1, 0xffffffff00000000 | SNAN2)
  TEST("fmv.x.w sign-extends")
  fmv.x.w a1, f5
  CHECK_EQ(a1, 0xffffffff80000000)
  li a2, 0x7fffffff
  fmv.w.x f6, a2
  fmv.x.w a1, f6
  CHECK_EQ(a1, 0x7fffffff)
  TEST("fmv.w.x uses the low 32 bits and NaN-boxes, payload kept")
  li a2, 0x12345678ff800001
  fmv.w.x f6, a2
  fmv.x.d a1, f6
  CHECK_EQ(a1, 0xffffffffff800001)
  fmv.x.w a1, f6
  CHECK_EQ(a1, 0xffffffffff800001)
  TEST("fmv does not set flags")
  frflags a1
  bnez a1, fail

  /* ------------------------------------------------------------- FADD/FSUB */
  TEST_FPR_S(0, 3.5, 2.5, 1.0, 0, fadd.s f3, f0, f1)
  TEST_FPR_S(FFLAG_NX, -1234.0, -1235.1, 1.1, 0, fadd.s f3, f0, f1)
  TEST_FPR_S(FFLAG_NX, 3.14159274101257324, 3.14159265, 0.00000001, 0, fadd.s f3, f0, f1)
  TEST_FPR_S(0, 1.5, 2.5, 1.0, 0, fsub.s f3, f0, f1)
  TEST_FPR_S(FFLAG_NX, -1234.0, -1235.1, -1.1, 0, fsub.s f3, f0, f1)
  TEST_FPR_SH(0, 0x00000000, 0x00000000, 0x80000000, 0, fadd.s f3, f0, f1)   /* +0 + -0 = +0 */
  TEST_FPR_SH(0, 0x80000000, 0x80000000, 0x80000000, 0, fadd.s f3, f0, f1)   /* -0 + -0 = -0 */
  TEST_FPR_SH(0, 0x00000000, ONE, ONE, 0, fsub.s f3, f0, f1)                 /* x - x = +0 */
  TEST_FPR_SH(0, 0x80000000, ONE, ONE, 0, fsub.s f3, f0, f1, rdn)            /* ... -0 in RDN */
  TEST_FPR_SH(FFLAG_NV, QNAN, PINF, NINF, 0, fadd.s f3, f0, f1)              /* inf - inf */
  TEST_FPR_SH(FFLAG_NV, QNAN, PINF, PINF, 0, fsub.s f3, f0, f1)
  TEST_FPR_SH(0, PINF, PINF, ONE, 0, fadd.s f3, f0, f1)
  TEST_FPR_SH(0, QNAN, QNAN2, ONE, 0, fadd.s f3, f0, f1)                     /* qNaN in: canonical out, no flag */
  TEST_FPR_SH(FFLAG_NV, QNAN, SNAN, ONE, 0, fadd.s f3, f0, f1)               /* sNaN in: NV */
  TEST_FPR_SH(FFLAG_NV, QNAN, ONE, SNAN2, 0, fsub.s f3, f0, f1)
  TEST_FPR_SH(FFLAG_OF | FFLAG_NX, PINF, MAXF, MAXF, 0, fadd.s f3, f0, f1)
  TEST_FPR_SH(FFLAG_OF | FFLAG_NX, MAXF, MAXF, MAXF, 0, fadd.s f3, f0, f1, rtz) /* RTZ overflow -> max */
  TEST_FPR_SH(0, 0x00000002, MINS, MINS, 0, fadd.s f3, f0, f1)               /* subnormal, exact */
  TEST_FPR_SH(0, 0x00000000, MINN, MINN | 0x80000000, 0, fadd.s f3, f0, f1)

  /* ------------------------------------------------------------- FMUL */
  TEST_FPR_S(0, -7.5, 2.5, -3.0, 0, fmul.s f3, f0, f1)
  TEST_FPR_S(FFLAG_NX, 1358.61, -1235.1, -1.1, 0, fmul.s f3, f0, f1)
  TEST_FPR_SH(0, 0x80000000, 0x80000000, ONE, 0, fmul.s f3, f0, f1)
  TEST_FPR_SH(FFLAG_NV, QNAN, PINF, 0, 0, fmul.s f3, f0, f1)                 /* inf * 0 */
  TEST_FPR_SH(FFLAG_OF | FFLAG_NX, PINF, MAXF, TWO, 0, fmul.s f3, f0, f1)
  TEST_FPR_SH(FFLAG_OF | FFLAG_NX, NINF, MAXF, 0xc0000000, 0, fmul.s f3, f0, f1)
  TEST_FPR_SH(FFLAG_OF | FFLAG_NX, 0xff7fffff, MAXF, 0xc0000000, 0, fmul.s f3, f0, f1, rup)
  TEST_FPR_SH(FFLAG_UF | FFLAG_NX, 0, MINN, MINN, 0, fmul.s f3, f0, f1)      /* underflow to 0 */
  TEST_FPR_SH(FFLAG_UF | FFLAG_NX, MINS, MINN, MINN, 0, fmul.s f3, f0, f1, rup)
  TEST_FPR_SH(0, 0x00400000, MINN, 0x3f000000, 0, fmul.s f3, f0, f1)         /* exact subnormal: no UF */
  TEST_FPR_SH(FFLAG_UF | FFLAG_NX, 0x00400000, 0x00800001, 0x3f000000, 0, fmul.s f3, f0, f1) /* tiny, inexact */
  /* tininess is detected after rounding: (1-2^-24) * 2^-126*(1+2^-23) rounds to 2^-126 */
  TEST_FPR_SH(FFLAG_NX, MINN, 0x3f7fffff, 0x00800001, 0, fmul.s f3, f0, f1)

  /* ------------------------------------------------------------- FDIV/FSQRT */
  TEST_FPR_S(FFLAG_NX, 1.1557273520668288, 3.14159265, 2.71828182, 0, fdiv.s f3, f0, f1)
  TEST_FPR_S(0, -0.25, 1.0, -4.0, 0, fdiv.s f3, f0, f1)
  TEST_FPR_SH(FFLAG_DZ, PINF, ONE, 0, 0, fdiv.s f3, f0, f1)
  TEST_FPR_SH(FFLAG_DZ, NINF, ONE, 0x80000000, 0, fdiv.s f3, f0, f1)
  TEST_FPR_SH(FFLAG_NV, QNAN, 0, 0, 0, fdiv.s f3, f0, f1)
  TEST_FPR_SH(FFLAG_NV, QNAN, PINF, NINF, 0, fdiv.s f3, f0, f1)
  TEST_FPR_SH(0, 0, ONE, PINF, 0, fdiv.s f3, f0, f1)
  TEST_FPR_SH(0, PINF, PINF, 0, 0, fdiv.s f3, f0, f1)                        /* inf/0: no DZ */
  TEST_FPR_S(0, 2.0, 4.0, 0, 0, fsqrt.s f3, f0)
  TEST_FPR_S(FFLAG_NX, 1.7724538498928541, 3.14159265, 0, 0, fsqrt.s f3, f0)
  TEST_FPR_SH(FFLAG_NX, 0x3fb504f3, TWO, 0, 0, fsqrt.s f3, f0)
  TEST_FPR_SH(FFLAG_NV, QNAN, 0xbf800000, 0, 0, fsqrt.s f3, f0)
  TEST_FPR_SH(0, 0x80000000, 0x80000000, 0, 0, fsqrt.s f3, f0)               /* sqrt(-0) = -0 */
  TEST_FPR_SH(0, PINF, PINF, 0, 0, fsqrt.s f3, f0)
  TEST_FPR_SH(FFLAG_NV, QNAN, NINF, 0, 0, fsqrt.s f3, f0)
  TEST_FPR_SH(0, QNAN, QNAN2, 0, 0, fsqrt.s f3, f0)
  TEST_FPR_SH(FFLAG_NV, QNAN, SNAN, 0, 0, fsqrt.s f3, f0)
  TEST_FPR_SH(0, 0x20000000, 0x00800000, 0, 0, fsqrt.s f3, f0)               /* sqrt(2^-126) = 2^-63 */

  /* ------------------------------------------------------------- FMA */
  TEST_FPR_S(0, 3.5, 1.5, 2.0, 0.5, fmadd.s f3, f0, f1, f2)
  TEST_FPR_S(0, 2.5, 1.5, 2.0, 0.5, fmsub.s f3, f0, f1, f2)
  TEST_FPR_S(0, -2.5, 1.5, 2.0, 0.5, fnmsub.s f3, f0, f1, f2)
  TEST_FPR_S(0, -3.5, 1.5, 2.0, 0.5, fnmadd.s f3, f0, f1, f2)
  TEST_FPR_SH(0, 0x449a8666, ONE, 0x40200000, 0x449a3666, fmadd.s f3, f0, f1, f2)
  TEST_FPR_SH(0, 0xc49a8666, ONE, 0x40200000, 0x449a3666, fnmadd.s f3, f0, f1, f2)
  TEST_FPR_SH(0, 0xc499e666, ONE, 0x40200000, 0x449a3666, fmsub.s f3, f0, f1, f2)
  TEST_FPR_SH(0, 0x4499e666, ONE, 0x40200000, 0x449a3666, fnmsub.s f3, f0, f1, f2)
  TEST_FPR_SH(0, 0x33000000, 0x3eaaaaab, 0x40400000, 0xbf800000, fmadd.s f3, f0, f1, f2) /* fl(1/3)*3-1 exact */
  /* a single rounding: (1+2^-12)^2 - 1 = 2^-11 + 2^-24 exactly */
  TEST_FPR_SH(0, 0x3a000400, 0x3f800800, 0x3f800800, 0xbf800000, fmadd.s f3, f0, f1, f2)
  TEST_FPR_SH(0, 0xba000400, 0x3f800800, 0x3f800800, 0xbf800000, fnmadd.s f3, f0, f1, f2)
  TEST_FPR_SH(FFLAG_NV, QNAN, PINF, 0, ONE, fmadd.s f3, f0, f1, f2)          /* inf*0 + x */
  TEST_FPR_SH(FFLAG_NV, QNAN, PINF, ONE, PINF, fmsub.s f3, f0, f1, f2)       /* inf - inf */
  TEST_FPR_SH(FFLAG_NV, QNAN, 0, PINF, QNAN2, fmadd.s f3, f0, f1, f2)        /* 0*inf + qNaN: NV (RISC-V) */
  TEST_FPR_SH(0, QNAN, ONE, ONE, QNAN2, fmadd.s f3, f0, f1, f2)
  TEST_FPR_SH(FFLAG_NV, QNAN, ONE, SNAN, ONE, fnmsub.s f3, f0, f1, f2)
  TEST_FPR_SH(0, 0x80000000, 0x80000000, ONE, 0x80000000, fmadd.s f3, f0, f1, f2)   /* -0 + -0 */
  TEST_FPR_SH(0, 0x00000000, ONE, ONE, 0xbf800000, fmadd.s f3, f0, f1, f2)
  TEST_FPR_SH(0, 0x80000000, ONE, ONE, 0xbf800000, fmadd.s f3, f0, f1, f2, rdn)
  TEST_FPR_SH(0, 0x00000000, ONE, ONE, 0xbf800000, fnmadd.s f3, f0, f1, f2)         /* -(1*1) - (-1) = +0 */
  TEST_FPR_SH(0, 0x00000000, ONE, 0x80000000, 0x80000000, fnmsub.s f3, f0, f1, f2)   /* -(1*-0) + -0 = +0 */
  TEST_FPR_SH(0, 0x80000000, ONE, 0x00000000, 0x80000000, fnmsub.s f3, f0, f1, f2)   /* -(1*+0) + -0 = -0 */

  /* ------------------------------------------------------ sign injection */
  TEST_FPR_S(0, -1.0, 1.0, -2.0, 0, fsgnj.s f3, f0, f1)
  TEST_FPR_S(0, 1.0, -1.0, 2.0, 0, fsgnj.s f3, f0, f1)
  TEST_FPR_S(0, 1.0, 1.0, -2.0, 0, fsgnjn.s f3, f0, f1)
  TEST_FPR_S(0, -1.0, 1.0, 2.0, 0, fsgnjn.s f3, f0, f1)
  TEST_FPR_S(0, 1.0, -1.0, -2.0, 0, fsgnjx.s f3, f0, f1)
  TEST_FPR_S(0, -1.0, 1.0, -2.0, 0, fsgnjx.s f3, f0, f1)
  TEST_FPR_S(0, -1.0, -1.0, 2.0, 0, fsgnjx.s f3, f0, f1)
  TEST_FPR_SH(0, 0xff800001, SNAN, 0x80000000, 0, fsgnj.s f3, f0, f1)        /* no canonicalization, no NV */
  TEST_FPR_SH(0, 0x7fc12345, QNAN2, 0, 0, fsgnjn.s f3, f0, f1; fsgnjn.s f3, f3, f3)
  TEST_FPR_SH(0, 0xff812345, SNAN2, 0, 0, fsgnjx.s f3, f0, f1)
  TEST_FPR_SH(0, 0x3f800000, 0xbf800000, 0, 0, fabs.s f3, f0)
  TEST_FPR_SH(0, 0xbf800000, 0x3f800000, 0, 0, fneg.s f3, f0)

  /* ----------------------------------------------------------- min/max */
  TEST_FPR_S(0, 1.0, 1.0, 2.0, 0, fmin.s f3, f0, f1)
  TEST_FPR_S(0, -2.0, 1.0, -2.0, 0, fmin.s f3, f0, f1)
  TEST_FPR_S(0, 2.0, 1.0, 2.0, 0, fmax.s f3, f0, f1)
  TEST_FPR_S(0, 1.0, 1.0, -2.0, 0, fmax.s f3, f0, f1)
  TEST_FPR_SH(0, 0x80000000, 0x00000000, 0x80000000, 0, fmin.s f3, f0, f1)   /* -0 < +0 */
  TEST_FPR_SH(0, 0x80000000, 0x80000000, 0x00000000, 0, fmin.s f3, f0, f1)
  TEST_FPR_SH(0, 0x00000000, 0x00000000, 0x80000000, 0, fmax.s f3, f0, f1)
  TEST_FPR_SH(0, 0x00000000, 0x80000000, 0x00000000, 0, fmax.s f3, f0, f1)
  TEST_FPR_SH(0, ONE, QNAN2, ONE, 0, fmin.s f3, f0, f1)                      /* one NaN: the other */
  TEST_FPR_SH(0, ONE, ONE, QNAN2, 0, fmax.s f3, f0, f1)
  TEST_FPR_SH(FFLAG_NV, ONE, SNAN, ONE, 0, fmin.s f3, f0, f1)                /* sNaN: NV, other */
  TEST_FPR_SH(FFLAG_NV, ONE, ONE, SNAN2, 0, fmax.s f3, f0, f1)
  TEST_FPR_SH(0, QNAN, QNAN2, QNAN2, 0, fmin.s f3, f0, f1)                   /* both NaN: canonical */
  TEST_FPR_SH(FFLAG_NV, QNAN, SNAN, QNAN2, 0, fmax.s f3, f0, f1)
  TEST_FPR_SH(0, NINF, NINF, PINF, 0, fmin.s f3, f0, f1)

  /* ------------------------------------------------------------ compares */
  TEST_FPI_S(0, 1, -1.36, -1.36, 0, feq.s a2, f0, f1)
  TEST_FPI_S(0, 1, -1.36, -1.36, 0, fle.s a2, f0, f1)
  TEST_FPI_S(0, 0, -1.36, -1.36, 0, flt.s a2, f0, f1)
  TEST_FPI_S(0, 0, -1.37, -1.36, 0, feq.s a2, f0, f1)
  TEST_FPI_S(0, 1, -1.37, -1.36, 0, fle.s a2, f0, f1)
  TEST_FPI_S(0, 1, -1.37, -1.36, 0, flt.s a2, f0, f1)
  TEST_FPI_S(0, 0, 1.0, -1.0, 0, flt.s a2, f0, f1)
  TEST_FPI_SH(0, 1, 0x80000000, 0x00000000, 0, feq.s a2, f0, f1)            /* -0 == +0 */
  TEST_FPI_SH(0, 0, 0x80000000, 0x00000000, 0, flt.s a2, f0, f1)
  TEST_FPI_SH(0, 1, 0x80000000, 0x00000000, 0, fle.s a2, f0, f1)
  TEST_FPI_SH(0, 0, QNAN2, 0, 0, feq.s a2, f0, f1)                          /* feq: quiet */
  TEST_FPI_SH(0, 0, QNAN2, QNAN2, 0, feq.s a2, f0, f1)
  TEST_FPI_SH(FFLAG_NV, 0, SNAN, 0, 0, feq.s a2, f0, f1)
  TEST_FPI_SH(FFLAG_NV, 0, QNAN2, 0, 0, flt.s a2, f0, f1)                   /* flt/fle: signaling */
  TEST_FPI_SH(FFLAG_NV, 0, ONE, QNAN2, 0, fle.s a2, f0, f1)
  TEST_FPI_SH(FFLAG_NV, 0, SNAN, ONE, 0, fle.s a2, f0, f1)
  TEST_FPI_SH(0, 1, NINF, PINF, 0, flt.s a2, f0, f1)

  /* -------------------------------------------------------------- fclass */
  TEST_FPI_SH(0, 1 << 0, NINF, 0, 0, fclass.s a2, f0)
  TEST_FPI_SH(0, 1 << 1, 0xbf800000, 0, 0, fclass.s a2, f0)
  TEST_FPI_SH(0, 1 << 2, 0x807fffff, 0, 0, fclass.s a2, f0)
  TEST_FPI_SH(0, 1 << 3, 0x80000000, 0, 0, fclass.s a2, f0)
  TEST_FPI_SH(0, 1 << 4, 0x00000000, 0, 0, fclass.s a2, f0)
  TEST_FPI_SH(0, 1 << 5, 0x007fffff, 0, 0, fclass.s a2, f0)
  TEST_FPI_SH(0, 1 << 6, 0x3f800000, 0, 0, fclass.s a2, f0)
  TEST_FPI_SH(0, 1 << 7, PINF, 0, 0, fclass.s a2, f0)
  TEST_FPI_SH(0, 1 << 8, SNAN, 0, 0, fclass.s a2, f0)
  TEST_FPI_SH(0, 1 << 8, SNAN2, 0, 0, fclass.s a2, f0)
  TEST_FPI_SH(0, 1 << 9, QNAN, 0, 0, fclass.s a2, f0)
  TEST_FPI_SH(0, 1 << 9, 0xffffffff, 0, 0, fclass.s a2, f0)

  /* --------------------------------------------------- float -> integer */
  TEST_FPI_S(0, 0, 0.0, 0, 0, fcvt.w.s a2, f0, rtz)
  TEST_FPI_S(0, 0, -0.0, 0, 0, fcvt.w.s a2, f0, rtz)
  TEST_FPI_S(FFLAG_NX, -1, -1.1, 0, 0, fcvt.w.s a2, f0, rtz)
  TEST_FPI_S(0, -1, -1.0, 0, 0, fcvt.w.s a2, f0, rtz)
  TEST_FPI_S(FFLAG_NX, 0, -0.9, 0, 0, fcvt.w.s a2, f0, rtz)
  TEST_FPI_S(FFLAG_NX, 0, 0.9, 0, 0, fcvt.w.s a2, f0, rtz)
  TEST_FPI_S(FFLAG_NX, 1, 1.1, 0, 0, fcvt.w.s a2, f0, rtz)
  TEST_FPI_S(FFLAG_NV, -1 << 31, -3e9, 0, 0, fcvt.w.s a2, f0, rtz)
  TEST_FPI_S(FFLAG_NV, (1 << 31) - 1, 3e9, 0, 0, fcvt.w.s a2, f0, rtz)
  TEST_FPI_S(0, -1 << 31, -2147483648.0, 0, 0, fcvt.w.s a2, f0, rtz)        /* exactly -2^31: ok */
  TEST_FPI_S(FFLAG_NV, (1 << 31) - 1, 2147483648.0, 0, 0, fcvt.w.s a2, f0, rtz)
  TEST_FPI_SH(FFLAG_NV, (1 << 31) - 1, QNAN, 0, 0, fcvt.w.s a2, f0, rtz)    /* NaN -> max */
  TEST_FPI_SH(FFLAG_NV, (1 << 31) - 1, 0xffc00000, 0, 0, fcvt.w.s a2, f0)   /* -NaN -> max too */
  TEST_FPI_SH(FFLAG_NV, (1 << 31) - 1, PINF, 0, 0, fcvt.w.s a2, f0)
  TEST_FPI_SH(FFLAG_NV, -1 << 31, NINF, 0, 0, fcvt.w.s a2, f0)
  /* every rounding mode (fcvt.w.s of +-1.5, +-2.5) */
  TEST_FPI_S(FFLAG_NX, 2, 2.5, 0, 0, fcvt.w.s a2, f0, rne)
  TEST_FPI_S(FFLAG_NX, 2, 1.5, 0, 0, fcvt.w.s a2, f0, rne)
  TEST_FPI_S(FFLAG_NX, -2, -2.5, 0, 0, fcvt.w.s a2, f0, rne)
  TEST_FPI_S(FFLAG_NX, 2, 2.5, 0, 0, fcvt.w.s a2, f0, rtz)
  TEST_FPI_S(FFLAG_NX, -2, -2.5, 0, 0, fcvt.w.s a2, f0, rtz)
  TEST_FPI_S(FFLAG_NX, 2, 2.5, 0, 0, fcvt.w.s a2, f0, rdn)
  TEST_FPI_S(FFLAG_NX, -3, -2.5, 0, 0, fcvt.w.s a2, f0, rdn)
  TEST_FPI_S(FFLAG_NX, 3, 2.5, 0, 0, fcvt.w.s a2, f0, rup)
  TEST_FPI_S(FFLAG_NX, -2, -2.5, 0, 0, fcvt.w.s a2, f0, rup)
  TEST_FPI_S(FFLAG_NX, 3, 2.5, 0, 0, fcvt.w.s a2, f0, rmm)
  TEST_FPI_S(FFLAG_NX, -3, -2.5, 0, 0, fcvt.w.s a2, f0, rmm)
  TEST_FPI_S(FFLAG_NX, 2, 1.5, 0, 0, fcvt.w.s a2, f0, rmm)
  /* unsigned: result is the 32-bit value sign-extended */
  TEST_FPI_S(0, 0, 0.0, 0, 0, fcvt.wu.s a2, f0, rtz)
  TEST_FPI_S(FFLAG_NX, 0, -0.9, 0, 0, fcvt.wu.s a2, f0, rtz)                /* rounds to 0: no NV */
  TEST_FPI_S(FFLAG_NV, 0, -1.0, 0, 0, fcvt.wu.s a2, f0, rtz)
  TEST_FPI_S(FFLAG_NV, 0, -1.1, 0, 0, fcvt.wu.s a2, f0, rtz)
  TEST_FPI_S(FFLAG_NX, 1, 1.1, 0, 0, fcvt.wu.s a2, f0, rtz)
  TEST_FPI_S(0, 0xffffffffb2d05e00, 3e9, 0, 0, fcvt.wu.s a2, f0, rtz)       /* 3000000000 */
  TEST_FPI_S(FFLAG_NV, 0xffffffffffffffff, 5e9, 0, 0, fcvt.wu.s a2, f0, rtz)
  TEST_FPI_SH(FFLAG_NV, 0xffffffffffffffff, QNAN, 0, 0, fcvt.wu.s a2, f0, rtz)
  TEST_FPI_SH(FFLAG_NV, 0xffffffffffffffff, PINF, 0, 0, fcvt.wu.s a2, f0)
  TEST_FPI_SH(FFLAG_NV, 0, NINF, 0, 0, fcvt.wu.s a2, f0)
  TEST_FPI_S(FFLAG_NX, 1, 0.5, 0, 0, fcvt.wu.s a2, f0, rup)
  /* 64-bit */
  TEST_FPI_S(FFLAG_NX, -1, -1.1, 0, 0, fcvt.l.s a2, f0, rtz)
  TEST_FPI_S(0, 0x4000000000000000, 4.611686018427387904e18, 0, 0, fcvt.l.s a2, f0, rtz)
  TEST_FPI_S(0, 0xffffffff4d2fa200, -3e9, 0, 0, fcvt.l.s a2, f0, rtz)
  TEST_FPI_S(FFLAG_NV, 0x7fffffffffffffff, 1e19, 0, 0, fcvt.l.s a2, f0, rtz)
  TEST_FPI_S(FFLAG_NV, 0x8000000000000000, -1e19, 0, 0, fcvt.l.s a2, f0, rtz)
  TEST_FPI_S(0, 0x8000000000000000, -9.223372036854775808e18, 0, 0, fcvt.l.s a2, f0, rtz)
  TEST_FPI_SH(FFLAG_NV, 0x7fffffffffffffff, QNAN, 0, 0, fcvt.l.s a2, f0)
  TEST_FPI_SH(FFLAG_NV, 0x8000000000000000, NINF, 0, 0, fcvt.l.s a2, f0)
  TEST_FPI_S(FFLAG_NX, -3, -2.5, 0, 0, fcvt.l.s a2, f0, rdn)
  TEST_FPI_S(0, 9999999980506447872, 1e19, 0, 0, fcvt.lu.s a2, f0, rtz)
  TEST_FPI_S(FFLAG_NV, 0xffffffffffffffff, 2e19, 0, 0, fcvt.lu.s a2, f0, rtz)
  TEST_FPI_S(FFLAG_NV, 0, -1.0, 0, 0, fcvt.lu.s a2, f0, rtz)
  TEST_FPI_S(FFLAG_NX, 0, -0.5, 0, 0, fcvt.lu.s a2, f0, rtz)
  TEST_FPI_SH(FFLAG_NV, 0xffffffffffffffff, QNAN, 0, 0, fcvt.lu.s a2, f0)
  TEST_FPI_SH(FFLAG_NV, 0xffffffffffffffff, PINF, 0, 0, fcvt.lu.s a2, f0)
  TEST_FPI_SH(FFLAG_NV, 0, NINF, 0, 0, fcvt.lu.s a2, f0)
  TEST_FPI_S(FFLAG_NX, 3, 2.5, 0, 0, fcvt.lu.s a2, f0, rmm)

  /* --------------------------------------------------- integer -> float */
  TEST_IFP_S(0, 2.0, 2, fcvt.s.w f3, a0)
  TEST_IFP_S(0, -2.0, -2, fcvt.s.w f3, a0)
  TEST_IFP_S(0, 1.0, 0x100000001, fcvt.s.w f3, a0)                          /* upper bits ignored */
  TEST_IFP_S(0, -2147483648.0, 0x80000000, fcvt.s.w f3, a0)
  TEST_IFP_SH(FFLAG_NX, 0x4f000000, 0x7fffffff, fcvt.s.w f3, a0)            /* rounds to 2^31 */
  TEST_IFP_SH(FFLAG_NX, 0x4effffff, 0x7fffffff, fcvt.s.w f3, a0, rtz)
  TEST_IFP_SH(0, 0x00000000, 0, fcvt.s.w f3, a0)                            /* +0, not -0 */
  TEST_IFP_S(0, 2.0, 2, fcvt.s.wu f3, a0)
  TEST_IFP_SH(FFLAG_NX, 0x4f800000, 0xffffffff, fcvt.s.wu f3, a0)           /* 2^32 */
  TEST_IFP_SH(FFLAG_NX, 0x4f800000, -1, fcvt.s.wu f3, a0)
  TEST_IFP_SH(FFLAG_NX, 0x4f7fffff, -1, fcvt.s.wu f3, a0, rdn)
  TEST_IFP_S(0, 2147483648.0, 0x80000000, fcvt.s.wu f3, a0)
  TEST_IFP_S(0, -2.0, -2, fcvt.s.l f3, a0)
  TEST_IFP_SH(FFLAG_NX, 0x5f000000, 0x7fffffffffffffff, fcvt.s.l f3, a0)
  TEST_IFP_SH(0, 0xdf000000, 0x8000000000000000, fcvt.s.l f3, a0)
  TEST_IFP_SH(FFLAG_NX, 0x4b800002, 16777219, fcvt.s.l f3, a0, rup)          /* 2^24+3: a tie */
  TEST_IFP_SH(FFLAG_NX, 0x4b800001, 16777219, fcvt.s.l f3, a0, rdn)
  TEST_IFP_SH(FFLAG_NX, 0x4b800002, 16777219, fcvt.s.l f3, a0, rne)
  TEST_IFP_SH(FFLAG_NX, 0x4b800000, 16777217, fcvt.s.l f3, a0, rne)          /* 2^24+1: tie to even */
  TEST_IFP_SH(FFLAG_NX, 0x4b800001, 16777217, fcvt.s.l f3, a0, rmm)
  TEST_IFP_SH(FFLAG_NX, 0x5f800000, -1, fcvt.s.lu f3, a0)                   /* 2^64 */
  TEST_IFP_SH(FFLAG_NX, 0x5f7fffff, -1, fcvt.s.lu f3, a0, rtz)
  TEST_IFP_S(0, 9223372036854775808.0, 0x8000000000000000, fcvt.s.lu f3, a0)

  /* ------------------------------------------------------ rounding modes */
  /* 1/3 and -1/3 in each static mode */
  TEST_FPR_SH(FFLAG_NX, 0x3eaaaaab, ONE, 0x40400000, 0, fdiv.s f3, f0, f1, rne)
  TEST_FPR_SH(FFLAG_NX, 0x3eaaaaaa, ONE, 0x40400000, 0, fdiv.s f3, f0, f1, rtz)
  TEST_FPR_SH(FFLAG_NX, 0x3eaaaaaa, ONE, 0x40400000, 0, fdiv.s f3, f0, f1, rdn)
  TEST_FPR_SH(FFLAG_NX, 0x3eaaaaab, ONE, 0x40400000, 0, fdiv.s f3, f0, f1, rup)
  TEST_FPR_SH(FFLAG_NX, 0x3eaaaaab, ONE, 0x40400000, 0, fdiv.s f3, f0, f1, rmm)
  TEST_FPR_SH(FFLAG_NX, 0xbeaaaaab, ONE, 0xc0400000, 0, fdiv.s f3, f0, f1, rne)
  TEST_FPR_SH(FFLAG_NX, 0xbeaaaaaa, ONE, 0xc0400000, 0, fdiv.s f3, f0, f1, rtz)
  TEST_FPR_SH(FFLAG_NX, 0xbeaaaaab, ONE, 0xc0400000, 0, fdiv.s f3, f0, f1, rdn)
  TEST_FPR_SH(FFLAG_NX, 0xbeaaaaaa, ONE, 0xc0400000, 0, fdiv.s f3, f0, f1, rup)
  TEST_FPR_SH(FFLAG_NX, 0xbeaaaaab, ONE, 0xc0400000, 0, fdiv.s f3, f0, f1, rmm)
  /* ties: 1 + 2^-24 (exactly half an ulp) and 1 + 3*2^-24 */
  TEST_FPR_SH(FFLAG_NX, 0x3f800000, ONE, 0x33800000, 0, fadd.s f3, f0, f1, rne)
  TEST_FPR_SH(FFLAG_NX, 0x3f800001, ONE, 0x33800000, 0, fadd.s f3, f0, f1, rmm)
  TEST_FPR_SH(FFLAG_NX, 0x3f800001, ONE, 0x33800000, 0, fadd.s f3, f0, f1, rup)
  TEST_FPR_SH(FFLAG_NX, 0x3f800000, ONE, 0x33800000, 0, fadd.s f3, f0, f1, rdn)
  TEST_FPR_SH(FFLAG_NX, 0x3f800002, 0x3f800001, 0x33800000, 0, fadd.s f3, f0, f1, rne)
  TEST_FPR_SH(FFLAG_NX, 0x3f800001, 0x3f800001, 0x33800000, 0, fadd.s f3, f0, f1, rtz)
  TEST_FPR_SH(FFLAG_NX, 0xbf800001, 0xbf800000, 0xb3800000, 0, fadd.s f3, f0, f1, rmm)
  TEST_FPR_SH(FFLAG_NX, 0xbf800001, 0xbf800000, 0xb3800000, 0, fadd.s f3, f0, f1, rdn)
  /* dynamic rounding mode taken from frm */
  TEST_FPR_SH(FFLAG_NX, 0x3eaaaaaa, ONE, 0x40400000, 0, fsrmi 1; fdiv.s f3, f0, f1, dyn; fsrmi 0)
  TEST_FPR_SH(FFLAG_NX, 0xbeaaaaab, ONE, 0xc0400000, 0, fsrmi 2; fdiv.s f3, f0, f1, dyn; fsrmi 0)
  TEST_FPR_SH(FFLAG_NX, 0x3eaaaaab, ONE, 0x40400000, 0, fsrmi 3; fdiv.s f3, f0, f1; fsrmi 0)
  TEST_FPR_SH(FFLAG_NX, 0x3f800001, ONE, 0x33800000, 0, fsrmi 4; fadd.s f3, f0, f1; fsrmi 0)
  TEST_FPR_SH(FFLAG_NX, 0x3f800000, ONE, 0x33800000, 0, fsrmi 0; fadd.s f3, f0, f1)
  TEST_FPI_S(FFLAG_NX, -3, -2.5, 0, 0, fsrmi 2; fcvt.w.s a2, f0, dyn; fsrmi 0)
  TEST_FPR_SH(FFLAG_NX, 0x3eaaaaaa, ONE, 0x40400000, 0, fsrmi 2; fdiv.s f3, f0, f1, rtz; fsrmi 0) /* static wins */

  /* reserved rounding modes: illegal instruction, mtval = instruction bits */
  TEST_TRAP_TVAL(CAUSE_ILLEGAL_INSTRUCTION, FADD_S_RM(5), .word FADD_S_RM(5))
  TEST_TRAP_TVAL(CAUSE_ILLEGAL_INSTRUCTION, FADD_S_RM(6), .word FADD_S_RM(6))
  /* dynamic rounding with an invalid frm */
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, fsrmi 5; 9: fadd.s f3, f1, f2, dyn)
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, fsrmi 6; 9: fmul.s f3, f1, f2)
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, fsrmi 7; 9: fcvt.w.s a1, f1, dyn)
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, fsrmi 7; 9: fmadd.s f3, f1, f2, f0)
  TEST_CASE(a1, 7, frrm a1)                                 /* frm keeps the invalid value */
  TEST_NO_TRAP(fsrmi 7; fsgnj.s f3, f1, f2; fmin.s f3, f1, f2; feq.s a1, f1, f2; fclass.s a1, f1; fmv.x.w a1, f1)
  TEST_NO_TRAP(fsrmi 7; fadd.s f3, f1, f2, rne)             /* static rm ignores frm */
  TEST_CASE(a1, 0, fsrmi 0; frrm a1)

  /* ------------------------------------------------------ fcsr and flags */
  TEST_CASE(a1, 0xff, li a0, 0xff; fscsr a0; frcsr a1)
  TEST_CASE(a1, 0x1f, frflags a1)
  TEST_CASE(a1, 7, frrm a1)
  TEST_CASE(a1, 0xff, li a0, -1; fscsr a1, a0)               /* swap returns old */
  TEST_CASE(a1, 0xff, frcsr a1)                             /* bits above 7 read as 0 */
  TEST_CASE(a1, 0x1f, fsflags a1, zero)
  TEST_CASE(a1, 0xe0, frcsr a1)
  TEST_CASE(a1, 0x00, fsrmi a1, 0; frcsr a1)
  TEST_CASE(a1, 0x05, fsflagsi 0x15; csrci fflags, 0x10; frflags a1)
  TEST_CASE(a1, 0x05 | (3 << 5), fsrmi 3; frcsr a1)
  TEST_CASE(a1, 0x03, li a0, 0x3b; fsrm a0; frrm a1)          /* frm write keeps 3 bits */
  TEST_CASE(a1, 0x00, fscsr zero; frcsr a1)
  TEST("flags accrue (NX then DZ)")
  la a0, fdata
  fsflags zero
  flw f0, 16(a0)                  /* 1.0 */
  flw f1, 20(a0)                  /* 3.0 */
  fdiv.s f2, f0, f1               /* NX */
  fmv.w.x f1, zero
  fdiv.s f2, f0, f1               /* DZ */
  fadd.s f2, f0, f0               /* exact: no change */
  frflags a1
  CHECK_EQ(a1, FFLAG_NX | FFLAG_DZ)
  fsflags zero

  /* ------------------------------------------------------- mstatus.FS */
  TEST("an FP instruction makes FS dirty and sets SD")
  li t0, MSTATUS_FS
  csrc mstatus, t0
  li t0, MSTATUS_FS_CLEAN
  csrs mstatus, t0
  fadd.s f3, f0, f0
  csrr a1, mstatus
  li t0, MSTATUS_FS
  and a2, a1, t0
  CHECK_EQ(a2, MSTATUS_FS_DIRTY)
  bgez a1, fail                   /* SD = bit 63 */
  TEST("FS=Off: FP instructions and FP CSRs are illegal")
  li t0, MSTATUS_FS
  csrc mstatus, t0
  csrr a1, mstatus
  bltz a1, fail                   /* SD clear */
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, fadd.s f3, f0, f1)
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, la a0, fdata; 9: flw f3, 0(a0))
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, la a0, fdata; 9: fsw f3, 0(a0))
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, fmv.w.x f3, zero)
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, fmv.x.w a1, f3)
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, frflags a1)
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, fscsr a1)
  TEST_TRAP(CAUSE_ILLEGAL_INSTRUCTION, csrr a1, frm)
  TEST("FS back on")
  li t0, MSTATUS_FS_INITIAL
  csrs mstatus, t0
  fmv.w.x f3, zero
  fmv.x.w a1, f3
  bnez a1, fail

  ld ra, 0(sp)
  addi sp, sp, 16
  ret

  .data
  .balign 8
fdata:
  .word SNAN2, 0x80000000, 0, 0
  .float 1.0, 3.0
