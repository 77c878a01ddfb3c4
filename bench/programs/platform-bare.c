/* Bare-metal hooks: CLINT mtime (10 MHz on Amber) as the clock, minstret, NS16550A UART under a lock. */
#include <stdint.h>
#define MTIME ((volatile uint64_t *)0x0200bff8)
#define UART ((volatile uint8_t *)0x10000000)
static volatile uint32_t lock;
uint64_t now_ns(void) { return *MTIME * 100; }
uint64_t instret_now(void) { uint64_t v; __asm__ volatile("csrr %0, minstret" : "=r"(v)); return v; }
void put_str(const char *s) {
  while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE)) {}
  for (; *s; s++) {
    while (!(UART[5] & 0x20)) {}
    UART[0] = (uint8_t)*s;
  }
  __atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
}
