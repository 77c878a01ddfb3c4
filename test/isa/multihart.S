/* Four harts contend on shared memory: AMOADD.D, an LR/SC increment loop
   (64- and 32-bit), and a spinlock (AMOSWAP.aq / .rl) protecting a plain
   load/add/store.  Hart 0 waits for the others and checks the exact totals.
   Run with 4 harts. */
#define MULTIHART
#include "common.h"

#define NHARTS 4
#define ITERS  10000

  .text
  .globl main
main:                               /* every hart, a0 = mhartid */
  li t0, NHARTS
  bgeu a0, t0, park_forever
  mv s11, a0

  /* who is here */
  li t0, 1
  sll t0, t0, s11
  la t1, seen
  amoor.d zero, t0, (t1)

  /* start barrier */
  la t0, arrived
  li t1, 1
  amoadd.w zero, t1, (t0)
1:
  lw t2, 0(t0)
  li t1, NHARTS
  blt t2, t1, 1b

  /* 1: AMOADD.D */
  la s0, counter_amo
  li s1, ITERS
  li t1, 1
1:
  amoadd.d zero, t1, (s0)
  addi s1, s1, -1
  bnez s1, 1b

  /* 2: LR/SC increment, 64-bit */
  la s0, counter_lrsc
  li s1, ITERS
1:
  lr.d t0, (s0)
  addi t0, t0, 1
  sc.d t2, t0, (s0)
  bnez t2, 1b
  addi s1, s1, -1
  bnez s1, 1b

  /* 3: LR/SC increment, 32-bit (aq/rl), on a word next to a busy one */
  la s0, counter_lrsc_w
  li s1, ITERS
1:
  lr.w.aq t0, (s0)
  addi t0, t0, 1
  sc.w.rl t2, t0, (s0)
  bnez t2, 1b
  addi s1, s1, -1
  bnez s1, 1b

  /* 4: spinlock around a non-atomic increment */
  la s0, lock
  la s2, counter_locked
  li s1, ITERS
1:
  li t1, 1
2:
  lw t0, 0(s0)                      /* test ... */
  bnez t0, 2b
  amoswap.w.aq t0, t1, (s0)         /* ... and set */
  bnez t0, 2b
  ld t2, 0(s2)
  addi t2, t2, 1
  sd t2, 0(s2)
  amoswap.w.rl zero, zero, (s0)     /* release */
  addi s1, s1, -1
  bnez s1, 1b

  /* 5: AMOADD.W on the word next to the LR/SC word (same doubleword) */
  la s0, counter_lrsc_w + 4
  li s1, ITERS
  li t1, 2
1:
  amoadd.w zero, t1, (s0)
  addi s1, s1, -1
  bnez s1, 1b

  /* 6: a store by another hart between LR and SC makes the SC fail
        (hart 1 holds the reservation, hart 0 stores) */
  li t0, 1
  beq s11, t0, 3f
  bnez s11, 5f
  la t0, rsv_flag                   /* hart 0 */
1:
  lw t1, 0(t0)
  beqz t1, 1b                       /* hart 1 has done its LR */
  la t2, rsv_word
  li t1, 1
  sd t1, 0(t2)                      /* plain store, different value */
  fence rw, rw
  li t1, 2
  sw t1, 0(t0)
  j 5f
3:
  la t2, rsv_word                   /* hart 1 */
  la t0, rsv_flag
  lr.d a1, (t2)
  li t1, 1
  sw t1, 0(t0)
1:
  lw t1, 0(t0)
  li a2, 2
  bne t1, a2, 1b
  li a2, 5
  sc.d a3, a2, (t2)
  la t0, rsv_result
  sd a3, 0(t0)                      /* must be non-zero */
5:

  /* done barrier */
  fence rw, rw
  la t0, done
  li t1, 1
  amoadd.w zero, t1, (t0)
  bnez s11, ipi_wait

  /* hart 0: wait (bounded) for everyone and check */
  TEST("all harts finish")
  la t0, done
  li a5, 100000000
1:
  lw t2, 0(t0)
  li t1, NHARTS
  bge t2, t1, 2f
  addi a5, a5, -1
  bnez a5, 1b
  j fail
