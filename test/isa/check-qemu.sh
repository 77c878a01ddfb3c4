#!/bin/sh
# Run every test/isa/build/*.elf on QEMU's spike machine (HTIF) as a reference.
# Usage: test/isa/check-qemu.sh [name ...]     exit status = number of failures
cd "$(dirname "$0")/build" || exit 1
QEMU=${QEMU:-qemu-system-riscv64}
if [ $# -gt 0 ]; then names="$*"; else names=$(ls *.elf | sed 's/\.elf$//'); fi
# Known QEMU 7.2 deviations the tests may tolerate (see REF_QUIRKS_ADDR in common.h):
# 1 = AMO faults reported with load causes (4/5/13), 2 = misaligned SC w/o reservation does not trap,
# 4 = no time CSR on the spike machine, 8 = csrrs/csrrc of a read-only CSR with
# rs1 != x0 holding 0 does not trap, 0x10 = mepc/sepc keep a written bit 0,
# 0x20 = mret/sret to S/U do not clear MPRV, 0x40 = simultaneous interrupts
# are taken lowest cause number first instead of MSI > MTI > SEI > SSI > STI,
# 0x80 = a page-table walk that reads non-existent memory gives a page fault.
QUIRKS=${QUIRKS:-0xff}
fails=0
for n in $names; do
  harts=1
  case $n in multihart*) harts=4 ;; esac
  out=$(timeout 60 $QEMU -M spike -smp $harts -m 256M -bios none -kernel "$n.elf" \
        -nographic \
        -device loader,addr=0x80f00000,data=$QUIRKS,data-len=4 2>&1 </dev/null)
  rc=$?
  if [ $rc -eq 0 ] && ! printf '%s' "$out" | grep -q FAIL; then
    echo "pass  $n"
  else
    echo "FAIL  $n (exit $rc)"
    [ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/      /'
    fails=$((fails + 1))
  fi
done
echo "$fails failure(s)"
exit $fails
