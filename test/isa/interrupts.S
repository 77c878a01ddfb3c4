/* Interrupts: CLINT software and timer interrupts, mip/mie, global enables per
   privilege level, priority MSI > MTI > SEI > SSI > STI, delegation to S via
   mideleg, SSIP set by software, vectored mtvec, WFI wake-up.
   (MEI is not covered: the bare-metal runner has no interrupt controller.) */
#include "common.h"

#define INTR(c) (CAUSE_INTR | (c))

/* wait (bounded) until the M-mode interrupt log holds n entries */
#define WAIT_IRQS(n)                                                \
  li a5, 1000000;                                                   \
  la a4, irq_log;                                                   \
8: ld a3, 0(a4);                                                    \
  li t2, n;                                                         \
  bgeu a3, t2, 9f;                                                  \
  addi a5, a5, -1;                                                  \
  bnez a5, 8b;                                                      \
  j fail;                                                           \
9:
#define CHECK_IRQ(i, cause) la a4, irq_log; ld a3, 8 * ((i) + 1)(a4); CHECK_EQ(a3, cause)
/* priority order checks: the reference (QEMU 7.2) takes the lowest cause first */
#define CHECK_IRQ_PRIO(log, i, cause, qcause) \
  IF_QUIRK(QUIRK_IRQ_PRIO_BY_NUMBER, 7f); \
  la a4, log; ld a3, 8 * ((i) + 1)(a4); CHECK_EQ(a3, cause); j 6f; \
7: la a4, log; ld a3, 8 * ((i) + 1)(a4); CHECK_EQ(a3, qcause); \
6:
#define CHECK_NIRQ(n) la a4, irq_log; ld a3, 0(a4); CHECK_EQ(a3, n)
#define RESET_IRQ_LOG la a4, irq_log; sd zero, 0(a4); la a4, s_log; sd zero, 0(a4)
#define CHECK_SIRQ(i, cause) la a4, s_log; ld a3, 8 * ((i) + 1)(a4); CHECK_EQ(a3, cause)
#define CHECK_NSIRQ(n) la a4, s_log; ld a3, 0(a4); CHECK_EQ(a3, n)

  .text
  .globl main
main:
  addi sp, sp, -16
  sd ra, 0(sp)
  la t0, irq_handler
  csrw mtvec, t0
  la t0, s_irq_handler
  csrw stvec, t0
  li t0, CLINT_MTIMECMP
  li t1, -1
  sd t1, 0(t0)

  /* ------------------------------------------------------ M software */
  TEST("msip raises mip.MSIP, cleared with msip")
  csrci mstatus, MSTATUS_MIE
  csrw mie, zero
  li s0, CLINT_MSIP
  li t0, 1
  sw t0, 0(s0)
  lw t1, 0(s0)
  CHECK_EQ(t1, 1)
  csrr a0, mip
  andi a0, a0, MIP_MSIP
  beqz a0, fail
  sw zero, 0(s0)
  csrr a0, mip
  andi a0, a0, MIP_MSIP
  bnez a0, fail
  TEST("mip.MSIP and mip.MTIP are read-only in mip")
  li t0, MIP_MSIP | MIP_MTIP
  csrs mip, t0
  csrr a0, mip
  and a0, a0, t0
  bnez a0, fail
  TEST("machine software interrupt: cause 3, taken once")
  RESET_IRQ_LOG
  li t0, MIP_MSIP
  csrw mie, t0
  csrsi mstatus, MSTATUS_MIE
  li t0, 1
  sw t0, 0(s0)
  WAIT_IRQS(1)
  csrci mstatus, MSTATUS_MIE
  CHECK_NIRQ(1)
  CHECK_IRQ(0, INTR(IRQ_M_SOFT))
  TEST("no interrupt with mstatus.MIE = 0 in M-mode")
  RESET_IRQ_LOG
  li t0, 1
  sw t0, 0(s0)
  li a0, 1000
1:
  addi a0, a0, -1
  bnez a0, 1b
  CHECK_NIRQ(0)
  TEST("... taken as soon as MIE is set")
  csrsi mstatus, MSTATUS_MIE
  nop
  nop
  WAIT_IRQS(1)
  csrci mstatus, MSTATUS_MIE
  TEST("no interrupt when the mie bit is clear")
  RESET_IRQ_LOG
  csrw mie, zero
  li t0, 1
  sw t0, 0(s0)
  csrsi mstatus, MSTATUS_MIE
  li a0, 1000
