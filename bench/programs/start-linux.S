    .file "start-linux.S"
# Linux-user entry for the bench kernels (run by `qemu-riscv64`): bench_main(0), then exit(0).
    .text
    .globl _start
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    li      a0, 0
    call    bench_main
    li      a0, 0
    li      a7, 94                  # exit_group
    ecall
