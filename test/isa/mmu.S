/* Sv39 (and Sv48 when supported) address translation from S/U-mode:
   4 KiB / 2 MiB / 1 GiB pages, permissions, U/SUM/MXR, A/D updates by
   hardware, page faults with the faulting VA in mtval/stval, misaligned
   superpages, non-canonical addresses, sfence.vma, MPRV. */
#include "common.h"

#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_G 0x20
#define PTE_A 0x40
#define PTE_D 0x80
#define PTE_AD (PTE_A | PTE_D)

#define SATP_SV39 (8 << 60)
#define SATP_SV48 (9 << 60)
#define UALIAS    0x80000000          /* VA = PA + UALIAS: user mapping of the image */

/* table[index] = PTE(pa of symbol `sym` + off, flags); clobbers t0, t1 */
#define SET_PTE(table, index, sym, flags) \
  la t0, table; la t1, sym; srli t1, t1, 12; slli t1, t1, 10; ori t1, t1, flags; sd t1, (index) * 8(t0)
/* same with a numeric physical page number */
#define SET_PTE_PPN(table, index, ppn, flags) \
  la t0, table; li t1, ((ppn) << 10) | (flags); sd t1, (index) * 8(t0)
#define LOAD_PTE(reg, table, index) la reg, table; ld reg, (index) * 8(reg)

/* run `code` in S-mode (Sv39 on); it must fault with `cause` and mtval = va,
   at the instruction labelled 9 (or the first one) */
