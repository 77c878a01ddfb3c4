#!/bin/sh
# Rebuild the bare-metal ISA test programs: test/isa/*.S -> test/isa/build/*.elf
# Usage: test/isa/build.sh [name ...]   (run from anywhere; needs riscv64-linux-gnu-gcc)
set -eu
cd "$(dirname "$0")/../.."
CC=${CC:-riscv64-linux-gnu-gcc}
ASFLAGS="-march=rv64gc -mabi=lp64d -mcmodel=medany -I test/isa"
LDFLAGS="-nostdlib -nostartfiles -static -march=rv64gc -mabi=lp64d \
  -Wl,-T,test/isa/link.ld -Wl,--build-id=none -Wl,--no-relax -Wl,--no-warn-rwx-segments"
mkdir -p test/isa/build
if [ $# -gt 0 ]; then names="$*"; else
  names=$(cd test/isa && ls *.S | sed 's/\.S$//')
fi
for n in $names; do
  echo "  AS+LD test/isa/build/$n.elf"
  # two steps with fixed object names so the output is byte-for-byte reproducible
  $CC $ASFLAGS -c -o "test/isa/build/$n.o" "test/isa/$n.S"
  $CC $LDFLAGS -o "test/isa/build/$n.elf" "test/isa/build/$n.o"
  rm -f "test/isa/build/$n.o"
done
