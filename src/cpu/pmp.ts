// Physical memory protection: 16 entries (pmpcfg0/2, pmpaddr0–15), granularity 4 bytes.
// Checked on every TLB fill and on uncached accesses (MMIO); TLBs are flushed when PMP changes,
// and a page is only cached when one PMP decision covers all of it.
//
// Deviation (as QEMU): when no entry is enabled, S/U accesses are allowed too.
import { HS_PMPCFG, HS_PMPADDR } from './generated/layout';
import { rd64, wr64, PRV_M } from './state';
import { ACC_FETCH, ACC_LOAD } from './consts';

const PMP_R: u32 = 1, PMP_W: u32 = 2, PMP_X: u32 = 4, PMP_L: u32 = 0x80;
const A_OFF: u32 = 0, A_TOR: u32 = 1, A_NA4: u32 = 2;
const ADDR_MASK: u64 = (<u64>1 << 54) - 1;

/** True when some entry is enabled (recomputed on writes and by flushCaches). */
let pmpOn: bool = false;

@inline function cfgOf(i: u32): u32 {
  return <u32>(rd64(HS_PMPCFG + ((i >> 3) << 3)) >> ((i & 7) << 3)) & 0xff;
}
@inline function addrOf(i: u32): u64 { return rd64(HS_PMPADDR + (i << 3)); }

export function pmpRecompute(): void {
  pmpOn = ((rd64(HS_PMPCFG) | rd64(HS_PMPCFG + 8)) & 0x1818181818181818) != 0;
}

/** Is [pa, pa+len) allowed for access kind `acc` at privilege `p`? */
export function pmpCheck(pa: u64, len: u64, acc: u32, p: u32): bool {
  if (!pmpOn) return true;
  const last = pa + len - 1;
  for (let i: u32 = 0; i < 16; i++) {
    const cfg = cfgOf(i);
    const a = (cfg >> 3) & 3;
    if (a == A_OFF) continue;
    let lo: u64, hi: u64; // inclusive bounds
    const addr = addrOf(i);
    if (a == A_TOR) {
      lo = i == 0 ? 0 : addrOf(i - 1) << 2;
      const top = addr << 2;
      if (top <= lo) continue;
      hi = top - 1;
    } else if (a == A_NA4) {
      lo = addr << 2; hi = lo + 3;
    } else {
      const t = ctz(~addr);
      lo = (addr & ~((<u64>1 << t) - 1)) << 2;
      hi = lo + ((<u64>1 << (t + 3)) - 1);
    }
    if (last < lo || pa > hi) continue;
    if (pa < lo || last > hi) return false; // partially covered: fails
    if (p == PRV_M && (cfg & PMP_L) == 0) return true;
    const need = acc == ACC_FETCH ? PMP_X : acc == ACC_LOAD ? PMP_R : PMP_W;
    return (cfg & need) != 0;
  }
  return p == PRV_M;
}

@inline function locked(i: u32): bool { return (cfgOf(i) & PMP_L) != 0; }

/** Write pmpcfg0 (idx 0) or pmpcfg2 (idx 1): locked bytes keep their value; W without R is cleared. */
export function pmpWriteCfg(idx: u32, v: u64): void {
  let out = rd64(HS_PMPCFG + (idx << 3));
  for (let b: u32 = 0; b < 8; b++) {
    const i = idx * 8 + b;
    if (locked(i)) continue;
    let c = <u32>(v >> (b << 3)) & 0xff;
    c &= 0x9f; // bits 5–6 reserved
    if ((c & PMP_R) == 0) c &= ~PMP_W;
    out = (out & ~(<u64>0xff << (b << 3))) | (<u64>c << (b << 3));
  }
  wr64(HS_PMPCFG + (idx << 3), out);
  pmpRecompute();
}

export function pmpWriteAddr(i: u32, v: u64): void {
  if (locked(i)) return;
  if (i < 15 && locked(i + 1) && ((cfgOf(i + 1) >> 3) & 3) == A_TOR) return;
  wr64(HS_PMPADDR + (i << 3), v & ADDR_MASK);
}