#define S_FAULT(cause, va, ...) S_FAULT_N(__COUNTER__, cause, va, __VA_ARGS__)
#define S_FAULT_N(n, cause, va, ...)                               \
  TEST_BEGIN(n, "S-mode fault " #cause " at " #va ": " #__VA_ARGS__); \
  SET_RESUME(8f);                                                  \
  GOTO_S(7f);                                                      \
7: 9: __VA_ARGS__;                                                 \
  ebreak;                                                          \
8: CHECK_CAUSE(cause);                                             \
  CHECK_TVAL(va);                                                  \
  LOAD_TS(t0, TS_EPC); la t1, 9b; bne t0, t1, fail
/* run `code` in S-mode; it must not fault; then check reg == val */
#define S_OK(reg, val, ...) S_OK_N(__COUNTER__, reg, val, __VA_ARGS__)
#define S_OK_N(n, reg, val, ...)                                   \
  TEST_BEGIN(n, "S-mode ok: " #__VA_ARGS__ " => " #val);           \
  SET_RESUME(8f);                                                  \
  GOTO_S(7f);                                                      \
7: __VA_ARGS__;                                                    \
  ebreak;                                                          \
8: CHECK_CAUSE(CAUSE_BREAKPOINT);                                  \
  CHECK_EQ(reg, val)
/* the same from U-mode, running from the user alias of the image */
#define GOTO_U_ALIAS(lbl)                                          \
  li t0, MSTATUS_MPP; csrc mstatus, t0;                            \
  la t0, lbl; li t1, UALIAS; add t0, t0, t1; csrw mepc, t0;        \
  mret
#define U_FAULT(cause, va, ...) U_FAULT_N(__COUNTER__, cause, va, __VA_ARGS__)
#define U_FAULT_N(n, cause, va, ...)                               \
  TEST_BEGIN(n, "U-mode fault " #cause " at " #va ": " #__VA_ARGS__); \
  SET_RESUME(8f);                                                  \
  GOTO_U_ALIAS(7f);                                                \
7: 9: __VA_ARGS__;                                                 \
  ebreak;                                                          \
8: CHECK_CAUSE(cause);                                             \
  CHECK_TVAL(va);                                                  \
  LOAD_TS(t0, TS_EPC); la t1, 9b; li t2, UALIAS; add t1, t1, t2; bne t0, t1, fail
#define U_OK(reg, val, ...) U_OK_N(__COUNTER__, reg, val, __VA_ARGS__)
#define U_OK_N(n, reg, val, ...)                                   \
  TEST_BEGIN(n, "U-mode ok: " #__VA_ARGS__ " => " #val);           \
  SET_RESUME(8f);                                                  \
  GOTO_U_ALIAS(7f);                                                \
7: __VA_ARGS__;                                                    \
  ebreak;                                                          \
8: CHECK_CAUSE(CAUSE_BREAKPOINT);                                  \
  CHECK_EQ(reg, val)

  .text
  .globl main
main:
  addi sp, sp, -16
  sd ra, 0(sp)

  /* ------------------------------------------------- build the tables */
  /* root: [0] -> l1, [1] 1 GiB RW alias of DRAM at 0x40000000, [2] 1 GiB
     RWX identity (S code and data), [3] misaligned 1 GiB, [4] 1 GiB user
     RWX alias at 0x1_0000_0000 */
  SET_PTE(pt_root, 0, pt_l1, PTE_V)
  SET_PTE_PPN(pt_root, 1, 0x80000, PTE_V | PTE_R | PTE_W | PTE_AD)
  SET_PTE_PPN(pt_root, 2, 0x80000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_AD)
  SET_PTE_PPN(pt_root, 3, 0x80001, PTE_V | PTE_R | PTE_W | PTE_AD)
  SET_PTE_PPN(pt_root, 4, 0x80000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_AD)
  /* l1: [0] -> l0, [1] 2 MiB RW at 0x200000 -> PA 0x80000000,
     [2] misaligned 2 MiB, [3] 2 MiB read-only */
  SET_PTE(pt_l1, 0, pt_l0, PTE_V)
  SET_PTE_PPN(pt_l1, 1, 0x80000, PTE_V | PTE_R | PTE_W | PTE_AD)
  SET_PTE_PPN(pt_l1, 2, 0x80001, PTE_V | PTE_R | PTE_W | PTE_AD)
  SET_PTE_PPN(pt_l1, 3, 0x80000, PTE_V | PTE_R | PTE_A)
  SET_PTE_PPN(pt_l1, 4, 0x80000, PTE_V | PTE_R | PTE_W)          /* 2 MiB, A = D = 0 */
  SET_PTE_PPN(pt_l1, 5, 0, PTE_V)                                /* next level at PA 0: no memory */
  /* l0: 4 KiB pages */
  SET_PTE(pt_l0, 1, page_a, PTE_V | PTE_R | PTE_W)               /* A = D = 0 */
  SET_PTE(pt_l0, 2, page_u, PTE_V | PTE_R | PTE_W | PTE_U | PTE_AD)
  SET_PTE(pt_l0, 3, page_x, PTE_V | PTE_X | PTE_AD)              /* execute-only */
  SET_PTE(pt_l0, 4, page_r, PTE_V | PTE_R | PTE_A)               /* read-only */
  /* [5] stays invalid */
  SET_PTE(pt_l0, 6, va_code, PTE_V | PTE_R | PTE_X | PTE_A)
  SET_PTE(pt_l0, 7, page_r, PTE_V | PTE_W | PTE_AD)              /* W without R: reserved */
  SET_PTE(pt_l0, 8, page_b, PTE_V | PTE_R | PTE_W | PTE_AD)
  SET_PTE(pt_l0, 9, pt_l0, PTE_V)                                /* non-leaf at the last level */
  SET_PTE(pt_l0, 10, page_d, PTE_V | PTE_R | PTE_W)              /* A = D = 0 */
  SET_PTE(pt_l0, 11, page_b, PTE_R | PTE_W | PTE_AD)             /* V = 0, other bits set */
  SET_PTE(pt_l0, 12, page_x, PTE_V | PTE_R | PTE_X | PTE_U | PTE_AD)  /* user RX */
  /* VA 0xd000 / 0xe000: two code pages that are not adjacent in physical memory */
  SET_PTE(pt_l0, 13, straddle_lo, PTE_V | PTE_R | PTE_X | PTE_AD)
  SET_PTE(pt_l0, 14, straddle_hi, PTE_V | PTE_R | PTE_X | PTE_AD)
  /* VA 0xf000 / 0x10000: two data pages, not adjacent and in reverse order */
  SET_PTE(pt_l0, 15, page_c2, PTE_V | PTE_R | PTE_W | PTE_AD)
  SET_PTE(pt_l0, 16, page_b2, PTE_V | PTE_R | PTE_W | PTE_AD)

  TEST("satp accepts Sv39")
  la a0, pt_root
  srli a0, a0, 12
  li t0, SATP_SV39
  or s11, a0, t0                    /* s11 = satp value for Sv39 */
  csrw satp, s11
  csrr a1, satp
  bne a1, s11, fail
  sfence.vma
  TEST("M-mode ignores satp")
  la a0, page_a
  ld a1, 0(a0)
  CHECK_EQ(a1, 0xaaaaaaaaaaaaaaaa)

  /* ------------------------------------------------------ basic 4 KiB */
  S_OK(a1, 0xaaaaaaaaaaaaaaaa, li a0, 0x1000; ld a1, 0(a0))
  TEST("load sets A, not D (hardware A/D update)")
  LOAD_PTE(a0, pt_l0, 1)
  andi a1, a0, PTE_A
  beqz a1, fail
  andi a1, a0, PTE_D
  bnez a1, fail
  S_OK(a1, 0x1234, li a0, 0x1000; li a1, 0x1234; sd a1, 8(a0); ld a1, 8(a0))
  TEST("store sets D")
  LOAD_PTE(a0, pt_l0, 1)
  andi a1, a0, PTE_D
  beqz a1, fail
  la a0, page_a
  ld a1, 8(a0)
  CHECK_EQ(a1, 0x1234)
  S_OK(a1, 0x77, li a0, 0xa000; li a1, 0x77; sw a1, 0(a0); lw a1, 0(a0))
  TEST("a first store sets both A and D")
  LOAD_PTE(a0, pt_l0, 10)
  andi a1, a0, PTE_AD
  CHECK_EQ(a1, PTE_AD)
  S_OK(a0, 0x600d, li t0, 0x6000; jalr t0)                       /* fetch from a 4 KiB RX page */
  S_OK(a1, 0xbbbbbbbbbbbbbbbb, li a0, 0x8000; ld a1, 0(a0))

  /* ------------------------------------------------------ page faults */
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0x5008, li a0, 0x5008; 9: ld a1, 0(a0))
  S_FAULT(CAUSE_STORE_PAGE_FAULT, 0x5010, li a0, 0x5010; 9: sd a1, 0(a0))
  TEST_BEGIN(__COUNTER__, "S-mode amo on an invalid page: store page fault (15)")
  SET_RESUME(8f)
  GOTO_S(7f)
7:
  li a0, 0x5000
9:
  amoadd.d a1, a2, (a0)
  ebreak
8:
  LOAD_TS(t0, TS_CAUSE)
  li t1, CAUSE_STORE_PAGE_FAULT
  beq t0, t1, 8f
  li t1, CAUSE_LOAD_PAGE_FAULT
  bne t0, t1, fail
  IF_QUIRK(QUIRK_AMO_LOAD_CAUSE, 8f)
  j fail
8:
  CHECK_TVAL(0x5000)
  TEST("S-mode fetch from an invalid page: 12, mepc = mtval = target")
  SET_RESUME(8f)
  GOTO_S(7f)
7:
  li t0, 0x5000
  jalr t0
  ebreak
8:
  CHECK_CAUSE(CAUSE_FETCH_PAGE_FAULT)
  CHECK_TVAL(0x5000)
  LOAD_TS(a0, TS_EPC)
  CHECK_EQ(a0, 0x5000)
  TEST("fetch from a readable, non-executable page: 12")
  SET_RESUME(8f)
  GOTO_S(7f)
7:
  li t0, 0x1000
  jalr t0
  ebreak
8:
  CHECK_CAUSE(CAUSE_FETCH_PAGE_FAULT)
  CHECK_TVAL(0x1000)
  S_FAULT(CAUSE_STORE_PAGE_FAULT, 0x4000, li a0, 0x4000; 9: sw a1, 0(a0))   /* read-only */
  S_OK(a1, 0x4444444444444444, li a0, 0x4000; ld a1, 0(a0))
  S_FAULT(CAUSE_STORE_PAGE_FAULT, 0x4008, li a0, 0x4008; lr.d a1, (a0); 9: sc.d a2, a1, (a0))
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0x7000, li a0, 0x7000; 9: lw a1, 0(a0))    /* W without R */
  S_FAULT(CAUSE_STORE_PAGE_FAULT, 0x7000, li a0, 0x7000; 9: sw a1, 0(a0))
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0x9000, li a0, 0x9000; 9: lw a1, 0(a0))    /* non-leaf at level 0 */
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0xb000, li a0, 0xb000; 9: lw a1, 0(a0))    /* V = 0 */
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0x3000, li a0, 0x3000; 9: lw a1, 0(a0))    /* X only, MXR = 0 */
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0x1ff000, li a0, 0x1ff000; 9: lw a1, 0(a0))  /* unmapped */
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0x1ffffffe, li a0, 0x1ffffffe; 9: lhu a1, 0(a0))
  TEST("faulting loads do not write rd")
  li a1, 0x55
  SET_RESUME(8f)
  GOTO_S(7f)
