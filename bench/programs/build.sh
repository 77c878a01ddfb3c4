#!/usr/bin/env bash
# Builds the `npm run bench:cpu` guest programs (committed under bench/programs/build/):
#   <kernel>-bare-<H>.elf   bare metal for `amber elf` (H harts each run the kernel)
#   <kernel>-linux.elf      the same kernel object, Linux user, for `qemu-riscv64`
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p build
CC=${CC:-riscv64-linux-gnu-gcc}
COMMON="-O2 -march=rv64gc -mabi=lp64d -mcmodel=medany -fno-pic -no-pie -nostdlib -nostartfiles -static -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns -Wl,--build-id=none"
i=1
for k in int-loop crc32 nbody; do
  for h in 1 2; do
    [ $k = int-loop ] || [ $h = 1 ] || continue
    $CC $COMMON -DKERNEL=$i -DHARTS=$h -Wl,-T,../../programs/link.ld -o build/$k-bare-$h.elf start-bare.S platform-bare.c kernels.c
  done
  $CC $COMMON -DKERNEL=$i -o build/$k-linux.elf start-linux.S platform-linux.c kernels.c
  i=$((i + 1))
done
ls -l build
