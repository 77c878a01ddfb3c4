// qemu-riscv64 reference for NaN-boxing (the core's job, src/cpu/insns/rv64fd.ts): improperly
// boxed single operands read as the canonical NaN 0x7fc00000 (fcvt.d.s -> canonical f64 NaN, no
// flags; fcvt.w.s -> 0x7fffffff + NV; fclass.s -> qNaN; fsgnj* inject into 0x7fc00000), while
// fmv.x.w / fsw move the raw low 32 bits. Build: riscv64-linux-gnu-gcc -static nanbox.c; run
// under qemu-riscv64.
#include <stdio.h>
#include <stdint.h>
typedef uint64_t u64;
#define T(INSN, DST) { u64 r, f; asm volatile("csrw fflags, zero\n\tfmv.d.x ft0, %2\n\tfmv.d.x ft1, %2\n\t" INSN "\n\t" DST "\n\tfrflags %1" : "=&r"(r), "=&r"(f) : "r"(x) : "ft0","ft1","ft2"); printf("%-28s in %016llx -> %016llx fflags %02llx\n", INSN, (unsigned long long)x, (unsigned long long)r, (unsigned long long)f); }
int main() {
  u64 xs[] = {0x000000003f800000ULL, 0xffffffff3f800000ULL, 0xfffffffe7f800001ULL};
  for (int i = 0; i < 3; i++) { u64 x = xs[i];
    T("fcvt.d.s ft2, ft0", "fmv.x.d %0, ft2")
    T("fcvt.w.s %0, ft0, rtz", "nop")
    T("fclass.s %0, ft0", "nop")
    T("fsgnjn.s ft2, ft0, ft1", "fmv.x.d %0, ft2")
    T("fmv.x.w %0, ft0", "nop")
    T("fadd.s ft2, ft0, ft1", "fmv.x.d %0, ft2")
    T("fmin.s ft2, ft0, ft1", "fmv.x.d %0, ft2")
    T("feq.s %0, ft0, ft1", "nop")
    T("fcvt.s.d ft2, ft0", "fmv.x.d %0, ft2")
  }
}