7:
  li a0, 0x5000
  ld a1, 0(a0)
  ebreak
8:
  CHECK_EQ(a1, 0x55)

  /* ------------------------------------------- crossing a virtual page */
  S_OK(a0, 6, li a0, 5; li t0, 0xdffc; jalr t0)       /* 32-bit insn at 0xdffe..0xe001 */
  S_OK(a1, 0x8082001505130001, li a0, 0xdffc; ld a1, 0(a0))
  S_OK(a1, 0x0015, li a0, 0xdffe; lhu a1, 2(a0))
  TEST("misaligned store across a virtual page boundary")
  SET_RESUME(8f)
  GOTO_S(7f)
7:
  li a0, 0xfffa
  li a1, 0x1122334455667788
  sd a1, 0(a0)
  ld a2, 0(a0)
  ebreak
8:
  CHECK_CAUSE(CAUSE_BREAKPOINT)
  CHECK_REG(a1, a2)
  la a0, page_c2
  li t0, 4088
  add a0, a0, t0
  ld a3, 0(a0)                      /* bytes 0x55667788 in 4090..4095 */
  srli a3, a3, 16
  CHECK_EQ(a3, 0x334455667788)
  la a0, page_b2
  lhu a3, 0(a0)
  CHECK_EQ(a3, 0x1122)
  TEST("instruction crossing into an unmapped page: fetch fault, mepc = start")
  la t0, pt_l0
  sd zero, 14 * 8(t0)
  sfence.vma
  SET_RESUME(8f)
  GOTO_S(7f)
