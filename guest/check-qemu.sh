#!/usr/bin/env bash
# Automatic check of the committed guest images on QEMU `virt`.
#
#   bash guest/check-qemu.sh [N ...]      (default: 1 2 4 harts)
#
# For each hart count N it boots guest/run-qemu.sh -smp N and checks:
# the ready line (and the time to reach it), nproc == N, hostname, the disk on
# /mnt (hello.txt, writing a 16 MiB file), the date (goldfish RTC == host date),
# virtio-rng, a controlling TTY with working Ctrl-C, and that `poweroff`
# makes QEMU exit. Prints one PASS/FAIL line per check and a summary;
# exit status 0 only if everything passed. VERBOSE=1 echoes the console.
set -euo pipefail
G=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export AMBER_GUEST_DIR=$G
exec python3 - "$@" <<'PY'
import os, re, select, signal, subprocess, sys, time

G = os.environ['AMBER_GUEST_DIR']
VERBOSE = os.environ.get('VERBOSE') == '1'
READY = 'amber: ready'
harts = [int(a) for a in sys.argv[1:]] or [1, 2, 4]
results = []

def report(name, ok, detail=''):
    results.append(ok)
    print(f"{'PASS' if ok else 'FAIL'}  {name}{'  (' + detail + ')' if detail else ''}", flush=True)

class Console:
    def __init__(self, n):
        self.t0 = time.monotonic()
        self.p = subprocess.Popen(['bash', os.path.join(G, 'run-qemu.sh'), '-smp', str(n), '-no-reboot'],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        self.buf = ''
        self.log = ''
        self.t_first = None

    def _pump(self, timeout):
        r, _, _ = select.select([self.p.stdout], [], [], timeout)
        if not r:
            return True
        d = os.read(self.p.stdout.fileno(), 65536)
        if not d:
            return False
        s = d.decode('utf-8', 'replace').replace('\r', '')
        s = re.sub(r'\x1b\[[0-9;?]*[A-Za-z]', '', s)
        if VERBOSE:
            sys.stdout.write(s); sys.stdout.flush()
        if self.t_first is None:
            self.t_first = time.monotonic()
        self.buf += s
        self.log += s
        return True

    def expect(self, pattern, timeout):
        """Wait for regex `pattern`; return the match (text before it is consumed) or None."""
        end = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            m = rx.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            left = end - time.monotonic()
            if left <= 0 or not self._pump(min(left, 0.2)):
                m = rx.search(self.buf)
                if m:
                    self.buf = self.buf[m.end():]
                return m

    def send(self, s):
        self.p.stdin.write(s.encode()); self.p.stdin.flush()

    def run(self, cmd, timeout=30):
        """Run a shell command; return its output (between the echoed command and an end marker)."""
        tag = f'@@{int(time.monotonic() * 1000) % 100000}@@'
        # The echoed command line shows `@@N'@'@`, the output shows `@@N@@` only once.
        self.buf = ''
        self.send(f"{cmd}; echo \"rc=$?\" {tag[:-1]}'@'\n")
        m = self.expect(r'([\s\S]*?)rc=(\d+) ' + re.escape(tag), timeout)
        if not m:
            return None, None
        out = m.group(1)
        i = out.rfind("'@'\n")         # end of the (last) echoed command line
        if i >= 0:
            out = out[i + 4:]
        return out.strip(), int(m.group(2))

    def wait_exit(self, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.p.poll() is not None:
                return self.p.returncode
            self._pump(0.2)
        return None

    def kill(self):
        if self.p.poll() is None:
            try:
                os.killpg(self.p.pid, signal.SIGTERM)
                self.p.wait(5)
            except Exception:
                os.killpg(self.p.pid, signal.SIGKILL)

boot_times = {}
for n in harts:
    print(f'--- QEMU virt, {n} hart(s)', flush=True)
    c = Console(n)
    try:
        m = c.expect(re.escape(READY), 120)
        t = time.monotonic()
        dt, dfw = t - c.t0, t - (c.t_first or t)
        report(f'[{n}] ready line', bool(m), f'{dt:.2f} s after QEMU start, {dfw:.2f} s after the first firmware output'
               if m else 'not seen in 120 s')
        if not m:
            print(c.log[-3000:])
            continue
        c.expect(r'# $', 10)   # first prompt
        out, rc = c.run("cut -d' ' -f1 /proc/uptime")
        boot_times[n] = (dt, dfw, out)

        out, rc = c.run('nproc')
        report(f'[{n}] nproc == {n}', out == str(n), f'got {out!r}')

        out, rc = c.run('hostname')
        report(f'[{n}] hostname == amber', out == 'amber', f'got {out!r}')

        out, rc = c.run('cat /mnt/hello.txt')
        report(f'[{n}] cat /mnt/hello.txt', out == 'hello from the amber disk', f'got {out!r}')

        host = time.time()
        out, rc = c.run('date +%s')
        ok = out is not None and out.isdigit() and abs(int(out) - host) < 120
        report(f'[{n}] guest date == host date (goldfish RTC)', ok,
               f'guest {out}, host {int(host)}, {time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(int(out)))} UTC' if ok else f'got {out!r}')

        out, rc = c.run('cat /sys/class/misc/hw_random/rng_current')
        report(f'[{n}] virtio-rng is the hwrng', bool(out) and out.startswith('virtio_rng'), f'got {out!r}')

        out, rc = c.run('tty')
        report(f'[{n}] shell has a real tty', out == '/dev/ttyS0', f'got {out!r}')

        # Ctrl-C must interrupt a foreground job (shell has a controlling TTY)
        c.buf = ''
        c.send('sleep 60\n')
        time.sleep(1.0)
        c.send('\x03')
        t = time.monotonic()
        out, rc = c.run('echo after-ctrl-c', timeout=20)
        report(f'[{n}] Ctrl-C interrupts a foreground job', out is not None and out.endswith('after-ctrl-c')
               and time.monotonic() - t < 15, f'{time.monotonic() - t:.1f} s')

        out, rc = c.run('dd if=/dev/zero of=/mnt/data/big bs=1M count=16 2>/dev/null && sync && '
                        'ls -l /mnt/data/big | awk \'{print $5}\' && rm /mnt/data/big && sync', timeout=120)
        report(f'[{n}] write a 16 MiB file on /mnt', rc == 0 and out == str(16 << 20), f'rc={rc} out={out!r}')

        c.buf = ''
        t = time.monotonic()
        c.send('poweroff\n')
        code = c.wait_exit(60)
        report(f'[{n}] poweroff makes QEMU exit', code == 0,
               f'exit {code} after {time.monotonic() - t:.1f} s' if code is not None else 'still running after 60 s')
    finally:
        c.kill()

print('--- time to ready line (from QEMU start / from first firmware output / guest uptime at first command):')
for n, (dt, dfw, up) in boot_times.items():
    print(f'    {n} hart(s): {dt:.2f} s / {dfw:.2f} s / {up} s')
ok = all(results) and len(boot_times) == len(harts)
print(f'{"PASS" if ok else "FAIL"}: {sum(results)}/{len(results)} checks passed')
sys.exit(0 if ok else 1)
PY
