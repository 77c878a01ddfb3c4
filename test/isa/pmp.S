/* Physical memory protection: OFF/TOR/NAPOT(/NA4) regions, R/W/X for S and
   U, priority of the lowest-numbered match, no match = deny below M, M-mode
   unaffected unless locked, locked entries ignore writes.  Skipped when the
   hart has no PMP. */
#include "common.h"

#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_OFF   0x00
#define PMP_TOR   0x08
#define PMP_NA4   0x10
#define PMP_NAPOT 0x18
#define PMP_L 0x80
#define NAPOT_4K(base_reg, dst) srli dst, base_reg, 2; ori dst, dst, 0x1ff

/* S-mode access that must fault with `cause`, mtval = address in a0 */
#define S_FAULT(cause, ...) S_FAULT_N(__COUNTER__, cause, __VA_ARGS__)
#define S_FAULT_N(n, cause, ...)                                   \
  TEST_BEGIN(n, "S-mode " #cause ": " #__VA_ARGS__);               \
  SET_RESUME(8f);                                                  \
  GOTO_S(7f);                                                      \
7: __VA_ARGS__;                                                    \
  ebreak;                                                          \
8: CHECK_CAUSE(cause);                                             \
  LOAD_TS(t0, TS_TVAL); bne t0, a0, fail;                          \
  LOAD_TS(t0, TS_EPC); la t1, 9b; bne t0, t1, fail
#define S_OK(reg, val, ...) S_OK_N(__COUNTER__, reg, val, __VA_ARGS__)
#define S_OK_N(n, reg, val, ...)                                   \
  TEST_BEGIN(n, "S-mode ok: " #__VA_ARGS__ " => " #val);           \
  SET_RESUME(8f);                                                  \
  GOTO_S(7f);                                                      \
7: __VA_ARGS__;                                                    \
  ebreak;                                                          \
8: CHECK_CAUSE(CAUSE_BREAKPOINT);                                  \
  CHECK_EQ(reg, val)

  .text
  .globl main
main:
  addi sp, sp, -16
  sd ra, 0(sp)

  TEST("PMP present? (skip the rest if pmpaddr0 is not writable)")
  SET_RESUME(1f)
  li a0, 0x12345
  csrw pmpaddr0, a0
  csrr a1, pmpaddr0
  CLEAR_RESUME
  bne a0, a1, 1f
  j have_pmp
1:
  CLEAR_RESUME
  j done

have_pmp:
  /* entry 0: OFF (bottom of the TOR range)  entry 1: TOR RW over pmp_tor
     entry 2: NAPOT R (pmp_ro)  entry 3: NAPOT none (pmp_none)
     entry 4: NAPOT X (pmp_code)  entry 5: NAPOT RWX everything */
  csrw pmpcfg0, zero
  la a0, pmp_tor
  srli a0, a0, 2
  csrw pmpaddr0, a0
  la a0, pmp_tor_end
  srli a0, a0, 2
  csrw pmpaddr1, a0
  la a0, pmp_ro
  NAPOT_4K(a0, a1)
  csrw pmpaddr2, a1
  la a0, pmp_none
  NAPOT_4K(a0, a1)
  csrw pmpaddr3, a1
  la a0, pmp_code
  NAPOT_4K(a0, a1)
  csrw pmpaddr4, a1
  li a1, -1
  csrw pmpaddr5, a1
  li s10, (PMP_TOR | PMP_R | PMP_W) << 8 | (PMP_NAPOT | PMP_R) << 16 | (PMP_NAPOT) << 24 | (PMP_NAPOT | PMP_X) << 32 | (PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 40
  csrw pmpcfg0, s10
  sfence.vma
  TEST("pmpcfg0 reads back")
  csrr a0, pmpcfg0
  CHECK_REG(a0, s10)

  /* ------------------------------------------------------------ S-mode */
  S_OK(a1, 0x1111, la a0, pmp_ro; ld a1, 0(a0))
  S_FAULT(CAUSE_STORE_ACCESS, la a0, pmp_ro + 8; 9: sd a1, 0(a0))
  S_FAULT(CAUSE_LOAD_ACCESS, la a0, pmp_none + 16; 9: ld a1, 0(a0))
  S_FAULT(CAUSE_STORE_ACCESS, la a0, pmp_none; 9: sw a1, 0(a0))
  TEST_BEGIN(__COUNTER__, "S-mode amoadd.w on a no-access region: 7")
  SET_RESUME(8f)
  GOTO_S(7f)
7:
  la a0, pmp_none
9:
  amoadd.w a1, a1, (a0)
  ebreak
8:
  LOAD_TS(t0, TS_CAUSE)
  li t1, CAUSE_STORE_ACCESS
  beq t0, t1, 8f
  li t1, CAUSE_LOAD_ACCESS
  bne t0, t1, fail
  IF_QUIRK(QUIRK_AMO_LOAD_CAUSE, 8f)
  j fail
8:
  CHECK_TVAL_SYM(pmp_none)
  CHECK_EPC_SYM(9b)
  S_OK(a1, 0x2222, la a0, pmp_tor + 4096; li a1, 0x2222; sd a1, 0(a0); ld a1, 0(a0))
  S_OK(a1, 0x3333, la a0, pmp_tor_end - 8; li a1, 0x3333; sd a1, 0(a0); ld a1, 0(a0))
  S_OK(a0, 0xc0de, call pmp_code)                                     /* X-only: execute */
  S_FAULT(CAUSE_LOAD_ACCESS, la a0, pmp_code; 9: lw a1, 0(a0))
  TEST("S-mode fetch from a readable, non-executable region: 1")
  SET_RESUME(8f)
  GOTO_S(7f)
7:
  la a0, pmp_tor
  jalr a0
  ebreak
8:
  CHECK_CAUSE(CAUSE_FETCH_ACCESS)
  LOAD_TS(t0, TS_EPC)
  la t1, pmp_tor
  bne t0, t1, fail
  LOAD_TS(t0, TS_TVAL)
  bne t0, t1, fail
  TEST("misaligned load straddling into a denied region faults")
  SET_RESUME(8f)
  GOTO_S(7f)
7:
  la a0, pmp_none - 4
  ld a1, 0(a0)
  ebreak
8:
  CHECK_CAUSE(CAUSE_LOAD_ACCESS)

  /* ------------------------------------------------------------ U-mode */
  TEST("U-mode obeys the same entries")
  SET_RESUME(8f)
  GOTO_U(7f)
7:
  la a0, pmp_ro
  ld a1, 0(a0)
  la a0, pmp_none
  ld a1, 0(a0)
  ebreak
8:
  CHECK_CAUSE(CAUSE_LOAD_ACCESS)
  CHECK_TVAL_SYM(pmp_none)

  /* ------------------------------------------------------------ M-mode */
  TEST("unlocked entries do not apply to M-mode")
  la a0, pmp_none
  ld a1, 0(a0)
  CHECK_EQ(a1, 0x4444)
  la a0, pmp_ro
  li a1, 0x1111
  sd a1, 0(a0)

  /* ------------------------------------------------- priority, no match */
  TEST("lowest-numbered match wins: entry 5 (RWX) does not widen entry 2 (R)")
  S_FAULT(CAUSE_STORE_ACCESS, la a0, pmp_ro; 9: sd a1, 0(a0))
  TEST("no matching entry: S-mode access denied")
  li t0, 0xff << 40
  csrc pmpcfg0, t0                  /* entry 5 off */
  sfence.vma
  SET_RESUME(8f)
  GOTO_S(7f)
7:
  nop                               /* fetch of this fails */
  ebreak
8:
  li t0, (PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 40
  csrs pmpcfg0, t0
  sfence.vma
  CHECK_CAUSE(CAUSE_FETCH_ACCESS)
  CHECK_EPC_SYM(7b)

  /* ---------------------------------------------------------------- NA4 */
  TEST("NA4 entry (skipped if the granularity is coarser)")
  li t0, 0xffff
  csrc pmpcfg0, t0                  /* entries 0 and 1 off */
  la a0, pmp_tor + 64
  srli a1, a0, 2
  csrw pmpaddr0, a1
  li t0, PMP_NA4 | PMP_R
  csrs pmpcfg0, t0
  csrr a2, pmpcfg0
  andi a2, a2, 0xff
  li t1, PMP_NA4 | PMP_R
  bne a2, t1, 1f
  sfence.vma
  S_OK(a1, 0, la a0, pmp_tor + 64; lw a1, 0(a0))
  S_FAULT(CAUSE_STORE_ACCESS, la a0, pmp_tor + 64; 9: sw a1, 0(a0))
  S_OK(a1, 5, la a0, pmp_tor + 68; li a1, 5; sw a1, 0(a0); lw a1, 0(a0))  /* next word: entry 5 */
1:
  la a0, pmp_tor
  srli a0, a0, 2
  csrw pmpaddr0, a0
  csrw pmpcfg0, s10
  sfence.vma

  /* ------------------------------------------------------------- locked */
  TEST("a locked entry applies to M-mode and ignores writes")
  li t0, PMP_L << 24
  csrs pmpcfg0, t0                  /* lock entry 3 (no permissions) */
  sfence.vma
  csrr a0, pmpaddr3
  li a1, 0
  csrw pmpaddr3, a1                 /* ignored */
  csrr a2, pmpaddr3
  bne a0, a2, fail
  li t0, 0xff << 24
  csrc pmpcfg0, t0                  /* ignored */
  csrr a2, pmpcfg0
  srli a2, a2, 24
  andi a2, a2, 0xff
  CHECK_EQ(a2, PMP_L | PMP_NAPOT)
  SET_RESUME(2f)
  la a0, pmp_none
1:
  ld a1, 0(a0)
  j fail
2:
  CHECK_CAUSE(CAUSE_LOAD_ACCESS)
  CHECK_EPC_SYM(1b)
  CHECK_TVAL_SYM(pmp_none)

done:
  ld ra, 0(sp)
  addi sp, sp, 16
  ret

  .balign 4096
pmp_code:                           /* execute-only for S/U */
  li a0, 0xc0de
  ret
  .balign 4096

  .data
  .balign 4096
pmp_tor:   .fill 1024, 8, 0         /* 8 KiB, RW */
pmp_tor_end:
pmp_ro:    .dword 0x1111
  .balign 4096
pmp_none:  .dword 0x4444
  .balign 4096