7:
  sfence.vma
  li a0, 5
  li t0, 0xdffc
  jalr t0
  ebreak
8:
  CHECK_CAUSE(CAUSE_FETCH_PAGE_FAULT)
  LOAD_TS(a0, TS_EPC)
  CHECK_EQ(a0, 0xdffe)
  LOAD_TS(a0, TS_TVAL)              /* the faulting part of the instruction */
  CHECK_EQ(a0, 0xe000)
  SET_PTE(pt_l0, 14, straddle_hi, PTE_V | PTE_R | PTE_X | PTE_AD)
  sfence.vma

  /* ------------------------------------------------- AMO, LR/SC via the MMU */
  TEST("amoadd through a fresh PTE sets A and D")
  SET_PTE(pt_l0, 20, page_d, PTE_V | PTE_R | PTE_W)
  sfence.vma
  S_OK(a1, 0xdddddddddddddddd, li a0, 0x14010; li a2, 1; amoadd.d a1, a2, (a0))
  LOAD_PTE(a0, pt_l0, 20)
  andi a1, a0, PTE_AD
  CHECK_EQ(a1, PTE_AD)
  la a0, page_d
  ld a1, 16(a0)
  CHECK_EQ(a1, 0xddddddddddddddde)
  S_OK(a3, 0, li a0, 0x14018; lr.d a1, (a0); addi a1, a1, 1; sc.d a3, a1, (a0))
  la a0, page_d
  ld a1, 24(a0)
  CHECK_EQ(a1, 0xddddddddddddddde)

  /* --------------------------------------------- reserved PTE bits 63..54 */
  /* without Svpbmt/Svnapot, PBMT (62:61), N (63) and bits 60:54 must be 0:
     otherwise the access raises a page fault */
  TEST("PTE with PBMT != 0 (no Svpbmt): page fault")
  SET_PTE(pt_l0, 17, page_b, PTE_V | PTE_R | PTE_W | PTE_AD)
  la t0, pt_l0
  ld t1, 17 * 8(t0)
  li t2, 1 << 61
  or t1, t1, t2
  sd t1, 17 * 8(t0)
  sfence.vma
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0x11000, li a0, 0x11000; 9: ld a1, 0(a0))
  TEST("PTE with N = 1 (no Svnapot): page fault")
  la t0, pt_l0
  ld t1, 17 * 8(t0)
  li t2, 1 << 61
  xor t1, t1, t2
  li t2, 1 << 63
  or t1, t1, t2
  sd t1, 17 * 8(t0)
  sfence.vma
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0x11000, li a0, 0x11000; 9: ld a1, 0(a0))
  TEST("PTE with reserved bit 54 set: page fault")
  la t0, pt_l0
  ld t1, 17 * 8(t0)
  li t2, 1 << 63
  xor t1, t1, t2
  li t2, 1 << 54
  or t1, t1, t2
  sd t1, 17 * 8(t0)
  sfence.vma
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0x11000, li a0, 0x11000; 9: ld a1, 0(a0))
  TEST("the same PTE without reserved bits works")
  SET_PTE(pt_l0, 17, page_b, PTE_V | PTE_R | PTE_W | PTE_AD)
  sfence.vma
  S_OK(a1, 0xbbbbbbbbbbbbbbbb, li a0, 0x11000; ld a1, 0(a0))

  /* ------------------------------------------------------------- MXR */
  TEST("MXR = 1 makes execute-only pages readable")
  li t0, MSTATUS_MXR
  csrs mstatus, t0
  S_OK(a1, 0x5858585858585858, li a0, 0x3000; ld a1, 0(a0))
  S_FAULT(CAUSE_STORE_PAGE_FAULT, 0x3000, li a0, 0x3000; 9: sd a1, 0(a0))
  li t0, MSTATUS_MXR
  csrc mstatus, t0

  /* ---------------------------------------------------------- U / SUM */
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0x2000, li a0, 0x2000; 9: ld a1, 0(a0))    /* SUM = 0 */
  S_FAULT(CAUSE_STORE_PAGE_FAULT, 0x2008, li a0, 0x2008; 9: sd a1, 0(a0))
  TEST("SUM = 1: S-mode may load/store user pages")
  li t0, MSTATUS_SUM
  csrs mstatus, t0
  S_OK(a1, 0x7575757575757575, li a0, 0x2000; ld a1, 0(a0))
  S_OK(a1, 0x99, li a0, 0x2000; li a1, 0x99; sd a1, 16(a0); ld a1, 16(a0))
  TEST("SUM = 1: S-mode still cannot execute user pages")
  SET_RESUME(8f)
  GOTO_S(7f)
