#!/usr/bin/env bash
# Boot the committed guest images on QEMU's `virt` machine (the reference
# machine Amber imitates).
#
#   bash guest/run-qemu.sh [-smp N] [-m 256M] [extra qemu args...]
#
# The console is this terminal (-nographic; Ctrl-A X quits QEMU, Ctrl-C goes
# to the guest). The disk image is gunzipped into a temporary copy, so the
# committed image is never modified. Bootargs come from guest/images/manifest.json
# (override with BOOTARGS=...).
# The CPU is restricted to what Amber implements, rv64imafdc_zicsr_zifencei
# (no H, Sstc, Zba/Zbb/Zbc/Zbs, Zihintpause), so the kernel takes the same
# paths as on Amber (e.g. timer through SBI, not Sstc). QEMU_CPU=rv64 gives
# QEMU's default CPU.
set -euo pipefail
G=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
I=$G/images
SMP=1 MEM=256M
QEMU_CPU=${QEMU_CPU:-rv64,h=false,sstc=false,zba=false,zbb=false,zbc=false,zbs=false,Zihintpause=false}
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    -smp) SMP=$2; shift 2 ;;
    -m) MEM=$2; shift 2 ;;
    *) extra+=("$1"); shift ;;
  esac
done
BOOTARGS=${BOOTARGS:-$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["images"][0]["bootargs"])' "$I/manifest.json")}
DISK=$(mktemp --tmpdir amber-disk.XXXXXX.ext4)
trap 'rm -f "$DISK"' EXIT
trap 'exit 143' TERM INT HUP
gzip -dc "$I/disk.ext4.gz" > "$DISK"
qemu-system-riscv64 -M virt -cpu "$QEMU_CPU" -smp "$SMP" -m "$MEM" \
  -bios "$I/fw_jump.bin" -kernel "$I/Image" -initrd "$I/initramfs.cpio.gz" \
  -append "$BOOTARGS" -nographic \
  -drive file="$DISK",format=raw,if=none,id=d0 -device virtio-blk-device,drive=d0 \
  -device virtio-rng-device \
  ${extra[@]+"${extra[@]}"}
