#!/usr/bin/env bash
# Rebuild the Amber guest images from Debian packages into guest/images/.
#
#   bash guest/build.sh            (from the repository root)
#
# Scratch goes to build/guest/ (git-ignored). See guest/README.md.
# Environment knobs:
#   JOBS=N            parallel kernel build jobs (default: nproc)
#   SKIP_KERNEL=1     reuse build/guest/kobj/arch/riscv/boot/Image if present
#   SOURCE_DATE_EPOCH timestamp baked into the kernel, cpio and disk
#                     (default 1767225600 = 2026-01-01 00:00:00 UTC)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
G=$ROOT/guest
OUT=$G/images
B=$ROOT/build/guest
JOBS=${JOBS:-$(nproc)}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600}
KERNEL_PKG=linux-source-6.12
BUSYBOX_PKG=busybox-static
DISK_SIZE_MIB=32
DISK_UUID=a3b3e5c0-0000-4000-8000-616d62657221   # fixed: reproducible image
BOOTARGS="console=ttyS0 earlycon=uart8250,mmio,0x10000000 loglevel=4 no4lvl"
FW_DIR=/usr/lib/riscv64-linux-gnu/opensbi/generic

log() { printf '\n=== %s [%s]\n' "$*" "$(date +%T)"; }
t0=$(date +%s)

# ---------------------------------------------------------------- 0. tools
log "checking host tools"
missing=()
for t in riscv64-linux-gnu-gcc gcc make flex bison bc cpio mke2fs debugfs e2fsck dpkg-deb apt-get python3 gzip xz; do
  command -v "$t" >/dev/null || missing+=("$t")
done
[ -f /usr/include/libelf.h ] || missing+=("libelf-dev")
[ -f /usr/include/openssl/ssl.h ] || missing+=("libssl-dev")
[ -f $FW_DIR/fw_jump.bin ] || missing+=("opensbi")
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing: ${missing[*]}" >&2
  echo "install: apt-get install -y gcc-riscv64-linux-gnu flex bison bc cpio libelf-dev libssl-dev e2fsprogs opensbi python3 xz-utils" >&2
  exit 1
fi
mkdir -p "$B" "$OUT"

# ------------------------------------------- 1. Debian trixie riscv64 packages
# A private apt root: the machine's own apt sources and dpkg architectures are
# left alone.
log "fetching $KERNEL_PKG and $BUSYBOX_PKG (Debian trixie, riscv64/all)"
D=$B/aptrv
mkdir -p $D/etc/apt/sources.list.d $D/etc/apt/preferences.d $D/var/lib/apt/lists/partial \
         $D/var/cache/apt/archives/partial $D/var/lib/dpkg $B/debs