7:
  la t0, 1f
  li t1, UALIAS
  add t0, t0, t1
  jalr t0
1:
  ebreak
8:
  CHECK_CAUSE(CAUSE_FETCH_PAGE_FAULT)
  la t1, 1b
  li t2, UALIAS
  add t1, t1, t2
  LOAD_TS(a0, TS_TVAL)
  bne a0, t1, fail
  li t0, MSTATUS_SUM
  csrc mstatus, t0
  U_OK(a1, 0x7575757575757575, li a0, 0x2000; ld a1, 0(a0))
  U_OK(a1, 0x66, li a0, 0x2000; li a1, 0x66; sd a1, 24(a0); ld a1, 24(a0))
  U_FAULT(CAUSE_LOAD_PAGE_FAULT, 0x1000, li a0, 0x1000; 9: ld a1, 0(a0))    /* supervisor page */
  U_FAULT(CAUSE_STORE_PAGE_FAULT, 0x1000, li a0, 0x1000; 9: sd a1, 0(a0))
  TEST("U-mode fetch from a supervisor page: 12")
  SET_RESUME(8f)
  GOTO_U_ALIAS(7f)
7:
  li t0, 0x6000
  jalr t0
  ebreak
8:
  CHECK_CAUSE(CAUSE_FETCH_PAGE_FAULT)
  CHECK_TVAL(0x6000)
  U_OK(a1, 0x5858585858585858, li a0, 0xc000; ld a1, 0(a0))               /* user RX page */
  U_FAULT(CAUSE_STORE_PAGE_FAULT, 0xc000, li a0, 0xc000; 9: sd a1, 0(a0))

  /* ------------------------------------------------------ superpages */
  S_OK(a1, 0x1122334455667788, la a0, marker; li t0, 0x40000000 - 0x80000000; add a0, a0, t0; ld a1, 0(a0))
  S_OK(a1, 0x1122334455667788, la a0, marker; li t0, 0x200000 - 0x80000000; add a0, a0, t0; ld a1, 0(a0))
  TEST("store through a 2 MiB page is seen at the physical address")
  SET_RESUME(8f)
  GOTO_S(7f)
7:
  la a0, marker
  li t0, 0x200000 - 0x80000000
  add a0, a0, t0
  li a1, 0xabcdef
  sd a1, 8(a0)
  ebreak
8:
  la a0, marker
  ld a1, 8(a0)
  CHECK_EQ(a1, 0xabcdef)
  S_FAULT(CAUSE_STORE_PAGE_FAULT, 0x600010, li a0, 0x600010; 9: sd a1, 0(a0)) /* read-only 2 MiB */
  S_OK(a1, 0x1122334455667788, la a0, marker; li t0, 0x600000 - 0x80000000; add a0, a0, t0; ld a1, 0(a0))
  S_OK(a1, 0x1122334455667788, la a0, marker; li t0, 0x800000 - 0x80000000; add a0, a0, t0; ld a1, 0(a0))
  TEST("A set in a 2 MiB leaf by a load, D by a store")
  LOAD_PTE(a0, pt_l1, 4)
  andi a1, a0, PTE_AD
  CHECK_EQ(a1, PTE_A)
  S_OK(a1, 0x1122334455667788, la a0, marker; li t0, 0x800000 - 0x80000000; add a0, a0, t0; ld a1, 0(a0); sd a1, 0(a0))
  LOAD_PTE(a0, pt_l1, 4)
  andi a1, a0, PTE_AD
  CHECK_EQ(a1, PTE_AD)
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0x400100, li a0, 0x400100; 9: ld a1, 0(a0))  /* misaligned 2 MiB */
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0xc0000100, li a0, 0xc0000100; 9: ld a1, 0(a0)) /* misaligned 1 GiB */
  S_FAULT(CAUSE_STORE_PAGE_FAULT, 0xc0000000, li a0, 0xc0000000; 9: sd a1, 0(a0))

  /* ------------------------------------- walk hits no memory: access fault */
  /* (a PTE read that fails a PMA/PMP check raises the access fault of the
     original access; QEMU 7.2 raises the page fault: QUIRK_WALK_FAULT_IS_PF) */
