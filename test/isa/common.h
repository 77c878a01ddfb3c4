/*
 * Shared start-up code, HTIF helpers and test macros for the Amber ISA test
 * programs (test/isa/*.S).  Written for Amber; the macro style follows the
 * conventions of riscv-tests (TEST_RR_OP & co.) but the code is our own.
 *
 * Conventions
 *  - Every program defines `main` (called on hart 0 with a0 = hartid, or on
 *    every hart when MULTIHART is defined before including this file).
 *    Returning from main = pass (exit code 0).
 *  - gp (x3) holds the number of the running test.  `j fail` reports it:
 *    prints "FAIL: <file>: test <n> (line <l>: <what>)" and exits with code n
 *    (if n is a multiple of 256 the code is n|1 so a truncated status is never 0).
 *  - The M-mode trap handler clobbers only t5/t6.  A test that expects a trap
 *    sets a resume address (SET_RESUME); the handler records mcause, mepc,
 *    mtval and mstatus in trap_state, and "returns" to the resume address in
 *    M-mode.  A trap with no resume address set is reported as unexpected.
 *  - Test macros use a0-a5, t0-t2 freely and numeric labels 8 and 9; test
 *    bodies written by hand use labels 1-7.
 */
#ifndef AMBER_ISA_COMMON_H
#define AMBER_ISA_COMMON_H
  .option nopic

#define STR_(x) #x
#define STR(x) STR_(x)

/* ---------------------------------------------------------------- CSR bits */
#define MSTATUS_SIE   0x2
#define MSTATUS_MIE   0x8
#define MSTATUS_SPIE  0x20
#define MSTATUS_UBE   0x40
#define MSTATUS_MPIE  0x80
#define MSTATUS_SPP   0x100
#define MSTATUS_MPP   0x1800
#define MSTATUS_MPP_S 0x0800
#define MSTATUS_MPP_M 0x1800
#define MSTATUS_FS    0x6000
#define MSTATUS_FS_INITIAL 0x2000
#define MSTATUS_FS_CLEAN   0x4000
#define MSTATUS_FS_DIRTY   0x6000
#define MSTATUS_XS    0x18000
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)
#define MSTATUS_UXL   (3 << 32)
#define MSTATUS_SXL   (3 << 34)
#define MSTATUS_SD    (1 << 63)

#define IRQ_S_SOFT   1
#define IRQ_M_SOFT   3
#define IRQ_S_TIMER  5
#define IRQ_M_TIMER  7
#define IRQ_S_EXT    9
#define IRQ_M_EXT    11
#define MIP_SSIP (1 << IRQ_S_SOFT)
#define MIP_MSIP (1 << IRQ_M_SOFT)
#define MIP_STIP (1 << IRQ_S_TIMER)
#define MIP_MTIP (1 << IRQ_M_TIMER)
#define MIP_SEIP (1 << IRQ_S_EXT)
#define MIP_MEIP (1 << IRQ_M_EXT)
#define CAUSE_INTR   (1 << 63)

#define CAUSE_MISALIGNED_FETCH    0
#define CAUSE_FETCH_ACCESS        1
#define CAUSE_ILLEGAL_INSTRUCTION 2
#define CAUSE_BREAKPOINT          3
#define CAUSE_MISALIGNED_LOAD     4
#define CAUSE_LOAD_ACCESS         5
#define CAUSE_MISALIGNED_STORE    6
#define CAUSE_STORE_ACCESS        7
#define CAUSE_USER_ECALL          8
#define CAUSE_SUPERVISOR_ECALL    9
#define CAUSE_MACHINE_ECALL       11
#define CAUSE_FETCH_PAGE_FAULT    12
#define CAUSE_LOAD_PAGE_FAULT     13
#define CAUSE_STORE_PAGE_FAULT    15

#define FFLAG_NV 0x10
#define FFLAG_DZ 0x08
#define FFLAG_OF 0x04
#define FFLAG_UF 0x02
#define FFLAG_NX 0x01

