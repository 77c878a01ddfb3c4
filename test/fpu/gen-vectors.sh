#!/bin/sh
# Regenerates the committed vectors test/fpu/vectors/<op>.txt from the qemu-riscv64 oracle
# (riscv64-linux-gnu-gcc -static + qemu-user), then cross-checks them against x86-64 SSE/FMA
# (oracle 1, test/fpu/xcheck.c) and an exact rational Python reference (test/fpu/pyref.py).
#   test/fpu/gen-vectors.sh [SEED [N]]     N = vectors per op and rounding mode (default 400)
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
SEED=${1:-20261129}
N=${2:-400}
out=$root/build/fpu-test
mkdir -p "$out" "$here/vectors"
riscv64-linux-gnu-gcc -static -O2 -Wall -o "$out/gen-rv" "$here/gen.c"
qemu-riscv64 "$out/gen-rv" "$SEED" "$N" > "$out/all.txt"
rm -f "$here"/vectors/*.txt
awk -v dir="$here/vectors" '{ print > (dir "/" $1 ".txt") }' "$out/all.txt"
wc -l "$here"/vectors/*.txt | tail -1
gcc -O2 -mfma -frounding-math -Wall -o "$out/xcheck" "$here/xcheck.c" -lm
"$out/xcheck" "$here"/vectors/*.txt
# oracle 3: exact rational reference (RMM, unsigned conversions, min/max included)
python3 "$here/pyref.py" "$here"/vectors/*.txt | head -1