#define WALK_FAULT(cause, pfcause, va, ...) WALK_FAULT_N(__COUNTER__, cause, pfcause, va, __VA_ARGS__)
#define WALK_FAULT_N(n, cause, pfcause, va, ...)                   \
  TEST_BEGIN(n, "walk to no memory: " #cause " at " #va);          \
  SET_RESUME(8f);                                                  \
  GOTO_S(7f);                                                      \
7: __VA_ARGS__;                                                    \
  ebreak;                                                          \
8: LOAD_TS(t0, TS_CAUSE); li t1, cause; beq t0, t1, 8f;            \
  li t1, pfcause; bne t0, t1, fail;                                \
  IF_QUIRK(QUIRK_WALK_FAULT_IS_PF, 8f); j fail;                    \
8: CHECK_TVAL(va)
  WALK_FAULT(CAUSE_LOAD_ACCESS, CAUSE_LOAD_PAGE_FAULT, 0xa00010, li a0, 0xa00010; ld a1, 0(a0))
  WALK_FAULT(CAUSE_STORE_ACCESS, CAUSE_STORE_PAGE_FAULT, 0xa00010, li a0, 0xa00010; sd a1, 0(a0))
  WALK_FAULT(CAUSE_FETCH_ACCESS, CAUSE_FETCH_PAGE_FAULT, 0xa00000, li t0, 0xa00000; jalr t0)

  /* ------------------------------------------------------ non-canonical */
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0x0000004000000000, li a0, 0x0000004000000000; 9: ld a1, 0(a0))
  S_FAULT(CAUSE_STORE_PAGE_FAULT, 0x8000000000001000, li a0, 0x8000000000001000; 9: sd a1, 0(a0))
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0xffffffc000000000, li a0, 0xffffffc000000000; 9: ld a1, 0(a0)) /* canonical, unmapped */
  TEST("fetch from a non-canonical address: 12")
  SET_RESUME(8f)
  GOTO_S(7f)
7:
  li t0, 0x0000008080000000
  jalr t0
  ebreak
8:
  CHECK_CAUSE(CAUSE_FETCH_PAGE_FAULT)
  CHECK_TVAL(0x0000008080000000)

  /* -------------------------------------------------------- sfence.vma */
  TEST("sfence.vma makes a changed PTE visible")
  SET_PTE(pt_l0, 8, page_c, PTE_V | PTE_R | PTE_W | PTE_AD)
  S_OK(a1, 0xcccccccccccccccc, sfence.vma; li a0, 0x8000; ld a1, 0(a0))
  TEST("sfence.vma vaddr")
  SET_PTE(pt_l0, 8, page_b, PTE_V | PTE_R | PTE_W | PTE_AD)
  S_OK(a1, 0xbbbbbbbbbbbbbbbb, li a0, 0x8000; sfence.vma a0; ld a1, 0(a0))
  TEST("sfence.vma vaddr inside a 2 MiB page after re-pointing it")
  li a0, 0x80200000 + 0x1230        /* RAM beyond the image */
  li a1, 0x0123456789abcdef
  sd a1, 0(a0)
  S_OK(a1, 0x1122334455667788, la a0, marker; li t0, 0x200000 - 0x80000000; add a0, a0, t0; ld a1, 0(a0))
  S_OK(a2, 0, li a0, 0x200000 + 0x1230; ld a1, 0(a0); li a2, 0)   /* cache the old translation */
  SET_PTE_PPN(pt_l1, 1, 0x80200, PTE_V | PTE_R | PTE_W | PTE_AD)
  S_OK(a1, 0x0123456789abcdef, li a0, 0x200000 + 0x1230; sfence.vma a0; ld a1, 0(a0))
  SET_PTE_PPN(pt_l1, 1, 0x80000, PTE_V | PTE_R | PTE_W | PTE_AD)
  S_OK(a1, 0x1122334455667788, sfence.vma; la a0, marker; li t0, 0x200000 - 0x80000000; add a0, a0, t0; ld a1, 0(a0))
  TEST("sfence.vma after invalidating a PTE: fault")
  la t0, pt_l0
  sd zero, 8 * 8(t0)
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0x8000, sfence.vma zero, zero; li a0, 0x8000; 9: ld a1, 0(a0))
  SET_PTE(pt_l0, 8, page_b, PTE_V | PTE_R | PTE_W | PTE_AD)
  TEST("changing satp to bare and back")
  S_OK(a1, 0xbbbbbbbbbbbbbbbb, csrw satp, zero; sfence.vma; la a0, page_b; ld a1, 0(a0); csrw satp, s11; sfence.vma)
  S_OK(a1, 0xbbbbbbbbbbbbbbbb, li a0, 0x8000; ld a1, 0(a0))

  /* ---------------------------------------------------------------- ASIDs */
  TEST("a fresh ASID never sees another ASID's translations (skipped without ASIDs)")
  li t0, 0xffff << 44
  or a0, s11, t0
  csrw satp, a0
  csrr a1, satp
  csrw satp, s11
  srli a1, a1, 44
  li t0, 0xffff
  and a1, a1, t0                    /* implemented ASID bits */
  li t0, 3
  and a2, a1, t0
  bne a2, t0, 3f
  /* second tree: same as the first except VA 0x8000 -> page_c */
  la a0, pt_root
  la a1, pt_root2
  li a2, 3 * 512                    /* pt_root, pt_l1, pt_l0 are contiguous */