2:
  fence rw, rw
  TEST("every hart ran with a distinct mhartid 0..3")
  la t0, seen
  ld a0, 0(t0)
  CHECK_EQ(a0, (1 << NHARTS) - 1)
  TEST("amoadd.d total")
  la t0, counter_amo
  ld a0, 0(t0)
  CHECK_EQ(a0, NHARTS * ITERS)
  TEST("lr.d/sc.d total")
  la t0, counter_lrsc
  ld a0, 0(t0)
  CHECK_EQ(a0, NHARTS * ITERS)
  TEST("lr.w/sc.w total, neighbour amoadd.w total")
  la t0, counter_lrsc_w
  lw a0, 0(t0)
  CHECK_EQ(a0, NHARTS * ITERS)
  lw a0, 4(t0)
  CHECK_EQ(a0, 2 * NHARTS * ITERS)
  TEST("spinlock-protected total")
  la t0, counter_locked
  ld a0, 0(t0)
  CHECK_EQ(a0, NHARTS * ITERS)
  TEST("sc.d fails after another hart stored to the reserved address")
  la t0, rsv_result
  ld a0, 0(t0)
  beqz a0, fail
  la t0, rsv_word
  ld a0, 0(t0)
  CHECK_EQ(a0, 1)
  TEST("lock released")
  la t0, lock
  lw a0, 0(t0)
  bnez a0, fail

  /* CLINT per hart: IPIs through msip[h], timers through mtimecmp[h] */
  TEST("hart 0: own mtimecmp far away, no MSIP/MTIP pending")
  li t0, CLINT_MTIMECMP
  li t1, -1
  sd t1, 0(t0)
  csrr a0, mip
  andi a0, a0, MIP_MSIP | MIP_MTIP
  bnez a0, fail
  TEST("IPIs to harts 1..3 wake them from wfi; each takes its own timer")
  li t0, CLINT_MSIP
  li t1, 1
  sw t1, 4(t0)
  sw t1, 8(t0)
  sw t1, 12(t0)
  la t0, acks
  li a5, 100000000
1:
  lw t2, 0(t0)
  li t1, NHARTS - 1
  bge t2, t1, 2f
  addi a5, a5, -1
  bnez a5, 1b
  j fail
2:
  TEST("other harts' msip/mtimecmp did not reach hart 0")
  csrr a0, mip
  andi a0, a0, MIP_MSIP | MIP_MTIP
  bnez a0, fail
  li t0, CLINT_MSIP
  lw a0, 0(t0)
  bnez a0, fail
  lw a0, 4(t0)                      /* the others cleared their own */
  bnez a0, fail
  lw a0, 8(t0)
  bnez a0, fail
  lw a0, 12(t0)
  bnez a0, fail
  TEST("every hart saw its timer with the right mtimecmp")
  la t0, timer_seen
  ld a0, 0(t0)
  CHECK_EQ(a0, 0xe)                 /* harts 1, 2, 3 */
  li a0, 0
  j exit

/* harts 1..3: sleep until hart 0's IPI, then exercise their own timer */
ipi_wait:
  li t0, CLINT_MTIMECMP
  slli t1, s11, 3
  add s2, t0, t1                    /* s2 = &mtimecmp[hart] */
  li t1, -1
  sd t1, 0(s2)
  li t0, MIP_MSIP | MIP_MTIP
  csrw mie, t0                      /* mstatus.MIE = 0: wfi wakes, no trap */
1:
  wfi
  csrr t0, mip
  andi t0, t0, MIP_MSIP
  beqz t0, 1b
  li t0, CLINT_MSIP
  slli t1, s11, 2
  add t0, t0, t1
  sw zero, 0(t0)                    /* clear own msip */
1:
  csrr t0, mip
  andi t0, t0, MIP_MSIP
  bnez t0, 1b
  sd zero, 0(s2)                    /* own timer: due now */
1:
  wfi
  csrr t0, mip
  andi t0, t0, MIP_MTIP
  beqz t0, 1b
  li t1, -1
  sd t1, 0(s2)
1:
  csrr t0, mip
  andi t0, t0, MIP_MTIP
  bnez t0, 1b
  li t0, 1
  sll t0, t0, s11
  la t1, timer_seen
  amoor.d zero, t0, (t1)
  la t0, acks
  li t1, 1
  amoadd.w zero, t1, (t0)
  csrw mie, zero

park_forever:
  wfi
  j park_forever

  .data
  .balign 64
seen:           .dword 0
arrived:        .word 0
done:           .word 0
acks:           .word 0
rsv_flag:       .word 0
  .balign 64
rsv_word:       .dword 0
rsv_result:     .dword 0
  .balign 8
timer_seen:     .dword 0
  .balign 64
counter_amo:    .dword 0
  .balign 64
counter_lrsc:   .dword 0
  .balign 64
counter_lrsc_w: .word 0, 0
  .balign 64
lock:           .word 0
  .balign 64
counter_locked: .dword 0