/* CLINT of the bare-metal runner (QEMU virt / spike layout) */
#define CLINT_BASE     0x2000000
#define CLINT_MSIP     (CLINT_BASE + 0x0)
#define CLINT_MTIMECMP (CLINT_BASE + 0x4000)
#define CLINT_MTIME    (CLINT_BASE + 0xbff8)

/*
 * Known deviations of the reference (QEMU 7.2, spike machine) from what Amber
 * must do.  check-qemu.sh puts a word with these bits at REF_QUIRKS_ADDR (a
 * DRAM address outside every program image, zero on Amber) and the tests
 * tolerate the listed behaviour only when its bit is set.
 */
#define REF_QUIRKS_ADDR 0x80f00000
#define QUIRK_AMO_LOAD_CAUSE        0x1 /* AMO faults reported as load faults (4/5/13, not 6/7/15) */
#define QUIRK_SC_MISALIGNED_NO_TRAP 0x2 /* misaligned SC without reservation fails, no trap */
#define QUIRK_NO_TIME_CSR           0x4 /* rdtime traps (no time source on spike) */
#define QUIRK_CSR_RO_ZERO_WRITE     0x8 /* csrrs/csrrc rs1!=x0 holding 0 on a read-only CSR does not trap */
#define QUIRK_EPC_BIT0              0x10 /* mepc/sepc keep a written bit 0 */
#define QUIRK_MRET_KEEPS_MPRV       0x20 /* mret/sret to a mode below M do not clear MPRV (priv 1.11) */
#define QUIRK_IRQ_PRIO_BY_NUMBER    0x40 /* simultaneous interrupts (other than MEI) taken lowest cause first */
#define QUIRK_WALK_FAULT_IS_PF      0x80 /* a page walk reading non-existent memory raises a page fault, not an access fault */
#define IF_QUIRK(bit, lbl) la t0, ref_quirks; ld t0, 0(t0); andi t0, t0, bit; bnez t0, lbl

/* trap_state layout */
#define TS_RESUME 0
#define TS_CAUSE  8
#define TS_EPC    16
#define TS_TVAL   24
#define TS_STATUS 32
#define TS_COUNT  40

/* ------------------------------------------------------------- test naming */
/* Each test gets a number (gp) and a name record "line N: text" in .testnames. */
#define TEST_NAME(n, text)                                        \
  .pushsection .testnames, "a";                                   \
  .balign 8; .dword (n); .dword 9f;                               \
  .popsection;                                                    \
  .pushsection .rodata.names, "a";                                \
9: .asciz "line " STR(__LINE__) ": " text;                        \
  .popsection

#define TEST_BEGIN(n, text) TEST_NAME((n) + 2, text); li gp, (n) + 2

/* A free-form test: TEST(text) then hand-written code that does `j fail`. */
#define TEST(text) TEST_N(__COUNTER__, text)
#define TEST_N(n, text) TEST_BEGIN(n, text)

/* ------------------------------------------------------------ small checks */
/* Compare a register with an immediate (uses t2 as scratch). */
#define CHECK_EQ(reg, val) li t2, val; bne reg, t2, fail
#define CHECK_NE(reg, val) li t2, val; beq reg, t2, fail
#define CHECK_REG(reg1, reg2) bne reg1, reg2, fail

/* trap bookkeeping */
#define SET_RESUME(lbl) la t5, lbl; la t6, trap_state; sd t5, TS_RESUME(t6)
#define CLEAR_RESUME    la t6, trap_state; sd zero, TS_RESUME(t6)
#define LOAD_TS(reg, field) la reg, trap_state; ld reg, field(reg)
#define CHECK_CAUSE(c)  LOAD_TS(t0, TS_CAUSE); CHECK_EQ(t0, c)
#define CHECK_TVAL(v)   LOAD_TS(t0, TS_TVAL); CHECK_EQ(t0, v)
#define CHECK_TVAL_SYM(s) LOAD_TS(t0, TS_TVAL); la t1, s; bne t0, t1, fail
#define CHECK_EPC_SYM(s)  LOAD_TS(t0, TS_EPC); la t1, s; bne t0, t1, fail

