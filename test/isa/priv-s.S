/* Supervisor mode: exception delegation, sret, sstatus/sie/sip views, stvec,
   sscratch, TSR/TW/TVM, satp WARL, counter enables. */
#include "common.h"

/* S-mode trap bookkeeping (s_handler): resume address + recorded CSRs */
#define SS_RESUME 0
#define SS_CAUSE  8
#define SS_EPC    16
#define SS_TVAL   24
#define SS_STATUS 32
#define S_RESUME(lbl) la t5, lbl; la t6, s_trap_state; sd t5, SS_RESUME(t6)
#define LOAD_SS(reg, field) la reg, s_trap_state; ld reg, field(reg)
#define CHECK_SS(field, val) LOAD_SS(t0, field); CHECK_EQ(t0, val)
#define CHECK_SS_SYM(field, sym) LOAD_SS(t0, field); la t1, sym; bne t0, t1, fail
#define CLEAR_SS la t0, s_trap_state; sd zero, SS_CAUSE(t0); sd zero, SS_EPC(t0)

#define SRET_INSN 0x10200073
#define WFI_INSN  0x10500073

  .text
  .globl main
main:
  addi sp, sp, -16
  sd ra, 0(sp)
  la t0, s_handler
  csrw stvec, t0

  /* ------------------------------------------------ ecall delegation */
  TEST("ecall from S delegated to S: scause 9, sepc, stval 0, SPP = S, SPIE = SIE")
  li t0, (1 << CAUSE_USER_ECALL) | (1 << CAUSE_SUPERVISOR_ECALL)
  csrw medeleg, t0
  CLEAR_SS
  SET_RESUME(3f)
  S_RESUME(2f)
  GOTO_S(1f)
1:
  csrsi sstatus, MSTATUS_SIE        /* sie = 0: nothing can be taken */
4:
  ecall
  j fail
2:
  csrr a0, sstatus                  /* still in S-mode here */
  andi a0, a0, MSTATUS_SIE
  bnez a0, fail
  ebreak                            /* back to M */
3:
  CHECK_CAUSE(CAUSE_BREAKPOINT)
  LOAD_TS(a0, TS_STATUS)            /* the ebreak came from S */
  li t0, MSTATUS_MPP
  and a0, a0, t0
  CHECK_EQ(a0, MSTATUS_MPP_S)
  CHECK_SS(SS_CAUSE, CAUSE_SUPERVISOR_ECALL)
  CHECK_SS_SYM(SS_EPC, 4b)
  CHECK_SS(SS_TVAL, 0)
  LOAD_SS(a0, SS_STATUS)
  andi a1, a0, MSTATUS_SPP
  beqz a1, fail
  andi a1, a0, MSTATUS_SPIE
  beqz a1, fail
  andi a1, a0, MSTATUS_SIE
  bnez a1, fail

  TEST("ecall from U delegated to S: scause 8, SPP = U")
  CLEAR_SS
  SET_RESUME(3f)
  S_RESUME(2f)
  GOTO_U(1f)
1:
  ecall
  j fail
2:
  ebreak
3:
  CHECK_SS(SS_CAUSE, CAUSE_USER_ECALL)
  CHECK_SS_SYM(SS_EPC, 1b)
  LOAD_SS(a0, SS_STATUS)
  andi a1, a0, MSTATUS_SPP
  bnez a1, fail

  TEST("ecall from U not delegated goes to M")
  csrw medeleg, zero
  SET_RESUME(2f)
  GOTO_U(1f)
1:
  ecall
  j fail
2:
  CHECK_CAUSE(CAUSE_USER_ECALL)
  CHECK_EPC_SYM(1b)

  TEST("illegal instruction in U delegated to S: scause 2, stval = instruction bits")
  li t0, 1 << CAUSE_ILLEGAL_INSTRUCTION
  csrw medeleg, t0
  CLEAR_SS
  SET_RESUME(3f)
  S_RESUME(2f)
  GOTO_U(1f)
1:
  .word 0xfe000033
  ebreak                            /* not trapped: back to M, the checks fail */
2:
  ebreak
3:
  csrw medeleg, zero
  CHECK_SS(SS_CAUSE, CAUSE_ILLEGAL_INSTRUCTION)
  CHECK_SS_SYM(SS_EPC, 1b)
  CHECK_SS(SS_TVAL, 0xfe000033)

  /* --------------------------------------------------------------- sret */
  TEST("sret to U: SIE = SPIE, SPIE = 1, SPP = U")
  li t0, (1 << CAUSE_USER_ECALL) | (1 << CAUSE_SUPERVISOR_ECALL)
  csrw medeleg, t0
  CLEAR_SS
  SET_RESUME(4f)
  S_RESUME(3f)
  GOTO_S(1f)