1:
  addi a0, a0, -1
  bnez a0, 1b
  csrci mstatus, MSTATUS_MIE
  sw zero, 0(s0)
  CHECK_NIRQ(0)

  /* --------------------------------------------------------- M timer */
  TEST("mtime advances; mtimecmp in the future: no MTIP")
  li s1, CLINT_MTIME
  li s2, CLINT_MTIMECMP
  ld a0, 0(s1)
  li t0, 1000000000
  add a1, a0, t0
  sd a1, 0(s2)
  ld a2, 0(s2)
  bne a2, a1, fail
  csrr a3, mip
  andi a3, a3, MIP_MTIP
  bnez a3, fail
  li a5, 1000000
1:
  ld a2, 0(s1)
  bne a2, a0, 2f
  addi a5, a5, -1
  bnez a5, 1b
  j fail
2:
  TEST("mtimecmp in the past: MTIP pending, timer interrupt cause 7")
  sd zero, 0(s2)
  li a5, 1000000
1:
  csrr a3, mip
  andi a3, a3, MIP_MTIP
  bnez a3, 2f
  addi a5, a5, -1
  bnez a5, 1b
  j fail
2:
  RESET_IRQ_LOG
  li t0, MIP_MTIP
  csrw mie, t0
  csrsi mstatus, MSTATUS_MIE
  WAIT_IRQS(1)
  csrci mstatus, MSTATUS_MIE
  CHECK_NIRQ(1)
  CHECK_IRQ(0, INTR(IRQ_M_TIMER))
  csrr a3, mip                      /* the handler moved mtimecmp away */
  andi a3, a3, MIP_MTIP
  bnez a3, fail
  TEST("wfi sleeps until the timer fires")
  RESET_IRQ_LOG
  ld a0, 0(s1)
  addi a0, a0, 200
  sd a0, 0(s2)
  li t0, MIP_MTIP
  csrw mie, t0
  li a5, 1000000                    /* (WFI may also be a nop) */
1:                                  /* check, then wfi with MIE = 0: no lost wake-up */
  la a4, irq_log
  ld a3, 0(a4)
  bnez a3, 2f
  wfi
  csrsi mstatus, MSTATUS_MIE        /* take it */
  nop
  csrci mstatus, MSTATUS_MIE
  addi a5, a5, -1
  bnez a5, 1b
  j fail
2:
  CHECK_IRQ(0, INTR(IRQ_M_TIMER))
  ld a1, 0(s1)
  bltu a1, a0, fail                 /* not before mtimecmp */
  csrw mie, zero

  /* ---------------------------------------------------------- priority */
  TEST("priority: MSI > MTI > SEI > SSI > STI")
  RESET_IRQ_LOG
  li t0, 1
  sw t0, 0(s0)                      /* MSIP */
  sd zero, 0(s2)                    /* MTIP */
  li t0, MIP_SEIP | MIP_SSIP | MIP_STIP
  csrs mip, t0
  csrr a0, mip
  li t1, MIP_SEIP | MIP_SSIP | MIP_STIP
  and a1, a0, t1
  bne a1, t1, fail
1:
  csrr a0, mip
  andi a0, a0, MIP_MTIP
  beqz a0, 1b
  li t0, MIP_MSIP | MIP_MTIP | MIP_SEIP | MIP_SSIP | MIP_STIP
  csrw mie, t0
  csrsi mstatus, MSTATUS_MIE
  WAIT_IRQS(5)
  csrci mstatus, MSTATUS_MIE
  CHECK_NIRQ(5)
  CHECK_IRQ_PRIO(irq_log, 0, INTR(IRQ_M_SOFT), INTR(IRQ_S_SOFT))
  CHECK_IRQ_PRIO(irq_log, 1, INTR(IRQ_M_TIMER), INTR(IRQ_M_SOFT))
  CHECK_IRQ_PRIO(irq_log, 2, INTR(IRQ_S_EXT), INTR(IRQ_S_TIMER))
  CHECK_IRQ_PRIO(irq_log, 3, INTR(IRQ_S_SOFT), INTR(IRQ_M_TIMER))
  CHECK_IRQ_PRIO(irq_log, 4, INTR(IRQ_S_TIMER), INTR(IRQ_S_EXT))
  TEST("priority without the M sources: SEI > SSI > STI")
  RESET_IRQ_LOG
  li t0, MIP_STIP | MIP_SSIP | MIP_SEIP
  csrs mip, t0
  csrsi mstatus, MSTATUS_MIE
  WAIT_IRQS(3)
  csrci mstatus, MSTATUS_MIE
  CHECK_IRQ_PRIO(irq_log, 0, INTR(IRQ_S_EXT), INTR(IRQ_S_SOFT))
  CHECK_IRQ_PRIO(irq_log, 1, INTR(IRQ_S_SOFT), INTR(IRQ_S_TIMER))
  CHECK_IRQ_PRIO(irq_log, 2, INTR(IRQ_S_TIMER), INTR(IRQ_S_EXT))
  csrw mie, zero

  /* ------------------------------------------------------- vectored */
  TEST("vectored mtvec: MSI at base + 4*3, MTI at base + 4*7")
  RESET_IRQ_LOG
  la t0, vec_table
  ori t0, t0, 1
  csrw mtvec, t0
  la a4, vec_hits
  sd zero, 0(a4)
  sd zero, 8(a4)
  li t0, MIP_MSIP | MIP_MTIP
  csrw mie, t0
  li t0, 1
  sw t0, 0(s0)
  csrsi mstatus, MSTATUS_MIE
  WAIT_IRQS(1)
  csrci mstatus, MSTATUS_MIE
  la a4, vec_hits
  ld a3, 0(a4)
  CHECK_EQ(a3, 1 << 24)             /* byte 3 */
  sd zero, 0(s2)
  csrsi mstatus, MSTATUS_MIE
  WAIT_IRQS(2)
  csrci mstatus, MSTATUS_MIE
  la a4, vec_hits
  ld a3, 0(a4)
  CHECK_EQ(a3, (1 << 24) | (1 << 56)) /* bytes 3 and 7 */
  TEST("vectored mtvec: exceptions still go to the base")
  SET_RESUME(1f)
  ecall
