/*
 * Compute kernels for `npm run bench:cpu`. The same source is linked twice: bare metal
 * (start-bare.S: HTIF exit, UART console, CLINT mtime clock, for `amber elf`) and Linux user
 * (start-linux.S: write/exit/clock_gettime syscalls, for `qemu-riscv64`).
 * Which kernel runs is chosen at build time (-DKERNEL=1/2/3).
 * Each run prints one line: "<name> hart=<h> ns=<kernel ns> instret=<minstret delta or 0> result=<hex>".
 */
#include <stdint.h>
#include <stddef.h>

/* Platform hooks (start-*.S / platform-*.c). */
uint64_t now_ns(void);
uint64_t instret_now(void);
void put_str(const char *s);

#define INT_ITERS 10000000ULL            /* integer loop iterations (~19 instructions each) */
#define CRC_BYTES (16u << 20)             /* CRC32 over 16 MiB */
#define NBODY_STEPS 30000                 /* n-body (5 bodies) steps, double precision */

static void put_hex(uint64_t v) {
  char b[19];
  b[0] = '0'; b[1] = 'x';
  for (int i = 0; i < 16; i++) b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
  b[18] = 0;
  put_str(b);
}
static void put_dec(uint64_t v) {
  char b[24];
  int i = 23;
  b[i] = 0;
  do { b[--i] = '0' + v % 10; v /= 10; } while (v);
  put_str(b + i);
}

/* 1. Integer loop: xorshift mixing, adds, shifts, a load and a store into a small array. */
static uint64_t int_loop(uint64_t seed, uint64_t *a) {
  uint64_t x = seed | 1, s = 0;
  for (uint64_t i = 0; i < INT_ITERS; i++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    a[i & 63] += x;
    s += a[x & 63];
  }
  return s ^ x;
}

/* 2. CRC32 (IEEE, table-driven, byte at a time) over a 16 MiB buffer filled with an LCG. */
static uint8_t crc_buf[CRC_BYTES];
static uint32_t crc_table[256];
static uint64_t crc32_kernel(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < CRC_BYTES; i++) crc = crc_table[(crc ^ crc_buf[i]) & 0xff] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}
static void crc_fill(void) {
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  uint64_t *p = (uint64_t *)crc_buf;
  for (size_t i = 0; i < CRC_BYTES / 8; i++) { x = x * 6364136223846793005ULL + 1442695040888963407ULL; p[i] = x; }
}

/* 3. n-body (the Benchmarks Game's 5 bodies), double precision, with sqrt and divide. */
struct body { double x, y, z, vx, vy, vz, m; };
static double fsqrt(double v) { double r; __asm__("fsqrt.d %0, %1" : "=f"(r) : "f"(v)); return r; }
static uint64_t nbody_kernel(void) {
  const double PI = 3.141592653589793, SM = 4 * PI * PI, DPY = 365.24;
  struct body b[5] = {
    {0, 0, 0, 0, 0, 0, SM},
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01, 1.66007664274403694e-03 * DPY, 7.69901118419740425e-03 * DPY, -6.90460016972063023e-05 * DPY, 9.54791938424326609e-04 * SM},
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01, -2.76742510726862411e-03 * DPY, 4.99852801234917238e-03 * DPY, 2.30417297573763929e-05 * DPY, 2.85885980666130812e-04 * SM},
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01, 2.96460137564761618e-03 * DPY, 2.37847173959480950e-03 * DPY, -2.96589568540237556e-05 * DPY, 4.36624404335156298e-05 * SM},
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01, 2.68067772490389322e-03 * DPY, 1.62824170038242295e-03 * DPY, -9.51592254519715870e-05 * DPY, 5.15138902046611451e-05 * SM},
  };
  const double dt = 0.01;
  for (int s = 0; s < NBODY_STEPS; s++) {
    for (int i = 0; i < 5; i++)
      for (int j = i + 1; j < 5; j++) {
        double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
        double d2 = dx * dx + dy * dy + dz * dz;
        double mag = dt / (d2 * fsqrt(d2));
        b[i].vx -= dx * b[j].m * mag; b[i].vy -= dy * b[j].m * mag; b[i].vz -= dz * b[j].m * mag;
        b[j].vx += dx * b[i].m * mag; b[j].vy += dy * b[i].m * mag; b[j].vz += dz * b[i].m * mag;
      }
    for (int i = 0; i < 5; i++) { b[i].x += dt * b[i].vx; b[i].y += dt * b[i].vy; b[i].z += dt * b[i].vz; }
  }
  double e = 0;
  for (int i = 0; i < 5; i++) e += b[i].x + b[i].y + b[i].z;
  union { double d; uint64_t u; } u = {e};
  return u.u;
}

static uint64_t int_data[8][64];

/* Runs the build's kernel on hart `hart`; prints its line; returns the result. */
uint64_t bench_main(uint64_t hart) {
  const char *name;
  uint64_t r, t0, i0;
#if KERNEL == 1
  name = "int-loop";
  t0 = now_ns(); i0 = instret_now();
  r = int_loop(0x1234567 + hart, int_data[hart & 7]);
#elif KERNEL == 2
  name = "crc32-16MiB";
  crc_fill();
  t0 = now_ns(); i0 = instret_now();
  r = crc32_kernel();
#else
  name = "nbody";
  t0 = now_ns(); i0 = instret_now();
  r = nbody_kernel();
#endif
  uint64_t i1 = instret_now(), t1 = now_ns();
  put_str(name); put_str(" hart="); put_dec(hart);
  put_str(" ns="); put_dec(t1 - t0);
  put_str(" instret="); put_dec(i1 - i0);
  put_str(" result="); put_hex(r); put_str("\n");
  return r;
}