1:
  li t0, MSTATUS_SPP
  csrc sstatus, t0                  /* SPP = U */
  li t0, MSTATUS_SPIE
  csrs sstatus, t0                  /* SPIE = 1 */
  csrci sstatus, MSTATUS_SIE
  la t0, 2f
  csrw sepc, t0
  sret
  j fail
2:
  ecall                             /* from U: sstatus.SPIE records SIE = 1 */
  j fail
3:
  ebreak
4:
  CHECK_SS(SS_CAUSE, CAUSE_USER_ECALL)
  CHECK_SS_SYM(SS_EPC, 2b)
  LOAD_SS(a0, SS_STATUS)
  andi a1, a0, MSTATUS_SPIE
  beqz a1, fail
  andi a1, a0, MSTATUS_SPP
  bnez a1, fail

  TEST("sret to S with SPIE = 0: SIE = 0, then SPP reads U")
  CLEAR_SS
  SET_RESUME(4f)
  S_RESUME(3f)
  GOTO_S(1f)
1:
  li t0, MSTATUS_SPP
  csrs sstatus, t0
  li t0, MSTATUS_SPIE
  csrc sstatus, t0
  csrsi sstatus, MSTATUS_SIE
  la t0, 2f
  csrw sepc, t0
  sret
  j fail
2:
  csrr a0, sstatus                  /* runs in S */
  andi a1, a0, MSTATUS_SIE
  bnez a1, fail
  andi a1, a0, MSTATUS_SPIE
  beqz a1, fail
  andi a1, a0, MSTATUS_SPP
  bnez a1, fail
  ecall
  j fail
3:
  ebreak
4:
  CHECK_SS(SS_CAUSE, CAUSE_SUPERVISOR_ECALL)

  TEST("sret in U is illegal")
  SET_RESUME(2f)
  GOTO_U(1f)
1:
  sret
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
  CHECK_EPC_SYM(1b)

  TEST("sret in S with mstatus.TSR = 1 is illegal")
  li t0, MSTATUS_TSR
  csrs mstatus, t0
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  sret
  j fail
2:
  li t0, MSTATUS_TSR
  csrc mstatus, t0
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
  CHECK_EPC_SYM(1b)
  CHECK_TVAL(SRET_INSN)

  /* ---------------------------------------------------------------- WFI */
  TEST("wfi in U is illegal")
  SET_RESUME(2f)
  GOTO_U(1f)
1:
  wfi
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
  CHECK_EPC_SYM(1b)
  CHECK_TVAL(WFI_INSN)
  TEST("wfi in S with TW = 1 is illegal")
  li t0, MSTATUS_TW
  csrs mstatus, t0
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  wfi
  j fail
2:
  li t0, MSTATUS_TW
  csrc mstatus, t0
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
  CHECK_EPC_SYM(1b)
  TEST("wfi in S with TW = 0 (an enabled S interrupt pending, SIE = 0) continues")
  li t0, MIP_SSIP
  csrw mideleg, t0
  csrw mie, t0
  csrs mip, t0
  csrci sstatus, MSTATUS_SIE
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  wfi
  li t0, MIP_SSIP
  csrc sip, t0
  ebreak
  j fail
2:
  CHECK_CAUSE(CAUSE_BREAKPOINT)
  csrw mie, zero
  csrw mideleg, zero

  /* ------------------------------------------------- sstatus is a view */
  TEST("sstatus shows SIE/SPIE/SPP/SUM/MXR/FS of mstatus, not M fields")
  li t0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR
  csrs mstatus, t0
  li t1, MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
  csrs mstatus, t1
  csrr a0, sstatus
  and a1, a0, t0
  bne a1, t0, fail
  and a1, a0, t1
  bnez a1, fail
  li t2, MSTATUS_FS
  and a1, a0, t2
  csrr a2, mstatus
  and a2, a2, t2
  bne a1, a2, fail
  srli a1, a0, 32
  andi a1, a1, 3
  CHECK_EQ(a1, 2)                   /* UXL = 64 */
  li t1, MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | MSTATUS_MPRV
  csrc mstatus, t1
  TEST("writing sstatus changes mstatus and leaves M fields alone")
  li t0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR
  csrc sstatus, t0
  csrr a0, mstatus
  and a1, a0, t0
  bnez a1, fail
  li t0, MSTATUS_SUM | MSTATUS_SPP
  csrs sstatus, t0
  csrr a0, mstatus
  and a1, a0, t0
  bne a1, t0, fail
  li t1, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_TSR
  csrr a2, mstatus
  csrs sstatus, t1                  /* not writable through sstatus */
  csrr a0, mstatus
  bne a0, a2, fail
  csrc sstatus, t1
  csrr a0, mstatus
  bne a0, a2, fail
  li t0, MSTATUS_SUM | MSTATUS_SPP
  csrc sstatus, t0
  TEST("FS through sstatus")
  li t0, MSTATUS_FS
  csrc sstatus, t0
  csrr a0, mstatus
  and a1, a0, t0
  bnez a1, fail
  li t1, MSTATUS_FS_INITIAL
  csrs sstatus, t1
  csrr a0, mstatus
  and a1, a0, t0
  CHECK_EQ(a1, MSTATUS_FS_INITIAL)
  TEST("sstatus from S-mode; mstatus from S-mode is illegal")
  li t0, MSTATUS_MXR
  csrs mstatus, t0
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  csrr a0, sstatus
  li t0, MSTATUS_MXR
  and a1, a0, t0
  beqz a1, fail
  csrc sstatus, t0