1:
  CHECK_CAUSE(CAUSE_MACHINE_ECALL)
  la t0, irq_handler
  csrw mtvec, t0
  csrw mie, zero

  /* ----------------------------------------- M interrupts in lower modes */
  TEST("M interrupt while in S with mstatus.MIE = 0 is taken")
  RESET_IRQ_LOG
  li t0, MIP_MSIP
  csrw mie, t0
  li t0, MSTATUS_MPIE
  csrc mstatus, t0                  /* mret leaves MIE = 0 */
  li t0, 1
  sw t0, 0(s0)
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  li a5, 100000
3:
  addi a5, a5, -1
  bnez a5, 3b
  ebreak
2:
  CHECK_CAUSE(CAUSE_BREAKPOINT)
  CHECK_NIRQ(1)
  CHECK_IRQ(0, INTR(IRQ_M_SOFT))
  la a4, irq_last_status
  ld a3, 0(a4)
  li t0, MSTATUS_MPP
  and a3, a3, t0
  CHECK_EQ(a3, MSTATUS_MPP_S)       /* taken from S */
  csrw mie, zero

  /* ------------------------------------------------------- delegation */
  TEST("non-delegated SSI is taken in M")
  RESET_IRQ_LOG
  csrw mideleg, zero
  li t0, MIP_SSIP
  csrw mie, t0
  csrs mip, t0
  csrsi mstatus, MSTATUS_MIE
  WAIT_IRQS(1)
  csrci mstatus, MSTATUS_MIE
  CHECK_IRQ(0, INTR(IRQ_S_SOFT))
  TEST("delegated SSI is never taken in M")
  RESET_IRQ_LOG
  li t0, MIP_SSIP | MIP_STIP | MIP_SEIP
  csrw mideleg, t0
  li t0, MIP_SSIP
  csrs mip, t0
  csrsi mstatus, MSTATUS_MIE
  csrsi sstatus, MSTATUS_SIE
  li a0, 1000
1:
  addi a0, a0, -1
  bnez a0, 1b
  csrci mstatus, MSTATUS_MIE
  CHECK_NIRQ(0)
  CHECK_NSIRQ(0)
  TEST("delegated SSI taken in S when SIE = 1: scause = intr | 1")
  csrci sstatus, MSTATUS_SIE
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  li a5, 1000
3:
  addi a5, a5, -1
  bnez a5, 3b                       /* SIE = 0: not yet */
  la a4, s_log
  ld a3, 0(a4)
  bnez a3, 4f
  csrsi sstatus, MSTATUS_SIE        /* now */
  li a5, 100000
3:
  ld a3, 0(a4)
  bnez a3, 4f
  addi a5, a5, -1
  bnez a5, 3b
4:
  csrci sstatus, MSTATUS_SIE
  ebreak
2:
  CHECK_CAUSE(CAUSE_BREAKPOINT)
  CHECK_NIRQ(0)
  CHECK_NSIRQ(1)
  CHECK_SIRQ(0, INTR(IRQ_S_SOFT))
  csrr a0, mip
  andi a0, a0, MIP_SSIP
  bnez a0, fail
  TEST("S software can raise SSIP through sip and take it")
  la a4, s_log
  sd zero, 0(a4)
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  csrsi sstatus, MSTATUS_SIE
  li t0, MIP_SSIP
  csrs sip, t0
  li a5, 100000
