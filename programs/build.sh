#!/usr/bin/env bash
# Builds the bare-metal sample programs (committed under programs/build/).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p build
CC=${CC:-riscv64-linux-gnu-gcc}
FLAGS="-march=rv64gc -mabi=lp64d -mcmodel=medany -fno-pic -no-pie -nostdlib -nostartfiles -static -Wl,-T,link.ld -Wl,--build-id=none"
for harts in 1 2 4; do
  $CC $FLAGS -DHARTS=$harts -o build/counter-$harts.elf counter.S
done
$CC $FLAGS -o build/ramtop.elf ramtop.S

# Manifest: name, size and sha256 of each program, read by the page.
{
  echo '{ "programs": ['
  first=1
  for f in build/*.elf; do
    [ $first = 1 ] || echo ','
    first=0
    printf '  { "name": "%s", "size": %d, "sha256": "%s" }' "$(basename "$f")" "$(stat -c %s "$f")" "$(sha256sum "$f" | cut -d' ' -f1)"
  done
  echo; echo '] }'
} > build/programs.json