3:
  csrr a0, mstatus
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
  CHECK_EPC_SYM(3b)
  csrr a0, mstatus
  li t0, MSTATUS_MXR
  and a1, a0, t0
  bnez a1, fail
  TEST("sstatus from U-mode is illegal")
  SET_RESUME(2f)
  GOTO_U(1f)
1:
  csrr a0, sstatus
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
  CHECK_EPC_SYM(1b)

  /* -------------------------------------------- stvec, sscratch, sepc... */
  TEST("S CSRs read/write from S-mode")
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  li a0, 0x1122334455667788
  csrw sscratch, a0
  csrr a1, sscratch
  bne a0, a1, fail
  csrrw a1, stvec, zero
  csrw stvec, a1
  csrr a2, stvec
  bne a1, a2, fail
  li a0, 0x80002000
  csrw sepc, a0
  csrr a1, sepc
  bne a0, a1, fail
  li a0, 0x8000000000000005
  csrw scause, a0
  csrr a1, scause
  bne a0, a1, fail
  li a0, 0xdeadbeef
  csrw stval, a0
  csrr a1, stval
  bne a0, a1, fail
  ebreak
  j fail
2:
  CHECK_CAUSE(CAUSE_BREAKPOINT)
  csrr a0, sscratch
  CHECK_EQ(a0, 0x1122334455667788)
  TEST("vectored stvec: exceptions go to the base")
  li t0, 1 << CAUSE_SUPERVISOR_ECALL
  csrw medeleg, t0
  la t0, s_handler
  ori t0, t0, 1
  csrw stvec, t0
  CLEAR_SS
  SET_RESUME(4f)
  S_RESUME(3f)
  GOTO_S(1f)
1:
  ecall
  j fail
3:
  ebreak
4:
  CHECK_SS(SS_CAUSE, CAUSE_SUPERVISOR_ECALL)
  la t0, s_handler
  csrw stvec, t0
  csrw medeleg, zero

  /* ------------------------------------------------------------- TVM */
  TEST("TVM = 1: satp access and sfence.vma are illegal in S")
  li t0, MSTATUS_TVM
  csrs mstatus, t0
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  csrr a0, satp
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
  CHECK_EPC_SYM(1b)
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  csrw satp, zero
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
  CHECK_EPC_SYM(1b)
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  sfence.vma
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
  CHECK_EPC_SYM(1b)
  CHECK_TVAL(0x12000073)
  TEST("TVM does not affect M-mode")
  csrr a0, satp
  sfence.vma
  li t0, MSTATUS_TVM
  csrc mstatus, t0
  TEST("TVM = 0: satp and sfence.vma legal in S; sfence.vma in U is illegal")
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  csrr a0, satp
  csrw satp, zero
  sfence.vma
  sfence.vma zero, zero
  ebreak
  j fail
2:
  CHECK_CAUSE(CAUSE_BREAKPOINT)
  SET_RESUME(2f)
  GOTO_U(1f)
1:
  sfence.vma
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)

  /* ------------------------------------------------------ satp WARL */
  TEST("satp writes with a reserved mode are ignored entirely")
  li s1, (8 << 60) | (0x1234 << 44) | 0x80123   /* Sv39, ASID 0x1234 (if supported) */
  csrw satp, s1
  csrr s1, satp                     /* whatever was accepted */
  srli a0, s1, 60
  CHECK_EQ(a0, 8)
  li a0, (1 << 60) | 0x5555
  csrw satp, a0
  csrr a1, satp
  bne a1, s1, fail
  li a0, (7 << 60) | 0x5555
  csrw satp, a0
  csrr a1, satp
  bne a1, s1, fail
  li a0, (11 << 60) | 0x5555
  csrw satp, a0
  csrr a1, satp
  bne a1, s1, fail
  li a0, (15 << 60) | 0x5555
  csrw satp, a0
  csrr a1, satp
  bne a1, s1, fail
  TEST("satp mode 10 (Sv57): accepted or ignored")
  li a0, (10 << 60) | 0x5555
  csrw satp, a0
  csrr a1, satp
  beq a1, s1, 1f
  srli a1, a1, 60
  CHECK_EQ(a1, 10)