3:
  ld a3, 0(a4)
  bnez a3, 4f
  addi a5, a5, -1
  bnez a5, 3b
4:
  csrci sstatus, MSTATUS_SIE
  ebreak
2:
  CHECK_NSIRQ(1)
  CHECK_SIRQ(0, INTR(IRQ_S_SOFT))
  TEST("vectored stvec: SSI at base + 4*1")
  la a4, s_log
  sd zero, 0(a4)
  la a4, vec_hits
  sd zero, 0(a4)
  sd zero, 8(a4)
  la t0, s_vec_table
  ori t0, t0, 1
  csrw stvec, t0
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  csrsi sstatus, MSTATUS_SIE
  li t0, MIP_SSIP
  csrs sip, t0
  li a5, 100000
3:
  ld a3, 0(a4)
  bnez a3, 4f
  addi a5, a5, -1
  bnez a5, 3b
4:
  csrci sstatus, MSTATUS_SIE
  ebreak
2:
  la t0, s_irq_handler
  csrw stvec, t0
  CHECK_NSIRQ(1)
  la a4, vec_hits
  ld a3, 8(a4)
  CHECK_EQ(a3, 1 << 8)              /* byte 8 + 1 */
  TEST("delegated SSI in U-mode is taken even with SIE = 0")
  la a4, s_log
  sd zero, 0(a4)
  csrci sstatus, MSTATUS_SIE
  li t0, MIP_SSIP
  csrs mip, t0
  SET_RESUME(2f)
  GOTO_U(1f)
1:
  li a5, 100000
3:
  addi a5, a5, -1
  bnez a5, 3b
  ebreak                            /* (the S handler returns to U) */
2:
  CHECK_CAUSE(CAUSE_BREAKPOINT)
  CHECK_NSIRQ(1)
  CHECK_SIRQ(0, INTR(IRQ_S_SOFT))
  LOAD_TS(a0, TS_STATUS)            /* ebreak came from U */
  li t0, MSTATUS_MPP
  and a0, a0, t0
  bnez a0, fail
  TEST("delegated STI (mip.STIP set by M) taken in S: scause = intr | 5")
  la a4, s_log
  sd zero, 0(a4)
  li t0, MIP_STIP
  csrs mip, t0
  li t0, MIP_STIP | MIP_SSIP | MIP_SEIP
  csrw mie, t0
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  csrsi sstatus, MSTATUS_SIE
  li a5, 100000
3:
  ld a3, 0(a4)
  bnez a3, 4f
  addi a5, a5, -1
  bnez a5, 3b
4:
  csrci sstatus, MSTATUS_SIE
  ebreak
2:
  li t0, MIP_STIP
  csrc mip, t0
  CHECK_NSIRQ(1)
  CHECK_SIRQ(0, INTR(IRQ_S_TIMER))
  TEST("delegated priority in S: SEI > SSI > STI")
  la a4, s_log
  sd zero, 0(a4)
  li t0, MIP_STIP | MIP_SSIP | MIP_SEIP
  csrw mie, t0
  csrs mip, t0
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  csrsi sstatus, MSTATUS_SIE
  li a5, 100000
3:
  ld a3, 0(a4)
  li t0, 3
  bgeu a3, t0, 4f
  addi a5, a5, -1
  bnez a5, 3b
4:
  csrci sstatus, MSTATUS_SIE
  ebreak
2:
  li t0, MIP_STIP | MIP_SSIP | MIP_SEIP
  csrc mip, t0
  CHECK_NSIRQ(3)
  CHECK_IRQ_PRIO(s_log, 0, INTR(IRQ_S_EXT), INTR(IRQ_S_SOFT))
  CHECK_IRQ_PRIO(s_log, 1, INTR(IRQ_S_SOFT), INTR(IRQ_S_TIMER))
  CHECK_IRQ_PRIO(s_log, 2, INTR(IRQ_S_TIMER), INTR(IRQ_S_EXT))
  TEST("M interrupts preempt S even when delegated S interrupts are pending")
  RESET_IRQ_LOG
  li t0, MIP_SSIP
  csrs mip, t0
  li t0, MIP_SSIP | MIP_MSIP
  csrw mie, t0
  li t0, 1
  sw t0, 0(s0)
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  csrsi sstatus, MSTATUS_SIE
  li a5, 100000
3:
  la a4, s_log
  ld a3, 0(a4)
  bnez a3, 4f
  addi a5, a5, -1
  bnez a5, 3b