1:
  ld t0, 0(a0)
  sd t0, 0(a1)
  addi a0, a0, 8
  addi a1, a1, 8
  addi a2, a2, -1
  bnez a2, 1b
  SET_PTE(pt_root2, 0, pt_l1_2, PTE_V)
  SET_PTE(pt_l1_2, 0, pt_l0_2, PTE_V)
  SET_PTE(pt_l0_2, 8, page_c, PTE_V | PTE_R | PTE_W | PTE_AD)
  li t0, 1 << 44
  or s9, s11, t0                    /* tree 1, ASID 1 */
  la a0, pt_root2
  srli a0, a0, 12
  li t0, SATP_SV39 | (2 << 44)
  or s8, a0, t0                     /* tree 2, ASID 2 */
  SET_RESUME(8f)
  GOTO_S(7f)
7:
  csrw satp, s9
  sfence.vma
  li a0, 0x8000
  ld a1, 0(a0)                      /* caches ASID 1's translation */
  csrw satp, s8                     /* no sfence: ASID 2 was never used */
  ld a2, 0(a0)
  csrw satp, s9
  ld a3, 0(a0)
  csrw satp, s11
  sfence.vma
  ebreak
8:
  CHECK_CAUSE(CAUSE_BREAKPOINT)
  CHECK_EQ(a1, 0xbbbbbbbbbbbbbbbb)
  CHECK_EQ(a2, 0xcccccccccccccccc)
  CHECK_EQ(a3, 0xbbbbbbbbbbbbbbbb)
3:
  csrw satp, s11
  sfence.vma

  /* -------------------------------------------- page fault delegated to S */
  TEST("load page fault delegated to S: scause 13, stval = VA, sepc")
  li t0, 1 << CAUSE_LOAD_PAGE_FAULT
  csrw medeleg, t0
  la t0, s_handler
  csrw stvec, t0
  la t0, s_state
  la t1, 2f
  sd t1, 0(t0)
  SET_RESUME(3f)
  GOTO_S(1f)
1:
  li a0, 0x5678
4:
  ld a1, 0(a0)
  ebreak
2:
  ebreak
3:
  csrw medeleg, zero
  CHECK_CAUSE(CAUSE_BREAKPOINT)
  la t0, s_state
  ld a0, 8(t0)
  CHECK_EQ(a0, CAUSE_LOAD_PAGE_FAULT)
  ld a0, 24(t0)
  CHECK_EQ(a0, 0x5678)
  ld a0, 16(t0)
  la a1, 4b
  bne a0, a1, fail

  /* -------------------------------------------------------------- MPRV */
  TEST("MPRV = 1, MPP = S: M-mode loads and stores are translated")
  li t0, MSTATUS_MPP
  csrc mstatus, t0
  li t0, MSTATUS_MPP_S | MSTATUS_MPRV
  csrs mstatus, t0
  li a0, 0x1000
  ld a1, 0(a0)
  li a2, 0x4321
  sd a2, 32(a0)
  li t0, MSTATUS_MPRV
  csrc mstatus, t0
  CHECK_EQ(a1, 0xaaaaaaaaaaaaaaaa)
  la a0, page_a
  ld a1, 32(a0)
  CHECK_EQ(a1, 0x4321)
  TEST("MPRV = 1, MPP = S, SUM = 0: user page faults (handled in M)")
  li t0, MSTATUS_MPP
  csrc mstatus, t0
  li t0, MSTATUS_MPP_S | MSTATUS_MPRV
  csrs mstatus, t0
  SET_RESUME(2f)
  li a0, 0x2000