1:
  csrw satp, zero
  csrr a1, satp
  bnez a1, fail

  /* ------------------------------------------------- counter enables */
  TEST("mcounteren = 0: cycle/instret illegal in S and U")
  csrw mcounteren, zero
  csrw scounteren, zero
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  csrr a0, cycle
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
  CHECK_EPC_SYM(1b)
  SET_RESUME(2f)
  GOTO_U(1f)
1:
  csrr a0, instret
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
  TEST("mcounteren.CY/IR = 1: readable in S, still illegal in U with scounteren = 0")
  li t0, 0x5
  csrw mcounteren, t0
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  csrr a0, cycle
  csrr a0, instret
  ebreak
2:
  CHECK_CAUSE(CAUSE_BREAKPOINT)
  SET_RESUME(2f)
  GOTO_U(1f)
1:
  csrr a0, cycle
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
  CHECK_EPC_SYM(1b)
  TEST("mcounteren and scounteren set: readable in U; IR clear: instret illegal")
  li t0, 0x1
  csrw scounteren, t0
  SET_RESUME(2f)
  GOTO_U(1f)
1:
  csrr a0, cycle
  ebreak
2:
  CHECK_CAUSE(CAUSE_BREAKPOINT)
  SET_RESUME(2f)
  GOTO_U(1f)
1:
  csrr a0, instret
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
  CHECK_EPC_SYM(1b)
  TEST("mcounteren.TM gates time in S (skipped without a time CSR)")
  IF_QUIRK(QUIRK_NO_TIME_CSR, 3f)
  li t0, 0x2
  csrw mcounteren, t0
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  csrr a0, time
  ebreak
2:
  CHECK_CAUSE(CAUSE_BREAKPOINT)
  csrw mcounteren, zero
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  csrr a0, time
  j fail
2:
  CHECK_CAUSE(CAUSE_ILLEGAL_INSTRUCTION)
3:
  li t0, -1
  csrw mcounteren, t0
  csrw scounteren, t0

  /* ------------------------------------------------------- sie / sip */
  TEST("sie/sip show only delegated interrupts")
  li t0, MIP_SSIP | MIP_STIP | MIP_SEIP
  csrw mideleg, t0
  csrw sie, zero
  li t1, MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MSIP | MIP_MTIP
  csrs sie, t1
  csrr a0, sie
  CHECK_EQ(a0, MIP_SSIP | MIP_STIP | MIP_SEIP)
  csrr a0, mie
  li t2, MIP_MSIP | MIP_MTIP
  and a1, a0, t2
  bnez a1, fail
  and a1, a0, t0
  bne a1, t0, fail
  csrw mideleg, zero
  csrr a0, sie
  bnez a0, fail                     /* nothing delegated: read-only zero */
  csrw mie, zero
  TEST("sip.SSIP is writable from S, sip.STIP is not")
  li t0, MIP_SSIP | MIP_STIP
  csrw mideleg, t0
  SET_RESUME(2f)
  GOTO_S(1f)
1:
  csrci sstatus, MSTATUS_SIE
  li t0, MIP_SSIP
  csrs sip, t0
  csrr a0, sip
  andi a0, a0, MIP_SSIP
  beqz a0, fail
  csrc sip, t0
  csrr a0, sip
  andi a0, a0, MIP_SSIP
  bnez a0, fail
  li t0, MIP_STIP
  csrs sip, t0
  ebreak
  j fail
2:
  CHECK_CAUSE(CAUSE_BREAKPOINT)
  csrr a0, mip
  andi a0, a0, MIP_STIP | MIP_SSIP
  bnez a0, fail
  csrw mideleg, zero

  ld ra, 0(sp)
  addi sp, sp, 16
  ret

/* S-mode trap handler: record, then continue in S at the resume address */
  .balign 4
s_handler:
  la t6, s_trap_state
  csrr t5, scause
  sd t5, SS_CAUSE(t6)
  csrr t5, sepc
  sd t5, SS_EPC(t6)
  csrr t5, stval
  sd t5, SS_TVAL(t6)
  csrr t5, sstatus
  sd t5, SS_STATUS(t6)
  ld t5, SS_RESUME(t6)
  beqz t5, 1f
  sd zero, SS_RESUME(t6)
  jr t5
1:                                  /* unexpected S-mode trap: report from M */
  la t6, trap_state
  sd zero, TS_RESUME(t6)
  ebreak

  .data
  .balign 8
s_trap_state: .dword 0, 0, 0, 0, 0
