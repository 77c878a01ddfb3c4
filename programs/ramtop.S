# Writes a distinct pattern into the first and the last page of a 1 GiB guest RAM
# (guest physical 0x80000000 and 0xBFFFF000), reads both back, and exits through
# HTIF with 0 when they hold. Proves RAM at its fixed offset reaches 1 GiB.
#define RAM_TOP 0xC0000000

    .section .text.init
    .globl _start
_start:
    csrr    t0, mhartid
    bnez    t0, idle
    li      s0, RAM_TOP - 4096          # last page
    la      s1, pattern_area            # a page near the start of RAM
    li      t1, 0x0123456789abcdef
    li      t2, 512                     # 512 doublewords = one page
    mv      t3, s0
    mv      t4, s1
1:  sd      t1, 0(t3)
    not     t5, t1
    sd      t5, 0(t4)
    addi    t1, t1, 7
    addi    t3, t3, 8
    addi    t4, t4, 8
    addi    t2, t2, -1
    bnez    t2, 1b

    li      t1, 0x0123456789abcdef
    li      t2, 512
    li      a0, 0
2:  ld      t5, 0(s0)
    bne     t5, t1, fail
    ld      t5, 0(s1)
    not     t6, t1
    bne     t5, t6, fail
    addi    t1, t1, 7
    addi    s0, s0, 8
    addi    s1, s1, 8
    addi    t2, t2, -1
    bnez    t2, 2b
    j       exit
fail:
    li      a0, 1
exit:
    slli    a0, a0, 1
    ori     a0, a0, 1
    la      t0, tohost
    sd      a0, 0(t0)
idle:
    wfi
    j       idle

    .section .tohost, "aw", @progbits
    .align 6
    .globl tohost
tohost: .dword 0
    .align 6
    .globl fromhost
fromhost: .dword 0

    .bss
    .align 12
pattern_area: .space 4096