1:
  ld a1, 0(a0)
  li t0, MSTATUS_MPRV
  csrc mstatus, t0
  j fail
2:
  li t0, MSTATUS_MPRV
  csrc mstatus, t0
  CHECK_CAUSE(CAUSE_LOAD_PAGE_FAULT)
  CHECK_TVAL(0x2000)
  CHECK_EPC_SYM(1b)

  /* ------------------------------------------------------------- Sv48 */
  TEST("Sv48 (skipped if satp ignores mode 9)")
  la a0, pt_root48
  srli a0, a0, 12
  li t0, SATP_SV48
  or s10, a0, t0
  csrw satp, s10
  csrr a1, satp
  bne a1, s10, 1f
  SET_PTE(pt_root48, 0, pt_root, PTE_V)       /* VA 0 .. 512 GiB: the Sv39 tree */
  SET_PTE(pt_root48, 1, pt_root, PTE_V)       /* VA 512 GiB .. 1 TiB: the same */
  sfence.vma
  S_OK(a1, 0xaaaaaaaaaaaaaaaa, li a0, 0x1000; ld a1, 0(a0))
  S_OK(a1, 0x1122334455667788, la a0, marker; li t0, 0x8000000000; add a0, a0, t0; ld a1, 0(a0))
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0x0000800000000000, li a0, 0x0000800000000000; 9: ld a1, 0(a0))
  S_FAULT(CAUSE_LOAD_PAGE_FAULT, 0x0000010000000000, li a0, 0x0000010000000000; 9: ld a1, 0(a0))
1:
  csrw satp, zero
  sfence.vma

  ld ra, 0(sp)
  addi sp, sp, 16
  ret

  .balign 4
s_handler:                          /* records, then continues in S at s_state[0] */
  la t6, s_state
  csrr t5, scause
  sd t5, 8(t6)
  csrr t5, sepc
  sd t5, 16(t6)
  csrr t5, stval
  sd t5, 24(t6)
  ld t5, 0(t6)
  jr t5

  .balign 4096
va_code:                            /* mapped at VA 0x6000 */
  li a0, 0x600d
  ret
  .balign 4096
straddle_lo:                        /* mapped at VA 0xd000 */
  .fill 2046, 2, 0
  .half 0x0001                      /* 0xdffc: c.nop */
  .half 0x0513                      /* 0xdffe: addi a0, a0, 1 (low half) */
  .fill 2048, 2, 0                  /* the physically next page: a wrong upper half */
straddle_hi:                        /* mapped at VA 0xe000 */
  .half 0x0015                      /* (upper half) */
  .half 0x8082                      /* c.jr ra */
  .balign 4096

  .data
  .balign 8
marker: .dword 0x1122334455667788, 0
s_state: .dword 0, 0, 0, 0
  .balign 4096
pt_root:   .fill 512, 8, 0
pt_l1:     .fill 512, 8, 0
pt_l0:     .fill 512, 8, 0
pt_root48: .fill 512, 8, 0
pt_root2:  .fill 512, 8, 0
pt_l1_2:   .fill 512, 8, 0
pt_l0_2:   .fill 512, 8, 0
page_a: .rept 512; .dword 0xaaaaaaaaaaaaaaaa; .endr
page_b: .rept 512; .dword 0xbbbbbbbbbbbbbbbb; .endr
page_c: .rept 512; .dword 0xcccccccccccccccc; .endr
page_d: .rept 512; .dword 0xdddddddddddddddd; .endr
page_u: .rept 512; .dword 0x7575757575757575; .endr
page_x: .rept 512; .dword 0x5858585858585858; .endr
page_r: .rept 512; .dword 0x4444444444444444; .endr
page_b2: .rept 512; .dword 0xb2b2b2b2b2b2b2b2; .endr
page_gap: .rept 512; .dword 0; .endr
page_c2: .rept 512; .dword 0xc2c2c2c2c2c2c2c2; .endr