/*
 * TEST_TRAP(cause, code...): code must trap with the given mcause (handled in
 * M-mode); mepc must be the address of the first instruction of `code`
 * unless that check is not wanted (TEST_TRAP_ANYEPC).
 */
#define TEST_TRAP(cause, ...) TEST_TRAP_N(__COUNTER__, cause, __VA_ARGS__)
#define TEST_TRAP_N(n, cause, ...)                                \
  TEST_BEGIN(n, "trap " #cause ": " #__VA_ARGS__);                \
  SET_RESUME(8f);                                                 \
9: __VA_ARGS__;                                                   \
  j fail;                                                         \
8: CHECK_CAUSE(cause);                                            \
  LOAD_TS(t0, TS_EPC); la t1, 9b; bne t0, t1, fail

/* same, and also check mtval */
#define TEST_TRAP_TVAL(cause, tval, ...) TEST_TRAP_TVAL_N(__COUNTER__, cause, tval, __VA_ARGS__)
#define TEST_TRAP_TVAL_N(n, cause, tval, ...)                     \
  TEST_TRAP_N(n, cause, __VA_ARGS__);                             \
  CHECK_TVAL(tval)

/* same, mtval must equal the address of a symbol (+ offset) */
#define TEST_TRAP_TVALS(cause, sym, ...) TEST_TRAP_TVALS_N(__COUNTER__, cause, sym, __VA_ARGS__)
#define TEST_TRAP_TVALS_N(n, cause, sym, ...)                     \
  TEST_TRAP_N(n, cause, __VA_ARGS__);                             \
  CHECK_TVAL_SYM(sym)

/* like TEST_TRAP_TVAL, but not trapping is tolerated under a reference quirk */
#define TEST_TRAP_TVAL_Q(quirk, cause, tval, ...) TEST_TRAP_TVAL_Q_N(__COUNTER__, quirk, cause, tval, __VA_ARGS__)
#define TEST_TRAP_TVAL_Q_N(n, quirk, cause, tval, ...)            \
  TEST_BEGIN(n, "trap " #cause ": " #__VA_ARGS__);                \
  SET_RESUME(8f);                                                 \
9: __VA_ARGS__;                                                   \
  CLEAR_RESUME;                                                   \
  IF_QUIRK(quirk, 7f);                                            \
  j fail;                                                         \
8: CHECK_CAUSE(cause);                                            \
  LOAD_TS(t0, TS_EPC); la t1, 9b; bne t0, t1, fail;               \
  CHECK_TVAL(tval);                                               \
7:

/* an AMO that must fault with store/AMO cause `cause` (6, 7 or 15); the load
   cause (cause - 2) is tolerated under QUIRK_AMO_LOAD_CAUSE */
#define TEST_TRAP_AMO(cause, tval, ...) TEST_TRAP_AMO_N(__COUNTER__, cause, tval, __VA_ARGS__)
#define TEST_TRAP_AMO_N(n, cause, tval, ...)                      \
  TEST_BEGIN(n, "trap " #cause ": " #__VA_ARGS__);                \
  SET_RESUME(8f);                                                 \
9: __VA_ARGS__;                                                   \
  j fail;                                                         \
8: LOAD_TS(t0, TS_CAUSE); li t1, cause; beq t0, t1, 8f;           \
  li t1, (cause) - 2; bne t0, t1, fail;                           \
  IF_QUIRK(QUIRK_AMO_LOAD_CAUSE, 8f); j fail;                     \
8: LOAD_TS(t0, TS_EPC); la t1, 9b; bne t0, t1, fail;              \
  CHECK_TVAL(tval)

/* code must NOT trap */
#define TEST_NO_TRAP(...) TEST_NO_TRAP_N(__COUNTER__, __VA_ARGS__)
#define TEST_NO_TRAP_N(n, ...)                                    \
  TEST_BEGIN(n, "no trap: " #__VA_ARGS__);                        \
  __VA_ARGS__;                                                    \
  CLEAR_RESUME

/* ---------------------------------------------------- integer test macros */
/* generic: run code, then compare register `reg` with `result` */
#define TEST_CASE(reg, result, ...) TEST_CASE_N(__COUNTER__, reg, result, __VA_ARGS__)
#define TEST_CASE_N(n, reg, result, ...)                          \
  TEST_BEGIN(n, #__VA_ARGS__ " => " #result);                     \
  __VA_ARGS__;                                                    \
  li t2, result;                                                  \
  bne reg, t2, fail

#define TEST_RR_OP(inst, result, v1, v2) \
  TEST_CASE(a4, result, li a1, v1; li a2, v2; inst a4, a1, a2)
#define TEST_IMM_OP(inst, result, v1, imm) \
  TEST_CASE(a4, result, li a1, v1; inst a4, a1, imm)
/* rd == rs1, rd == rs2, rs1 == rs2, rd == x0, rs == x0 */
#define TEST_RR_SRC1_EQ_DEST(inst, result, v1, v2) \
  TEST_CASE(a1, result, li a1, v1; li a2, v2; inst a1, a1, a2)
#define TEST_RR_SRC2_EQ_DEST(inst, result, v1, v2) \
  TEST_CASE(a2, result, li a1, v1; li a2, v2; inst a2, a1, a2)
#define TEST_RR_SRC12_EQ_DEST(inst, result, v1) \
  TEST_CASE(a1, result, li a1, v1; inst a1, a1, a1)
#define TEST_RR_ZERODEST(inst, v1, v2) \
  TEST_CASE(x0, 0, li a1, v1; li a2, v2; inst x0, a1, a2)
#define TEST_RR_ZEROSRC1(inst, result, v2) \
  TEST_CASE(a4, result, li a2, v2; inst a4, x0, a2)
#define TEST_RR_ZEROSRC2(inst, result, v1) \
  TEST_CASE(a4, result, li a1, v1; inst a4, a1, x0)
#define TEST_IMM_SRC1_EQ_DEST(inst, result, v1, imm) \
  TEST_CASE(a1, result, li a1, v1; inst a1, a1, imm)
#define TEST_IMM_ZERODEST(inst, v1, imm) \
  TEST_CASE(x0, 0, li a1, v1; inst x0, a1, imm)
#define TEST_IMM_ZEROSRC1(inst, result, imm) \
  TEST_CASE(a4, result, inst a4, x0, imm)

/* loads: data at label `base` (address) + offset */
#define TEST_LD_OP(inst, result, offset, base) \
  TEST_CASE(a4, result, la a1, base; inst a4, offset(a1))
/* store then reload with `ld_inst` */
#define TEST_ST_OP(ld_inst, st_inst, result, offset, base) \
  TEST_CASE(a4, result, la a1, base; li a2, result; st_inst a2, offset(a1); ld_inst a4, offset(a1))

/* branches */
#define TEST_BR2_TAKEN(inst, v1, v2) TEST_BR2_TAKEN_N(__COUNTER__, inst, v1, v2)
#define TEST_BR2_TAKEN_N(n, inst, v1, v2)                          \
  TEST_BEGIN(n, #inst " " #v1 ", " #v2 " taken");                  \
  li a1, v1; li a2, v2;                                            \
  inst a1, a2, 8f;                                                 \
  j fail;                                                          \
8: inst a1, a2, 9f;                                                \
  j fail;                                                          \
9:
#define TEST_BR2_NOTTAKEN(inst, v1, v2) TEST_BR2_NOTTAKEN_N(__COUNTER__, inst, v1, v2)
#define TEST_BR2_NOTTAKEN_N(n, inst, v1, v2)                       \
  TEST_BEGIN(n, #inst " " #v1 ", " #v2 " not taken");              \
  li a1, v1; li a2, v2;                                            \
  inst a1, a2, 8f;                                                 \
  j 9f;                                                            \
8: j fail;                                                         \
9:

/* ------------------------------------------------------- FP test macros */
/*
 * Operands are loaded into f0, f1, f2 from a data block; `code` computes the
 * result into f3 (TEST_FPR_*) or into a2 (TEST_FPI_*).  fflags are cleared
 * before and compared after.  *_H variants take raw bit patterns.
 * Results in f3 are compared as bits (single: the sign-extended low word).
 */
#define FP_BLOCK(dir, a, b, c, rdir, r)                           \
  .pushsection .data.fp, "aw"; .balign 8;                         \
8: dir a; dir b; dir c; .balign 8; rdir r;                        \
  .popsection

#define FP_CORE_S(n, flags, text, ...)                            \
  TEST_BEGIN(n, text);                                            \
  la a0, 8b;                                                      \
  flw f0, 0(a0); flw f1, 4(a0); flw f2, 8(a0);                    \
  fsflags zero;                                                   \
  __VA_ARGS__;                                                    \
  frflags a1;                                                     \
  li t2, flags; bne a1, t2, fail

#define FP_CORE_D(n, flags, text, ...)                            \
  TEST_BEGIN(n, text);                                            \
  la a0, 8b;                                                      \
  fld f0, 0(a0); fld f1, 8(a0); fld f2, 16(a0);                   \
  fsflags zero;                                                   \
  __VA_ARGS__;                                                    \
  frflags a1;                                                     \
  li t2, flags; bne a1, t2, fail

/* single, FP result in f3 */
#define TEST_FPR_S(flags, r, a, b, c, ...) TEST_FPR_S_N(__COUNTER__, flags, .float, r, .float, a, b, c, __VA_ARGS__)
#define TEST_FPR_SH(flags, r, a, b, c, ...) TEST_FPR_S_N(__COUNTER__, flags, .word, r, .word, a, b, c, __VA_ARGS__)
#define TEST_FPR_S_N(n, flags, rdir, r, dir, a, b, c, ...)        \
  FP_BLOCK(dir, a, b, c, rdir, r);                                \
  FP_CORE_S(n, flags, #__VA_ARGS__ " (" #a ", " #b ", " #c ") => " #r " flags " #flags, __VA_ARGS__); \
  fmv.x.w a2, f3; lw a3, 16(a0); bne a2, a3, fail;                \
  fmv.x.d a2, f3; srai a2, a2, 32; li t2, -1; bne a2, t2, fail

/* single inputs, integer result in a2 */
#define TEST_FPI_S(flags, r, a, b, c, ...) TEST_FPI_S_N(__COUNTER__, flags, r, .float, a, b, c, __VA_ARGS__)
#define TEST_FPI_SH(flags, r, a, b, c, ...) TEST_FPI_S_N(__COUNTER__, flags, r, .word, a, b, c, __VA_ARGS__)
#define TEST_FPI_S_N(n, flags, r, dir, a, b, c, ...)              \
  FP_BLOCK(dir, a, b, c, .dword, r);                              \
  FP_CORE_S(n, flags, #__VA_ARGS__ " (" #a ", " #b ", " #c ") => " #r " flags " #flags, __VA_ARGS__); \
  ld a3, 16(a0); bne a2, a3, fail

/* double, FP result in f3 */
#define TEST_FPR_D(flags, r, a, b, c, ...) TEST_FPR_D_N(__COUNTER__, flags, .double, r, .double, a, b, c, __VA_ARGS__)
#define TEST_FPR_DH(flags, r, a, b, c, ...) TEST_FPR_D_N(__COUNTER__, flags, .dword, r, .dword, a, b, c, __VA_ARGS__)
#define TEST_FPR_D_N(n, flags, rdir, r, dir, a, b, c, ...)        \
  FP_BLOCK(dir, a, b, c, rdir, r);                                \
  FP_CORE_D(n, flags, #__VA_ARGS__ " (" #a ", " #b ", " #c ") => " #r " flags " #flags, __VA_ARGS__); \
  fmv.x.d a2, f3; ld a3, 24(a0); bne a2, a3, fail

/* double inputs, integer result in a2 */
#define TEST_FPI_D(flags, r, a, b, c, ...) TEST_FPI_D_N(__COUNTER__, flags, r, .double, a, b, c, __VA_ARGS__)
#define TEST_FPI_DH(flags, r, a, b, c, ...) TEST_FPI_D_N(__COUNTER__, flags, r, .dword, a, b, c, __VA_ARGS__)
#define TEST_FPI_D_N(n, flags, r, dir, a, b, c, ...)              \
  FP_BLOCK(dir, a, b, c, .dword, r);                              \
  FP_CORE_D(n, flags, #__VA_ARGS__ " (" #a ", " #b ", " #c ") => " #r " flags " #flags, __VA_ARGS__); \
  ld a3, 24(a0); bne a2, a3, fail

/* integer source in a0 -> FP result in f3 (code e.g. `fcvt.s.w f3, a0`) */
#define TEST_IFP_S(flags, r, v, ...) TEST_IFP_N(__COUNTER__, flags, .float, r, v, fmv.x.w, lw, __VA_ARGS__)
#define TEST_IFP_SH(flags, r, v, ...) TEST_IFP_N(__COUNTER__, flags, .word, r, v, fmv.x.w, lw, __VA_ARGS__)
#define TEST_IFP_D(flags, r, v, ...) TEST_IFP_N(__COUNTER__, flags, .double, r, v, fmv.x.d, ld, __VA_ARGS__)
#define TEST_IFP_DH(flags, r, v, ...) TEST_IFP_N(__COUNTER__, flags, .dword, r, v, fmv.x.d, ld, __VA_ARGS__)
#define TEST_IFP_N(n, flags, rdir, r, v, mvx, ldr, ...)           \
  .pushsection .data.fp, "aw"; .balign 8; 8: rdir r; .popsection; \
  TEST_BEGIN(n, #__VA_ARGS__ " (" #v ") => " #r " flags " #flags); \
  li a0, v;                                                       \
  fsflags zero;                                                   \
  __VA_ARGS__;                                                    \
  frflags a1;                                                     \
  li t2, flags; bne a1, t2, fail;                                 \
  mvx a2, f3; la a3, 8b; ldr a3, 0(a3); bne a2, a3, fail

/* ------------------------------------------------------ privilege helpers */
/* Leave M-mode for S- or U-mode at label `lbl` (clobbers t0). */
#define GOTO_MODE(mpp, lbl)                                       \
  li t0, MSTATUS_MPP; csrc mstatus, t0;                           \
  li t0, mpp; csrs mstatus, t0;                                   \
  la t0, lbl; csrw mepc, t0;                                      \
  mret
#define GOTO_S(lbl) GOTO_MODE(MSTATUS_MPP_S, lbl)
#define GOTO_U(lbl) GOTO_MODE(0, lbl)


/* ================================================================ runtime */
/* Emitted once per program (every test file includes this header once). */
  .pushsection .text.init, "ax"
  .option push
  .option norvc
  .globl _start
_start:
  csrr a0, mhartid
  /* PMP: grant everything to S/U (skipped if PMP is not implemented) */
  la t0, 1f
  csrw mtvec, t0
  li t0, -1
  csrw pmpaddr0, t0
  li t0, 0x1f                      /* NAPOT, R W X */
  csrw pmpcfg0, t0
  .balign 4
1:
  la t0, trap_entry
  csrw mtvec, t0
  csrw satp, zero
  csrw medeleg, zero
  csrw mideleg, zero
  csrw mie, zero
  csrw mscratch, zero
  li t0, MSTATUS_FS
  csrc mstatus, t0
  li t0, MSTATUS_FS_INITIAL | MSTATUS_MIE | MSTATUS_MPRV
  csrc mstatus, t0
  li t0, MSTATUS_FS_INITIAL
  csrs mstatus, t0
  csrwi fcsr, 0
  /* hart 0: fetch the reference-quirks word (see REF_QUIRKS_ADDR) */
  bnez a0, 2f
  la t0, trap_state
  la t1, 2f
  sd t1, TS_RESUME(t0)
  li t1, REF_QUIRKS_ADDR
  lwu t1, 0(t1)
  la t0, ref_quirks
  sd t1, 0(t0)
2:
  la t0, trap_state
  sd zero, TS_RESUME(t0)
  sd zero, TS_COUNT(t0)
  /* per-hart stack: 4 KiB each, below __stacks_end */
  la sp, __stacks_end
  slli t0, a0, 12
  sub sp, sp, t0
  li gp, 0
#ifndef MULTIHART
  bnez a0, park
#endif
  call main
  li a0, 0
  j exit
park:
  wfi
  j park
  .option pop
  .popsection

  .pushsection .text, "ax"
  .option push
  .option norvc                     /* usable while misa.C is cleared */
/* ---- HTIF ---- */
  .globl exit
exit:                               /* a0 = exit code; never returns */
  slli a0, a0, 1
  ori a0, a0, 1
  la t0, tohost
1:
  sd a0, 0(t0)
  j 1b

putchar:                            /* a0 = char; clobbers t0, t1 */
  li t0, 0x0101000000000000
  or t0, t0, a0
  la t1, tohost
  sd t0, 0(t1)
  la t1, fromhost
1:
  ld t0, 0(t1)
  beqz t0, 1b
  sd zero, 0(t1)
  ret

puts:                               /* a0 = NUL-terminated string */
  addi sp, sp, -16
  sd ra, 0(sp)
  sd s0, 8(sp)
  mv s0, a0
1:
  lbu a0, 0(s0)
  beqz a0, 2f
  call putchar
  addi s0, s0, 1
  j 1b
2:
  ld ra, 0(sp)
  ld s0, 8(sp)
  addi sp, sp, 16
  ret

puthex:                             /* a0 = value, printed as 0x%016x */
  addi sp, sp, -32
  sd ra, 0(sp)
  sd s0, 8(sp)
  sd s1, 16(sp)
  mv s0, a0
  li a0, 48
  call putchar
  li a0, 120
  call putchar
  li s1, 60
1:
  srl a0, s0, s1
  andi a0, a0, 15
  addi a0, a0, 48
  li t0, 57
  ble a0, t0, 2f
  addi a0, a0, 39
2:
  call putchar
  addi s1, s1, -4
  bgez s1, 1b
  ld ra, 0(sp)
  ld s0, 8(sp)
  ld s1, 16(sp)
  addi sp, sp, 32
  ret

putdec:                             /* a0 = unsigned value */
  addi sp, sp, -48
  sd ra, 0(sp)
  sd s0, 8(sp)
  mv s0, sp
  addi s0, s0, 40
  sb zero, 0(s0)
  li t1, 10
1:
  remu t0, a0, t1
  divu a0, a0, t1
  addi t0, t0, 48
  addi s0, s0, -1
  sb t0, 0(s0)
  bnez a0, 1b
  mv a0, s0
  call puts
  ld ra, 0(sp)
  ld s0, 8(sp)
  addi sp, sp, 48
  ret

/* ---- trap handler (M-mode); clobbers t5, t6 only ---- */
  .balign 256
  .globl trap_entry
trap_entry:
  csrr t5, mepc
  la t6, fail
  beq t5, t6, fail_m
  la t6, trap_state
  sd t5, TS_EPC(t6)
  csrr t5, mcause
  sd t5, TS_CAUSE(t6)
  csrr t5, mtval
  sd t5, TS_TVAL(t6)
  csrr t5, mstatus
  sd t5, TS_STATUS(t6)
  ld t5, TS_COUNT(t6)
  addi t5, t5, 1
  sd t5, TS_COUNT(t6)
  ld t5, TS_RESUME(t6)
  beqz t5, unexpected_trap
  sd zero, TS_RESUME(t6)
  csrw mepc, t5
  li t6, MSTATUS_MPP
  csrs mstatus, t6
  mret

/* common M-mode entry for reporting: reset the machine state we rely on */
report_setup:
  li t0, MSTATUS_MIE | MSTATUS_MPRV
  csrc mstatus, t0
  la t0, trap_entry
  csrw mtvec, t0
  csrr t0, mhartid
  la sp, __stacks_end
  slli t0, t0, 12
  sub sp, sp, t0
  /* one reporter at a time */
  la t0, report_lock
  li t1, 1
1:
  amoswap.w.aq t2, t1, (t0)
  bnez t2, 1b
  ret

/* print " (line L: text)" for test gp */
print_test_name:
  addi sp, sp, -16
  sd ra, 0(sp)
  la t3, __testnames_start
  la t4, __testnames_end
1:
  bgeu t3, t4, 3f
  ld t0, 0(t3)
  beq t0, gp, 2f
  addi t3, t3, 16
  j 1b
2:
  la a0, str_open
  call puts
  ld a0, 8(t3)
  call puts
  la a0, str_close
  call puts
3:
  ld ra, 0(sp)
  addi sp, sp, 16
  ret

unexpected_trap:
  call report_setup
  la a0, str_fail
  call puts
  la a0, str_file
  call puts
  la a0, str_unexp
  call puts
  csrr a0, mcause
  call puthex
  la a0, str_mepc
  call puts
  csrr a0, mepc
  call puthex
  la a0, str_mtval
  call puts
  csrr a0, mtval
  call puthex
  la a0, str_during
  call puts
  mv a0, gp
  call putdec
  call print_test_name
  li a0, 10
  call putchar
  mv a0, gp
  bnez a0, exit_fail
  li a0, 1
  j exit

  .globl fail
fail:                               /* gp = failing test; may be reached in S/U-mode */
  csrr t5, mhartid                  /* traps outside M-mode; the handler comes back to fail_m */
fail_m:
  call report_setup
  la a0, str_fail
  call puts
  la a0, str_file
  call puts
  la a0, str_test
  call puts
  mv a0, gp
  call putdec
  call print_test_name
  li a0, 10
  call putchar
  mv a0, gp
exit_fail:
  andi t0, a0, 0xff
  bnez t0, 1f
  ori a0, a0, 1
1:
  j exit
  .option pop
  .popsection

  .pushsection .rodata.runtime, "a"
str_fail:   .asciz "FAIL: "
str_file:   .asciz __BASE_FILE__
str_test:   .asciz ": test "
str_unexp:  .asciz ": unexpected trap mcause="
str_mepc:   .asciz " mepc="
str_mtval:  .asciz " mtval="
str_during: .asciz " during test "
str_open:   .asciz " ("
str_close:  .asciz ")"
  .popsection

  .pushsection .tohost, "aw", @progbits
  .balign 64
  .globl tohost
tohost: .dword 0
  .size tohost, 8
  .type tohost, @object
  .balign 64
  .globl fromhost
fromhost: .dword 0
  .size fromhost, 8
  .type fromhost, @object
  .popsection

  .pushsection .data.runtime, "aw"
  .balign 64
  .globl trap_state
trap_state: .dword 0, 0, 0, 0, 0, 0, 0, 0
report_lock: .word 0
  .balign 8
  .globl ref_quirks
ref_quirks: .dword 0
  .popsection

#endif /* AMBER_ISA_COMMON_H */
