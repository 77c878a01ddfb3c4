# Every hart greets through the NS16550A UART (under a spinlock), then adds 1 to a
# shared 64-bit counter ITERATIONS times with AMOADD. The last hart to finish prints
# the total and exits through HTIF with code 0 if it equals HARTS * ITERATIONS.
# Build-time parameter: HARTS (how many harts the machine runs).

#ifndef HARTS
#define HARTS 2
#endif
#define ITERATIONS 100000
#define UART 0x10000000

    .section .text.init
    .globl _start
_start:
    csrr    s0, mhartid
    la      sp, stacks
    addi    t0, s0, 1
    slli    t0, t0, 12
    add     sp, sp, t0              # 4 KiB of stack per hart

    call    lock
    la      a0, msg_hello
    call    puts
    addi    a0, s0, '0'
    call    putc
    li      a0, '\n'
    call    putc
    call    unlock

    la      t0, counter
    li      t1, ITERATIONS
    li      t2, 1
1:  amoadd.d zero, t2, (t0)
    addi    t1, t1, -1
    bnez    t1, 1b

    la      t0, finished
    li      t1, 1
    amoadd.w t1, t1, (t0)           # t1 = harts finished before us
    li      t2, HARTS - 1
    bne     t1, t2, idle            # not the last one

    la      t0, counter
    ld      s1, 0(t0)
    call    lock
    la      a0, msg_total
    call    puts
    mv      a0, s1
    call    putdec
    li      a0, '\n'
    call    putc
    call    unlock
    li      t0, HARTS * ITERATIONS
    li      a0, 0
    beq     s1, t0, 2f
    li      a0, 1
2:  slli    a0, a0, 1
    ori     a0, a0, 1
    la      t0, tohost
    sd      a0, 0(t0)
idle:
    wfi
    j       idle

# putc(a0): wait for THR empty, then write the byte.
putc:
    li      t3, UART
1:  lbu     t4, 5(t3)
    andi    t4, t4, 0x20
    beqz    t4, 1b
    sb      a0, 0(t3)
    ret

# puts(a0): NUL-terminated string.
puts:
    addi    sp, sp, -16
    sd      ra, 0(sp)
    sd      s2, 8(sp)
    mv      s2, a0
1:  lbu     a0, 0(s2)
    beqz    a0, 2f
    call    putc
    addi    s2, s2, 1
    j       1b
2:  ld      ra, 0(sp)
    ld      s2, 8(sp)
    addi    sp, sp, 16
    ret

# putdec(a0): unsigned decimal.
putdec:
    addi    sp, sp, -48
    sd      ra, 40(sp)
    mv      t5, sp                  # digits stored backwards from sp+32
    addi    t5, t5, 32
    sb      zero, 0(t5)
    li      t6, 10
1:  remu    t4, a0, t6
    divu    a0, a0, t6
    addi    t4, t4, '0'
    addi    t5, t5, -1
    sb      t4, 0(t5)
    bnez    a0, 1b
    mv      a0, t5
    call    puts
    ld      ra, 40(sp)
    addi    sp, sp, 48
    ret

lock:
    la      t0, print_lock
    li      t1, 1
1:  amoswap.w.aq t2, t1, (t0)
    bnez    t2, 1b
    ret

unlock:
    la      t0, print_lock
    amoswap.w.rl zero, zero, (t0)
    ret

    .section .tohost, "aw", @progbits
    .align 6
    .globl tohost
tohost: .dword 0
    .align 6
    .globl fromhost
fromhost: .dword 0

    .data
msg_hello: .asciz "hello from hart "
msg_total: .asciz "counter total "
    .align 3
counter:    .dword 0
finished:   .word 0
print_lock: .word 0

    .bss
    .align 12
stacks: .space 4096 * 8
