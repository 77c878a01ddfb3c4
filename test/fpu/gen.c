// Oracle 2: runs RISC-V F/D instructions under qemu-riscv64 (build: riscv64-linux-gnu-gcc
// -static -O2) for seeded random operands biased to special values, for each rounding
// mode, and prints one vector per line:
//   op rm a b c result fflags        (hex; unused operands 0)
// Usage: gen SEED N [opfilter]   (N vectors per op and rounding mode)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t u64;
typedef uint32_t u32;

static u64 st;
static u64 rnd(void) { // splitmix64
  u64 z = (st += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
static int rn(int n) { return (int)(rnd() % (u64)n); }

static const u64 sp64[] = {
  0, 0x8000000000000000ULL, 0x7FF0000000000000ULL, 0xFFF0000000000000ULL,
  0x7FF8000000000000ULL, 0xFFF8000000000123ULL, 0x7FF0000000000001ULL, 0x7FF4000000000000ULL,
  0xFFF0000000000abcULL, 0x0000000000000001ULL, 0x000FFFFFFFFFFFFFULL, 0x0010000000000000ULL,
  0x7FEFFFFFFFFFFFFFULL, 0x3FF0000000000000ULL, 0x3FF0000000000001ULL, 0x3FEFFFFFFFFFFFFFULL,
  0x4000000000000000ULL, 0x3FE0000000000000ULL, 0x3FF8000000000000ULL, 0x4004000000000000ULL,
  0x41E0000000000000ULL, 0x41DFFFFFFFC00000ULL, 0x41E0000000100000ULL, 0xC1E0000000000000ULL,
  0xC1E0000000200000ULL, 0x41F0000000000000ULL, 0x41EFFFFFFFE00000ULL, 0x43E0000000000000ULL,
  0x43F0000000000000ULL, 0x43DFFFFFFFFFFFFFULL, 0x43EFFFFFFFFFFFFFULL, 0xC3E0000000000000ULL,
  0x4340000000000000ULL, 0x0008000000000000ULL, 0x000FFFFFFFFFFFFEULL, 0x7FE0000000000000ULL,
  0x3CA0000000000000ULL, 0x0010000000000001ULL, 0x3FDFFFFFFFFFFFFFULL, 0x3FE0000000000001ULL,
};
static const u32 sp32[] = {
  0, 0x80000000u, 0x7F800000u, 0xFF800000u, 0x7FC00000u, 0xFFC00123u, 0x7F800001u, 0x7FA00000u,
  0xFF800abcu, 0x00000001u, 0x007FFFFFu, 0x00800000u, 0x7F7FFFFFu, 0x3F800000u, 0x3F800001u,
  0x3F7FFFFFu, 0x40000000u, 0x3F000000u, 0x3FC00000u, 0x40200000u, 0x4F000000u, 0x4EFFFFFFu,
  0x4F000001u, 0xCF000000u, 0xCF000001u, 0x4F800000u, 0x4F7FFFFFu, 0x5F000000u, 0x5F800000u,
  0x5EFFFFFFu, 0x5F7FFFFFu, 0xDF000000u, 0x4B800000u, 0x00400000u, 0x007FFFFEu, 0x7F000000u,
  0x33800000u, 0x00800001u, 0x3EFFFFFFu, 0x3F000001u,
};
#define NSP (sizeof(sp64) / sizeof(sp64[0]))

// generic: a float with exponent field E (bias B, mantissa bits M, width)
static u64 mant(int M) {
  u64 m = rnd();
  switch (rn(5)) {
  case 0: m = (1ULL << rn(M)) | (rn(2) ? 1 : 0); break;             // sparse
  case 1: m = ~0ULL << rn(M); break;                                  // ones then zeros
  case 2: m = ~(1ULL << rn(M)); break;
  case 3: m = (rnd() >> rn(64)); break;
  default: break;
  }
  return m & ((1ULL << M) - 1);
}
static u64 genf(int is64) {
  int M = is64 ? 52 : 23, EMAX = is64 ? 0x7FF : 0xFF, B = is64 ? 1023 : 127;
  u64 s = (u64)rn(2) << (is64 ? 63 : 31);
  int E;
  switch (rn(16)) {
  case 0: case 1: return is64 ? (sp64[rn(NSP)] ^ (rn(4) == 0 ? s : 0)) : (sp32[rn(NSP)] ^ (rn(4) == 0 ? s : 0));
  case 2: case 3: return is64 ? rnd() : (u32)rnd();
  case 4: case 5: case 6: E = B - 40 + rn(80); break;
  case 7: E = rn(M + 8); break;                       // subnormal/tiny
  case 8: E = EMAX - 1 - rn(M + 8); break;            // huge
  case 9: { // integers and half-integers near conversion boundaries
    int bits = rn(4) == 0 ? (is64 ? 31 + rn(3) : 31 + rn(3)) : rn(4) == 0 ? 62 + rn(4) : rn(66);
    E = B + bits;
    if (E >= EMAX) E = EMAX - 1;
    break; }
  case 10: E = B + rn(8) - 2; break;
  default: E = 1 + rn(EMAX - 1); break;
  }
  if (E <= 0) E = 0;
  if (E >= EMAX) E = EMAX - 1;
  return s | ((u64)E << M) | mant(M);
}
static int expf_(u64 x, int is64) { return is64 ? (int)((x >> 52) & 0x7FF) : (int)((x >> 23) & 0xFF); }
static u64 setexp(u64 x, int E, int is64) {
  int EMAX = is64 ? 0x7FF : 0xFF;
  if (E < 0) E = 0;
  if (E > EMAX - 1) E = EMAX - 1;
  return is64 ? ((x & ~(0x7FFULL << 52)) | ((u64)E << 52)) : ((x & ~(0xFFULL << 23)) | ((u64)E << 23));
}
static u64 geni(int bits, int sgn) { // integer operands (as full 64-bit pattern)
  u64 x;
  switch (rn(6)) {
  case 0: x = rnd(); break;
  case 1: { int k = rn(64); x = rnd() >> k; break; }
  case 2: { int k = 20 + rn(44); x = (1ULL << k) + (u64)(rn(9) - 4); break; }          // near 2^k
  case 3: { int k = rn(40) + 1; x = (rnd() << k) | (1ULL << (k - 1)) | (rn(2) ? 1 : 0); break; } // ties
  case 4: { int k = 24 + rn(40); x = (rnd() >> (64 - k)) | (1ULL << (k - 1)); break; }
  default: x = (u64)(rn(2001) - 1000); break;
  }
  if (rn(3) == 0) x = (u64)-(int64_t)x;
  if (bits == 32) x = sgn ? (u64)(int64_t)(int32_t)x : (u64)(u32)x;
  return x;
}

// ---------------------------------------------------------------- instruction wrappers
#define PRE "fsrm %[rm]\n\tcsrw fflags, zero\n\t"
#define POST "\n\tfrflags %[f]"
#define OUTS [r] "=&r"(r), [f] "=&r"(f)
#define CLOB "ft0", "ft1", "ft2", "ft3", "memory"

#define R2(NAME, MI, MO, INSN) \
  static u64 NAME(u64 a, u64 b, u64 c, int rm, u64 *fl) { u64 r, f; (void)c; \
    asm volatile(PRE MI " ft0, %[a]\n\t" MI " ft1, %[b]\n\t" INSN " ft2, ft0, ft1, dyn\n\t" MO " %[r], ft2" POST \
      : OUTS : [a] "r"(a), [b] "r"(b), [rm] "r"((u64)rm) : CLOB); *fl = f; return r; }
#define R2N(NAME, MI, MO, INSN) \
  static u64 NAME(u64 a, u64 b, u64 c, int rm, u64 *fl) { u64 r, f; (void)c; \
    asm volatile(PRE MI " ft0, %[a]\n\t" MI " ft1, %[b]\n\t" INSN " ft2, ft0, ft1\n\t" MO " %[r], ft2" POST \
      : OUTS : [a] "r"(a), [b] "r"(b), [rm] "r"((u64)rm) : CLOB); *fl = f; return r; }
#define CMP(NAME, MI, INSN) \
  static u64 NAME(u64 a, u64 b, u64 c, int rm, u64 *fl) { u64 r, f; (void)c; \
    asm volatile(PRE MI " ft0, %[a]\n\t" MI " ft1, %[b]\n\t" INSN " %[r], ft0, ft1" POST \
      : OUTS : [a] "r"(a), [b] "r"(b), [rm] "r"((u64)rm) : CLOB); *fl = f; return r; }
#define R3(NAME, MI, MO, INSN) \
  static u64 NAME(u64 a, u64 b, u64 c, int rm, u64 *fl) { u64 r, f; \
    asm volatile(PRE MI " ft0, %[a]\n\t" MI " ft1, %[b]\n\t" MI " ft3, %[c]\n\t" INSN " ft2, ft0, ft1, ft3, dyn\n\t" MO " %[r], ft2" POST \
      : OUTS : [a] "r"(a), [b] "r"(b), [c] "r"(c), [rm] "r"((u64)rm) : CLOB); *fl = f; return r; }
#define R1(NAME, MI, MO, INSN) /* float -> float with rm */ \
  static u64 NAME(u64 a, u64 b, u64 c, int rm, u64 *fl) { u64 r, f; (void)b; (void)c; \
    asm volatile(PRE MI " ft0, %[a]\n\t" INSN " ft2, ft0, dyn\n\t" MO " %[r], ft2" POST \
      : OUTS : [a] "r"(a), [rm] "r"((u64)rm) : CLOB); *fl = f; return r; }
#define R1N(NAME, MI, MO, INSN) /* float -> float, no rm field */ \
  static u64 NAME(u64 a, u64 b, u64 c, int rm, u64 *fl) { u64 r, f; (void)b; (void)c; \
    asm volatile(PRE MI " ft0, %[a]\n\t" INSN " ft2, ft0\n\t" MO " %[r], ft2" POST \
      : OUTS : [a] "r"(a), [rm] "r"((u64)rm) : CLOB); *fl = f; return r; }
#define F2I(NAME, MI, INSN) \
  static u64 NAME(u64 a, u64 b, u64 c, int rm, u64 *fl) { u64 r, f; (void)b; (void)c; \
    asm volatile(PRE MI " ft0, %[a]\n\t" INSN " %[r], ft0, dyn" POST \
      : OUTS : [a] "r"(a), [rm] "r"((u64)rm) : CLOB); *fl = f; return r; }
#define CLS(NAME, MI, INSN) \
  static u64 NAME(u64 a, u64 b, u64 c, int rm, u64 *fl) { u64 r, f; (void)b; (void)c; \
    asm volatile(PRE MI " ft0, %[a]\n\t" INSN " %[r], ft0" POST \
      : OUTS : [a] "r"(a), [rm] "r"((u64)rm) : CLOB); *fl = f; return r; }
#define I2F(NAME, MO, INSN) \
  static u64 NAME(u64 a, u64 b, u64 c, int rm, u64 *fl) { u64 r, f; (void)b; (void)c; \
    asm volatile(PRE INSN " ft2, %[a], dyn\n\t" MO " %[r], ft2" POST \
      : OUTS : [a] "r"(a), [rm] "r"((u64)rm) : CLOB); *fl = f; return r; }

#define I2FN(NAME, MO, INSN) /* exact, no rm field */ \
  static u64 NAME(u64 a, u64 b, u64 c, int rm, u64 *fl) { u64 r, f; (void)b; (void)c; \
    asm volatile(PRE INSN " ft2, %[a]\n\t" MO " %[r], ft2" POST \
      : OUTS : [a] "r"(a), [rm] "r"((u64)rm) : CLOB); *fl = f; return r; }

R2(o_f32_add, "fmv.w.x", "fmv.x.w", "fadd.s") R2(o_f32_sub, "fmv.w.x", "fmv.x.w", "fsub.s")
R2(o_f32_mul, "fmv.w.x", "fmv.x.w", "fmul.s") R2(o_f32_div, "fmv.w.x", "fmv.x.w", "fdiv.s")
R2(o_f64_add, "fmv.d.x", "fmv.x.d", "fadd.d") R2(o_f64_sub, "fmv.d.x", "fmv.x.d", "fsub.d")
R2(o_f64_mul, "fmv.d.x", "fmv.x.d", "fmul.d") R2(o_f64_div, "fmv.d.x", "fmv.x.d", "fdiv.d")
R1(o_f32_sqrt, "fmv.w.x", "fmv.x.w", "fsqrt.s") R1(o_f64_sqrt, "fmv.d.x", "fmv.x.d", "fsqrt.d")
R3(o_f32_fma, "fmv.w.x", "fmv.x.w", "fmadd.s") R3(o_f32_fmsub, "fmv.w.x", "fmv.x.w", "fmsub.s")
R3(o_f32_fnmsub, "fmv.w.x", "fmv.x.w", "fnmsub.s") R3(o_f32_fnmadd, "fmv.w.x", "fmv.x.w", "fnmadd.s")
R3(o_f64_fma, "fmv.d.x", "fmv.x.d", "fmadd.d") R3(o_f64_fmsub, "fmv.d.x", "fmv.x.d", "fmsub.d")
R3(o_f64_fnmsub, "fmv.d.x", "fmv.x.d", "fnmsub.d") R3(o_f64_fnmadd, "fmv.d.x", "fmv.x.d", "fnmadd.d")
R2N(o_f32_min, "fmv.w.x", "fmv.x.w", "fmin.s") R2N(o_f32_max, "fmv.w.x", "fmv.x.w", "fmax.s")
R2N(o_f64_min, "fmv.d.x", "fmv.x.d", "fmin.d") R2N(o_f64_max, "fmv.d.x", "fmv.x.d", "fmax.d")
CMP(o_f32_eq, "fmv.w.x", "feq.s") CMP(o_f32_lt, "fmv.w.x", "flt.s") CMP(o_f32_le, "fmv.w.x", "fle.s")
CMP(o_f64_eq, "fmv.d.x", "feq.d") CMP(o_f64_lt, "fmv.d.x", "flt.d") CMP(o_f64_le, "fmv.d.x", "fle.d")
CLS(o_f32_classify, "fmv.w.x", "fclass.s") CLS(o_f64_classify, "fmv.d.x", "fclass.d")
F2I(o_f32_to_i32, "fmv.w.x", "fcvt.w.s") F2I(o_f32_to_u32, "fmv.w.x", "fcvt.wu.s")
F2I(o_f32_to_i64, "fmv.w.x", "fcvt.l.s") F2I(o_f32_to_u64, "fmv.w.x", "fcvt.lu.s")
F2I(o_f64_to_i32, "fmv.d.x", "fcvt.w.d") F2I(o_f64_to_u32, "fmv.d.x", "fcvt.wu.d")
F2I(o_f64_to_i64, "fmv.d.x", "fcvt.l.d") F2I(o_f64_to_u64, "fmv.d.x", "fcvt.lu.d")
I2F(o_i32_to_f32, "fmv.x.w", "fcvt.s.w") I2F(o_u32_to_f32, "fmv.x.w", "fcvt.s.wu")
I2F(o_i64_to_f32, "fmv.x.w", "fcvt.s.l") I2F(o_u64_to_f32, "fmv.x.w", "fcvt.s.lu")
I2FN(o_i32_to_f64, "fmv.x.d", "fcvt.d.w") I2FN(o_u32_to_f64, "fmv.x.d", "fcvt.d.wu")
I2F(o_i64_to_f64, "fmv.x.d", "fcvt.d.l") I2F(o_u64_to_f64, "fmv.x.d", "fcvt.d.lu")
R1N(o_f32_to_f64, "fmv.w.x", "fmv.x.d", "fcvt.d.s") R1(o_f64_to_f32, "fmv.d.x", "fmv.x.w", "fcvt.s.d")

// operand kinds: 's' f32, 'd' f64, 'w' i32, 'W' u32, 'l' i64, 'L' u64, '-' none
// result kinds:  's' f32, 'd' f64, 'x' 64-bit integer, 'i' small integer
typedef u64 (*opfn)(u64, u64, u64, int, u64 *);
struct op { const char *name; opfn fn; const char *args; char res; int rms; int gen; };
// gen: 0 generic, 1 add-like, 2 mul-like, 3 div-like, 4 fma-like, 5 float->int
static const struct op ops[] = {
  {"f32_add", o_f32_add, "ss", 's', 5, 1}, {"f32_sub", o_f32_sub, "ss", 's', 5, 1},
  {"f32_mul", o_f32_mul, "ss", 's', 5, 2}, {"f32_div", o_f32_div, "ss", 's', 5, 3},
  {"f32_sqrt", o_f32_sqrt, "s", 's', 5, 0}, {"f32_fma", o_f32_fma, "sss", 's', 5, 4},
  {"f32_fmsub", o_f32_fmsub, "sss", 's', 5, 4}, {"f32_fnmsub", o_f32_fnmsub, "sss", 's', 5, 4},
  {"f32_fnmadd", o_f32_fnmadd, "sss", 's', 5, 4},
  {"f64_add", o_f64_add, "dd", 'd', 5, 1}, {"f64_sub", o_f64_sub, "dd", 'd', 5, 1},
  {"f64_mul", o_f64_mul, "dd", 'd', 5, 2}, {"f64_div", o_f64_div, "dd", 'd', 5, 3},
  {"f64_sqrt", o_f64_sqrt, "d", 'd', 5, 0}, {"f64_fma", o_f64_fma, "ddd", 'd', 5, 4},
  {"f64_fmsub", o_f64_fmsub, "ddd", 'd', 5, 4}, {"f64_fnmsub", o_f64_fnmsub, "ddd", 'd', 5, 4},
  {"f64_fnmadd", o_f64_fnmadd, "ddd", 'd', 5, 4},
  {"f32_min", o_f32_min, "ss", 's', 1, 0}, {"f32_max", o_f32_max, "ss", 's', 1, 0},
  {"f64_min", o_f64_min, "dd", 'd', 1, 0}, {"f64_max", o_f64_max, "dd", 'd', 1, 0},
  {"f32_eq", o_f32_eq, "ss", 'i', 1, 0}, {"f32_lt", o_f32_lt, "ss", 'i', 1, 0}, {"f32_le", o_f32_le, "ss", 'i', 1, 0},
  {"f64_eq", o_f64_eq, "dd", 'i', 1, 0}, {"f64_lt", o_f64_lt, "dd", 'i', 1, 0}, {"f64_le", o_f64_le, "dd", 'i', 1, 0},
  {"f32_classify", o_f32_classify, "s", 'i', 1, 0}, {"f64_classify", o_f64_classify, "d", 'i', 1, 0},
  {"f32_to_i32", o_f32_to_i32, "s", 'x', 5, 5}, {"f32_to_u32", o_f32_to_u32, "s", 'x', 5, 5},
  {"f32_to_i64", o_f32_to_i64, "s", 'x', 5, 5}, {"f32_to_u64", o_f32_to_u64, "s", 'x', 5, 5},
  {"f64_to_i32", o_f64_to_i32, "d", 'x', 5, 5}, {"f64_to_u32", o_f64_to_u32, "d", 'x', 5, 5},
  {"f64_to_i64", o_f64_to_i64, "d", 'x', 5, 5}, {"f64_to_u64", o_f64_to_u64, "d", 'x', 5, 5},
  {"i32_to_f32", o_i32_to_f32, "w", 's', 5, 0}, {"u32_to_f32", o_u32_to_f32, "W", 's', 5, 0},
  {"i64_to_f32", o_i64_to_f32, "l", 's', 5, 0}, {"u64_to_f32", o_u64_to_f32, "L", 's', 5, 0},
  {"i32_to_f64", o_i32_to_f64, "w", 'd', 5, 0}, {"u32_to_f64", o_u32_to_f64, "W", 'd', 5, 0},
  {"i64_to_f64", o_i64_to_f64, "l", 'd', 5, 0}, {"u64_to_f64", o_u64_to_f64, "L", 'd', 5, 0},
  {"f32_to_f64", o_f32_to_f64, "s", 'd', 1, 0}, {"f64_to_f32", o_f64_to_f32, "d", 's', 5, 6},
};

static u64 gen1(char k) {
  switch (k) {
  case 's': return genf(0);
  case 'd': return genf(1);
  case 'w': return geni(32, 1) & 0xFFFFFFFFu;
  case 'W': return geni(32, 0) & 0xFFFFFFFFu;
  default: return geni(64, 0);
  }
}

static void genargs(const struct op *o, u64 *v) {
  int n = (int)strlen(o->args), is64 = o->args[0] == 'd';
  int M = is64 ? 52 : 23, B = is64 ? 1023 : 127, EMAX = is64 ? 0x7FF : 0xFF;
  for (int i = 0; i < 3; i++) v[i] = i < n ? gen1(o->args[i]) : 0;
  int g = o->gen;
  if (o->fn == o_f32_sqrt || o->fn == o_f64_sqrt) { if (rn(8)) v[0] &= is64 ? ~(1ULL << 63) : ~(1ULL << 31); }
  if ((g == 1 || g == 2 || g == 4) && rn(8) == 0) { // exact ties (and ties +- a tiny addend for fma)
    u64 sgn = is64 ? 1ULL << 63 : 1ULL << 31;
    int ea = 1 + rn(EMAX - 2), i = 1 + rn(M);
    if (g == 1) { // a on the grid, b = odd multiple of half an ulp of a
      v[0] = setexp(v[0], ea, is64);
      v[1] = setexp(0, ea - M - 1 - rn(3), is64) | (rn(2) ? sgn : 0);
      if (rn(2)) v[1] |= (u64)rn(4) << (M - 2);
    } else {
      int eb = B + rn(2 * M) - M;
      v[0] = setexp((1ULL << (M - i)) | (rn(2) ? sgn : 0), B + rn(2 * M) - M, is64);
      v[1] = setexp((1ULL << (i - 1)) | (rn(2) ? sgn : 0), eb, is64);
      if (rn(4) == 0) { v[0] = setexp(v[0], ea, is64); v[1] = setexp(v[1], B + rn(M + 2) - (ea - B) - M + 1 - B + B, is64); }
      if (g == 4) {
        int ep = expf_(v[0], is64) + expf_(v[1], is64) - B;
        v[2] = rn(3) == 0 ? 0 : setexp(rnd() & ((1ULL << M) - 1), ep - M - 3 - rn(40), is64) | (rn(2) ? sgn : 0);
      }
    }
    return;
  }
  if (rn(10) < 4) switch (g) {
  case 1: // add-like: b close in exponent to a, maybe opposite sign, for cancellation and ties
    v[1] = setexp(v[1], expf_(v[0], is64) - rn(M + 4), is64);
    if (rn(2)) v[1] = v[0] ^ ((rnd() & ((1ULL << rn(M)) - 1))) ^ (is64 ? 1ULL << 63 : 1ULL << 31);
    break;
  case 2: { // product near the underflow / overflow thresholds
    int t = rn(2) ? rn(M + 4) - 2 : EMAX - 2 + rn(4);
    v[1] = setexp(v[1], t - expf_(v[0], is64) + B, is64);
    break; }
  case 3: {
    int t = rn(2) ? rn(M + 4) - 2 : EMAX - 2 + rn(4);
    v[1] = setexp(v[1], expf_(v[0], is64) - t + B, is64);
    break; }
  case 4: { // c near -(a*b), or tiny, or zero
    int r = rn(3);
    if (r == 0) {
      if (is64) { double x, y, z; memcpy(&x, &v[0], 8); memcpy(&y, &v[1], 8); z = -(x * y); memcpy(&v[2], &z, 8); }
      else { float x, y, z; u32 t; t = (u32)v[0]; memcpy(&x, &t, 4); t = (u32)v[1]; memcpy(&y, &t, 4);
             z = -(x * y); memcpy(&t, &z, 4); v[2] = t; }
      v[2] ^= rnd() & ((1ULL << rn(8)) - 1);
    } else if (r == 1) {
      v[2] = setexp(v[2], expf_(v[0], is64) + expf_(v[1], is64) - B - M - rn(40) + 20, is64);
    } else {
      v[2] = rn(2) ? 0 : (is64 ? 1ULL << 63 : 1ULL << 31);
    }
    break; }
  case 5: { // float->int: values around integer boundaries
    int bits = rn(3) == 0 ? 31 + rn(3) : rn(3) == 0 ? 62 + rn(3) : rn(M);
    v[0] = setexp(v[0], B + bits, is64);
    break; }
  case 6: { // f64->f32 near f32 thresholds
    int t = rn(2) ? 127 - 126 - rn(30) : 127 + 126 + rn(3);
    v[0] = setexp(v[0], t - 127 + 1023, 1);
    if (rn(2)) v[0] &= ~((1ULL << (29 - rn(3))) - 1), v[0] |= (1ULL << (28 - rn(2)));
    break; }
  }
  (void)EMAX;
}

static void pr(char k, u64 x) {
  if (k == 's' || k == 'w' || k == 'W') printf(" %08x", (u32)x);
  else printf(" %016llx", (unsigned long long)x);
}

static void emit(const struct op *o, int rm, const u64 *v) {
  u64 fl;
  u64 r = o->fn(v[0], v[1], v[2], rm, &fl);
  if (o->res == 's') r &= 0xFFFFFFFFu;
  printf("%s %d", o->name, rm);
  int n = (int)strlen(o->args);
  for (int k = 0; k < 3; k++) pr(k < n ? o->args[k] : o->args[0], v[k]);
  if (o->res == 's') printf(" %08x", (u32)r);
  else if (o->res == 'i') printf(" %x", (unsigned)r);
  else printf(" %016llx", (unsigned long long)r);
  printf(" %02x\n", (unsigned)fl);
}

// hand-picked cases, emitted first for every rounding mode
static const struct { const char *name; u64 v[3]; } fixed[] = {
  // tiny before rounding, not after (RISC-V detects tininess after rounding): NX only in RNE
  {"f32_mul", {0x1FFFF800, 0x20000400, 0}}, {"f64_mul", {0x1FFFFFFFC0000000ULL, 0x2000000002000000ULL, 0}},
  {"f32_fma", {0x1FFFF800, 0x20000400, 0x80000001}}, {"f64_fma", {0x1FFFFFFFC0000000ULL, 0x2000000002000000ULL, 0x8000000000000001ULL}},
  // exact ties: 1 + half ulp
  {"f32_add", {0x3F800000, 0x33800000, 0}}, {"f32_add", {0x3F800001, 0x33800000, 0}},
  {"f64_add", {0x3FF0000000000000ULL, 0x3CA0000000000000ULL, 0}}, {"f64_add", {0x3FF0000000000001ULL, 0x3CA0000000000000ULL, 0}},
  {"f32_mul", {0x3F801000, 0x3F801000, 0}}, {"f64_mul", {0x3FF0000002000000ULL, 0x3FF0000004000000ULL, 0}},
  // tie plus/minus a tiny addend (double rounding trap for an f64-based f32 fma)
  {"f32_fma", {0x3F801000, 0x3F801000, 0x0DA24260}}, {"f32_fma", {0x3F801000, 0x3F801000, 0x8DA24260}},
  {"f64_fma", {0x3FF0000002000000ULL, 0x3FF0000004000000ULL, 0x0000000000000001ULL}},
  {"f64_fma", {0x3FF0000002000000ULL, 0x3FF0000004000000ULL, 0x8000000000000001ULL}},
  // inf * 0 + qNaN (NV), overflow at the boundary, x - x in RDN
  {"f32_fma", {0x7F800000, 0, 0x7FC00000}}, {"f64_fma", {0x7FF0000000000000ULL, 0, 0x7FF8000000000000ULL}},
  {"f32_add", {0x7F7FFFFF, 0x73000000, 0}}, {"f64_add", {0x7FEFFFFFFFFFFFFFULL, 0x7C90000000000000ULL, 0}},
  {"f32_sub", {0x3F800000, 0x3F800000, 0}}, {"f64_sub", {0x3FF0000000000000ULL, 0x3FF0000000000000ULL, 0}},
  // conversions at the saturation boundaries
  {"f64_to_i32", {0x41DFFFFFFFE00000ULL, 0, 0}}, {"f64_to_i32", {0xC1E0000000100000ULL, 0, 0}},
  {"f64_to_u32", {0xBFE0000000000000ULL, 0, 0}}, {"f64_to_u32", {0x41EFFFFFFFF00000ULL, 0, 0}},
  {"f64_to_u64", {0xBFEFFFFFFFFFFFFFULL, 0, 0}}, {"f64_to_i64", {0xC3E0000000000000ULL, 0, 0}},
  {"f32_to_u32", {0xBF000000, 0, 0}}, {"f32_to_i32", {0xCF000000, 0, 0}},
  {"u64_to_f32", {0xFFFFFFFFFFFFFFFFULL, 0, 0}}, {"u64_to_f64", {0xFFFFFFFFFFFFFFFFULL, 0, 0}},
  {"i64_to_f64", {0x8000000000000000ULL, 0, 0}}, {"u64_to_f64", {0x8000000000000400ULL, 0, 0}},
  {"f64_to_f32", {0x36A0000000000000ULL, 0, 0}}, {"f64_to_f32", {0x47EFFFFFF0000000ULL, 0, 0}},
};

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: gen SEED N [op]\n"); return 2; }
  st = strtoull(argv[1], 0, 0);
  int N = atoi(argv[2]);
  const char *filt = argc > 3 ? argv[3] : 0;
  for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
    const struct op *o = &ops[i];
    if (filt && strcmp(filt, o->name)) continue;
    for (size_t k = 0; k < sizeof(fixed) / sizeof(fixed[0]); k++) {
      if (strcmp(fixed[k].name, o->name)) continue;
      for (int rm = 0; rm < o->rms; rm++) emit(o, rm, fixed[k].v);
    }
    int cnt = o->rms == 1 ? N * 3 : N;
    for (int rm = 0; rm < o->rms; rm++)
      for (int j = 0; j < cnt; j++) {
        u64 v[3];
        genargs(o, v);
        emit(o, rm, v);
      }
  }
  return 0;
}
