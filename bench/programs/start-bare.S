    .file "start-bare.S"
# Bare-metal entry for the bench kernels (run by `amber elf`, Spike-style: every hart starts
# here in M-mode with a0 = mhartid). Harts below HARTS run bench_main(hartid); the last one to
# finish exits through HTIF tohost with code 0. Other harts sleep.
#ifndef HARTS
#define HARTS 1
#endif
    .section .text.init
    .globl _start
_start:
    csrr    s0, mhartid
    li      t0, HARTS
    bgeu    s0, t0, idle
    la      sp, stacks
    addi    t0, s0, 1
    slli    t0, t0, 14
    add     sp, sp, t0              # 16 KiB of stack per hart
    li      t0, 0x6000              # mstatus.FS = dirty: the FPU on
    csrs    mstatus, t0
    mv      a0, s0
    call    bench_main
    la      t0, finished
    li      t1, 1
    amoadd.w t1, t1, (t0)
    li      t2, HARTS - 1
    bne     t1, t2, idle            # not the last one
    li      a0, 1                   # exit code 0: (0 << 1) | 1
    la      t0, tohost
    sd      a0, 0(t0)
idle:
    wfi
    j       idle

    .section .tohost, "aw", @progbits
    .align  6
    .globl  tohost
tohost: .dword 0
    .align  6
    .globl  fromhost
fromhost: .dword 0

    .bss
    .align  4
stacks: .space 16384 * 8
finished: .word 0