4:
  csrci sstatus, MSTATUS_SIE
  ebreak
2:
  CHECK_NIRQ(1)
  CHECK_IRQ(0, INTR(IRQ_M_SOFT))
  CHECK_NSIRQ(1)
  CHECK_SIRQ(0, INTR(IRQ_S_SOFT))
  la a4, irq_log                    /* M first */
  ld a3, 16 * 8(a4)
  la a4, s_log
  ld a2, 16 * 8(a4)
  bgeu a3, a2, fail
  csrw mie, zero
  csrw mideleg, zero

  ld ra, 0(sp)
  addi sp, sp, 16
  ret

/* ---------------------------------------------------------------------
 * M-mode handler: exceptions go to the common trap_entry; interrupts are
 * logged (irq_log[0] = count, [1..] = mcause, [16] = order stamp) and their
 * source is cleared, then execution resumes where it was interrupted.
 */
  .balign 4
irq_handler:
  csrr t5, mcause
  bgez t5, trap_entry
  la t6, irq_save
  sd t4, 0(t6)
  sd t3, 8(t6)
  la t6, irq_log
  ld t4, 0(t6)
  addi t4, t4, 1
  sd t4, 0(t6)
  slli t4, t4, 3
  add t4, t4, t6
  sd t5, 0(t4)
  la t4, order_clock                /* stamp for ordering M vs S */
  ld t3, 0(t4)
  addi t3, t3, 1
  sd t3, 0(t4)
  sd t3, 16 * 8(t6)
  csrr t4, mstatus
  la t6, irq_last_status
  sd t4, 0(t6)
  slli t5, t5, 1
  srli t5, t5, 1                    /* interrupt code */
  li t4, IRQ_M_SOFT
  bne t5, t4, 1f
  li t6, CLINT_MSIP
  sw zero, 0(t6)
1:
  li t4, IRQ_M_TIMER
  bne t5, t4, 1f
  li t6, CLINT_MTIMECMP
  li t4, -1
  sd t4, 0(t6)
1:
  li t4, 1
  sll t4, t4, t5
  li t6, MIP_SSIP | MIP_STIP | MIP_SEIP
  and t4, t4, t6
  csrc mip, t4
  la t6, irq_save
  ld t4, 0(t6)
  ld t3, 8(t6)
  mret

/* S-mode handler: log scause, silence the source, sret */
  .balign 4
s_irq_handler:
  csrr t5, scause
  bgez t5, 2f
  la t6, irq_save
  sd t4, 16(t6)
  sd t3, 24(t6)
  la t6, s_log
  ld t4, 0(t6)
  addi t4, t4, 1
  sd t4, 0(t6)
  slli t4, t4, 3
  add t4, t4, t6
  sd t5, 0(t4)
  la t4, order_clock
  ld t3, 0(t4)
  addi t3, t3, 1
  sd t3, 0(t4)
  sd t3, 16 * 8(t6)
  slli t5, t5, 1
  srli t5, t5, 1
  li t4, 1
  sll t4, t4, t5
  li t6, MIP_SSIP
  and t6, t4, t6
  csrc sip, t6                      /* SSIP: clear the source */
  li t6, MIP_STIP | MIP_SEIP
  and t6, t4, t6
  csrc sie, t6                      /* STIP/SEIP: S cannot clear them, disable */
  la t6, irq_save
  ld t4, 16(t6)
  ld t3, 24(t6)
  sret
2:
  la t6, trap_state                 /* unexpected S exception: report from M */
  sd zero, TS_RESUME(t6)
  ebreak

/* vectored table: entry i records bit i in vec_hits then joins irq_handler */
  .balign 256
vec_table:
  .option push
  .option norvc
  j trap_entry
  .irp i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
  j vec_\i
  .endr
  .irp i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
vec_\i:
  la t6, vec_hits
  li t5, 1
  sb t5, \i(t6)
  j irq_handler
  .endr
  .option pop

/* S vectored table: entry i records byte 8 + i of vec_hits */
  .balign 256
s_vec_table:
  .option push
  .option norvc
  j s_irq_handler
  .irp i, 1, 2, 3, 4, 5, 6, 7
  j svec_\i
  .endr
  .irp i, 1, 2, 3, 4, 5, 6, 7
svec_\i:
  la t6, vec_hits
  li t5, 1
  sb t5, 8 + \i(t6)
  j s_irq_handler
  .endr
  .option pop

  .data
  .balign 8
irq_save: .dword 0, 0, 0, 0
irq_log: .fill 17, 8, 0
s_log: .fill 17, 8, 0
order_clock: .dword 0
irq_last_status: .dword 0
vec_hits: .dword 0, 0