touch $D/var/lib/dpkg/status
DEBIAN_URI=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
DEBIAN_URI=${DEBIAN_URI:-http://deb.debian.org/debian}
echo "deb [arch=riscv64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $DEBIAN_URI trixie main" > $D/etc/apt/sources.list
RVAPT=(apt-get -q -o Dir=$D -o Dir::Etc::sourcelist=$D/etc/apt/sources.list
       -o Dir::Etc::sourceparts=$D/etc/apt/sources.list.d -o Dir::State::status=$D/var/lib/dpkg/status
       -o Dir::Cache=$D/var/cache/apt -o Dir::State=$D/var/lib/apt
       -o APT::Architecture=riscv64 -o APT::Architectures=riscv64)
[ "$(id -u)" = 0 ] && RVAPT+=(-o APT::Sandbox::User=root)
"${RVAPT[@]}" update >/dev/null
kver=$("${RVAPT[@]}" -qq --print-uris download $KERNEL_PKG | awk '{print $2}')
bver=$("${RVAPT[@]}" -qq --print-uris download $BUSYBOX_PKG | awk '{print $2}')
echo "kernel package:  $kver"
echo "busybox package: $bver"
(cd $B/debs && for f in "$kver" "$bver"; do
   [ -s "$f" ] || "${RVAPT[@]}" download "${f%%_*}" >/dev/null
 done)
KDEB=$B/debs/$kver
BDEB=$B/debs/$bver

# ---------------------------------------------------------- 2. kernel source
KSRC=$B/linux-source-6.12
if [ ! -f "$KSRC/.amber-from" ] || [ "$(cat "$KSRC/.amber-from")" != "$kver" ]; then
  log "unpacking kernel source"
  rm -rf "$KSRC" $B/ksrc-deb
  dpkg-deb -x "$KDEB" $B/ksrc-deb
  tar -C $B -xJf $B/ksrc-deb/usr/src/linux-source-6.12.tar.xz
  rm -rf $B/ksrc-deb
  echo "$kver" > "$KSRC/.amber-from"
fi
KERNELVERSION=$(make -s -C "$KSRC" kernelversion)
echo "kernel version: $KERNELVERSION"

# ------------------------------------------------------------- 3. kernel
KO=$B/kobj
KMAKE=(make -C "$KSRC" O="$KO" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu-
       KBUILD_BUILD_USER=amber KBUILD_BUILD_HOST=amber
       KBUILD_BUILD_TIMESTAMP="$(date -u -d @$SOURCE_DATE_EPOCH)")
if [ "${SKIP_KERNEL:-0}" = 1 ] && [ -f $KO/arch/riscv/boot/Image ]; then
  log "kernel: reusing $KO/arch/riscv/boot/Image (SKIP_KERNEL=1)"
else
  log "kernel: allnoconfig + guest/kernel.config"
  mkdir -p "$KO"
  "${KMAKE[@]}" -s KCONFIG_ALLCONFIG="$G/kernel.config" allnoconfig
  log "kernel: make -j$JOBS Image"
  "${KMAKE[@]}" -s -j"$JOBS" Image
fi

log "kernel: verifying .config against guest/kernel.config"
python3 - "$G/kernel.config" "$KO/.config" <<'EOF'
import re, sys
frag, cfg = sys.argv[1], sys.argv[2]
have = {}
for l in open(cfg):
    l = l.strip()
    m = re.match(r'(CONFIG_\w+)=(.*)', l)
    if m: have[m.group(1)] = m.group(2)
    m = re.match(r'# (CONFIG_\w+) is not set', l)
    if m: have[m.group(1)] = 'n'
bad = 0
for l in open(frag):
    m = re.match(r'(CONFIG_\w+)=(.*)', l.strip())
    if not m: continue
    k, v = m.groups()
    got = have.get(k, 'n')          # absent == not set
    if got != v:
        print(f'  MISMATCH {k}: asked {v}, got {got}'); bad += 1
# extensions beyond rv64imafdc_zicsr_zifencei must be off
for k in ['RISCV_ISA_V', 'RISCV_ISA_ZICBOM', 'RISCV_ISA_ZICBOZ', 'RISCV_ISA_SVPBMT', 'RISCV_ISA_SVNAPOT',
          'RISCV_ISA_ZBA', 'RISCV_ISA_ZBB', 'RISCV_ISA_ZBC', 'RISCV_ISA_ZAWRS', 'RISCV_ISA_ZACAS',
          'ERRATA_THEAD', 'ERRATA_SIFIVE', 'ERRATA_ANDES', 'MODULES', 'NET', 'DEBUG_INFO']:
    if have.get('CONFIG_' + k, 'n') not in ('n',):
        print(f'  MUST BE OFF: CONFIG_{k}={have["CONFIG_" + k]}'); bad += 1
if bad:
    sys.exit(f'{bad} kernel config problem(s)')
print('  all options as requested')
EOF
cp $KO/arch/riscv/boot/Image $OUT/Image
cp $KO/.config $OUT/kernel.config.full

# ------------------------------------------------------------- 4. initramfs
log "initramfs: busybox + guest/rootfs"
rm -rf $B/bb && mkdir -p $B/bb
dpkg-deb -x "$BDEB" $B/bb
BUSYBOX=$B/bb/usr/bin/busybox
BBVER="BusyBox $(dpkg-deb -f "$BDEB" Version | sed 's/^[0-9]*://; s/-[^-]*$//')"
echo "busybox: $BBVER"
# Applet names: ask the binary itself through qemu-user when available,
# otherwise read its NUL-separated applet name table ("[", "[[", "acpid", ...).
if command -v qemu-riscv64 >/dev/null && qemu-riscv64 "$BUSYBOX" --list > $B/applets.txt 2>/dev/null && [ -s $B/applets.txt ]; then
  echo "applets: from 'busybox --list' (qemu-riscv64)"
else
  python3 - "$BUSYBOX" > $B/applets.txt <<'EOF'
import sys
d = open(sys.argv[1], 'rb').read()
i = d.find(b'[\x00[[\x00')
assert i >= 0, 'applet table not found'
print('\n'.join(x.decode() for x in d[i:d.find(b'\x00\x00', i)].split(b'\x00')))
EOF
  echo "applets: from the binary's name table"
fi
echo "applets: $(wc -l < $B/applets.txt)"

gcc -O2 -o $B/gen_init_cpio "$KSRC/usr/gen_init_cpio.c"
L=$B/initramfs.list
{
  echo "# generated by guest/build.sh"
  for d in /bin /dev /etc /proc /sys /tmp /run /mnt /usr /var; do echo "dir $d 0755 0 0"; done
  echo "dir /root 0700 0 0"
  echo "nod /dev/console 0600 0 0 c 5 1"
  echo "nod /dev/null 0666 0 0 c 1 3"
  echo "slink /sbin bin 0777 0 0"
  echo "slink /usr/bin ../bin 0777 0 0"
  echo "slink /usr/sbin ../bin 0777 0 0"
  echo "slink /var/run ../run 0777 0 0"
  echo "slink /var/tmp ../tmp 0777 0 0"
  echo "file /bin/busybox $BUSYBOX 0755 0 0"
  while read -r a; do
    [ "$a" = busybox ] && continue
    echo "slink /bin/$a busybox 0777 0 0"
  done < $B/applets.txt
  echo "file /init $G/rootfs/init 0755 0 0"
  (cd $G/rootfs && find etc -type f | LC_ALL=C sort) | while read -r f; do
    if [ -x "$G/rootfs/$f" ]; then m=0755; else m=0644; fi
    echo "file /$f $G/rootfs/$f $m 0 0"
  done
} > $L
$B/gen_init_cpio -t "$SOURCE_DATE_EPOCH" $L > $B/initramfs.cpio
gzip -9 -n -c $B/initramfs.cpio > $OUT/initramfs.cpio.gz

# ------------------------------------------------------------------ 5. disk
log "disk: ${DISK_SIZE_MIB} MiB ext4"
DS=$B/diskroot
rm -rf $DS && mkdir -p $DS/data
echo "hello from the amber disk" > $DS/hello.txt
cat > $DS/README.txt <<'EOF'
Amber test disk (virtio-blk, /dev/vda, mounted on /mnt by the initramfs).
hello.txt   a known line for tests
data/       empty directory for tests to write into
EOF
printf '%s\n' "$(seq 1 1000)" > $DS/numbers.txt
find $DS -exec touch -h -d @"$SOURCE_DATE_EPOCH" {} +
rm -f $B/disk.ext4
E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH mke2fs -q -F -t ext4 -b 4096 -N 2048 -L amber \
  -U $DISK_UUID -E hash_seed=$DISK_UUID,root_owner=0:0 -m 0 \
  -d $DS $B/disk.ext4 ${DISK_SIZE_MIB}M >/dev/null
# mke2fs -d copies the builder's uid/gid and each file's real ctime: make
# everything root-owned and stamp all times, so the image is reproducible.
(echo /; echo /lost+found; cd $DS && find . -mindepth 1 | LC_ALL=C sort | sed 's|^\.||') | while read -r f; do
   for t in atime ctime mtime crtime; do echo "sif $f $t @$SOURCE_DATE_EPOCH"; echo "sif $f ${t}_extra 0"; done
   echo "sif $f uid 0"; echo "sif $f gid 0"
 done > $B/disk-fixup.debugfs
E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH debugfs -w -f $B/disk-fixup.debugfs $B/disk.ext4 >/dev/null 2>&1
e2fsck -fn $B/disk.ext4 >/dev/null 2>&1
gzip -9 -n -c $B/disk.ext4 > $OUT/disk.ext4.gz

# -------------------------------------------------------------- 6. firmware
log "firmware: OpenSBI generic fw_jump from $FW_DIR"
cp $FW_DIR/fw_jump.bin $FW_DIR/fw_jump.elf $OUT/
SBIVER=$(dpkg-query -W -f='${Version}' opensbi 2>/dev/null || echo unknown)

# -------------------------------------------------------------- 7. manifest
log "manifest"
python3 - "$OUT" "$B/disk.ext4" <<EOF
import hashlib, json, os, sys
out, disk_raw = sys.argv[1], sys.argv[2]
def ent(name, path=None, **extra):
    p = path or os.path.join(out, name)
    d = open(p, 'rb').read()
    e = {'file': name, 'size': len(d), 'sha256': hashlib.sha256(d).hexdigest()}
    e.update(extra)
    return e
raw = ent(os.path.basename(disk_raw), disk_raw)
kpkg, bpkg = '$kver'.replace('%3a', ':'), '$bver'.replace('%3a', ':')
manifest = {
  'images': [{
    'name': 'linux',
    'title': 'Linux $KERNELVERSION (Debian linux-source) + $BBVER initramfs',
    'arch': 'rv64imafdc_zicsr_zifencei',
    'firmware': ent('fw_jump.bin', loadOffset=0, elf='fw_jump.elf',
                    source='Debian bookworm opensbi $SBIVER, generic platform, fw_jump (jumps to DRAM+2 MiB)'),
    'kernel': ent('Image', loadOffset=0x200000, version='$KERNELVERSION',
                  source='Debian trixie ' + kpkg, config='kernel.config.full'),
    'initrd': ent('initramfs.cpio.gz', format='newc cpio, gzip',
                  source='Debian trixie ' + bpkg + ' + guest/rootfs'),
    'disk': ent('disk.ext4.gz', gzip=True, fstype='ext4', label='amber',
                unpacked={'size': raw['size'], 'sha256': raw['sha256']},
                note='gzip-compressed: loaders gunzip it before attaching it as a virtio-blk device'),
    'bootargs': '$BOOTARGS',
    'readyLine': 'amber: ready',
    'minMemoryMiB': 128,
    'harts': {'min': 1, 'max': 16},
  }]
}
with open(os.path.join(out, 'manifest.json'), 'w') as f:
    json.dump(manifest, f, indent=2)
    f.write('\n')
EOF

log "done in $(( $(date +%s) - t0 )) s"
ls -l $OUT
