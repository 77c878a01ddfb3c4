/* Linux-user hooks: clock_gettime(CLOCK_MONOTONIC), write(1), no instruction counter. */
#include <stdint.h>
static long sys3(long n, long a, long b, long c) {
  register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a2 __asm__("a2") = c, a7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}
uint64_t now_ns(void) {
  struct { long s, ns; } ts;
  sys3(113, 1, (long)&ts, 0);
  return (uint64_t)ts.s * 1000000000ull + (uint64_t)ts.ns;
}
uint64_t instret_now(void) { return 0; }
void put_str(const char *s) {
  long n = 0;
  while (s[n]) n++;
  sys3(64, 1, (long)s, n);
}
