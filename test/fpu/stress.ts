// Self-consistency stress of the f64 FMA fast path (round-to-odd emulation, RNE only)
// against the integer soft-float FMA (itself checked against qemu by the vectors), on
// inputs built around the hazards of that algorithm: product near half an ulp of the
// addend, exact product ties plus a small addend, cancellation, sparse mantissas.
import type { Fpu } from './runner';

export function fmaStress(e: Fpu, count: number, seed = 12345n): { n: number; bad: string[] } {
  const M = (1n << 64n) - 1n;
  let s = seed;
  const rnd = () => { s = (s * 6364136223846793005n + 1442695040888963407n) & M; return s >> 11n; };
  const ri = (n: number) => Number(rnd() % BigInt(n));
  const f = (sign: number, exp: number, mant: bigint) => (BigInt(sign) << 63n) | (BigInt(exp) << 52n) | (mant & 0xFFFFFFFFFFFFFn);
  const ex = (x: bigint) => Number((x >> 52n) & 0x7FFn);
  const fbuf = new Float64Array(2), ubuf = new BigUint64Array(fbuf.buffer);
  const bad: string[] = [];
  for (let i = 0; i < count; i++) {
    let a: bigint, b: bigint, c: bigint;
    const kind = ri(4);
    if (kind === 0) {
      const ec = 400 + ri(1200), j = 20 + ri(33), j2 = 20 + ri(34);
      c = f(ri(2), ec, rnd());
      a = f(ri(2), ec - 53 - ri(2), (1n << BigInt(52 - j)) * BigInt(ri(3)) + BigInt(ri(3)));
      b = f(ri(2), 1023 - ri(2), ri(2) ? M << BigInt(j2) : BigInt(ri(5)));
    } else if (kind === 1) {
      const i1 = 1 + ri(52);
      a = f(ri(2), 900 + ri(200), 1n << BigInt(52 - i1));
      b = f(ri(2), 900 + ri(200), 1n << BigInt(i1 - 1));
      c = f(ri(2), Math.max(300, ex(a) + ex(b) - 1023 - 54 - ri(60)), rnd());
    } else if (kind === 2) {
      a = f(ri(2), 700 + ri(600), rnd());
      b = f(ri(2), 700 + ri(600), rnd());
      ubuf[0] = a; ubuf[1] = b;
      fbuf[0] = -(fbuf[0] * fbuf[1]);
      c = ubuf[0] ^ BigInt(ri(1 << ri(20)));
      if (ex(c) < 300) c = f(0, 300, 0n);
    } else {
      const sp = () => (1n << BigInt(ri(52))) | (ri(2) ? 1n : 0n) | (ri(2) ? M >> BigInt(12 + ri(52)) : 0n);
      a = f(ri(2), 900 + ri(200), sp());
      b = f(ri(2), 900 + ri(200), sp());
      c = f(ri(2), Math.max(300, ex(a) + ex(b) - 1023 - ri(110) + 2), sp());
    }
    e.testClearFlags();
    const r1 = e.f64_fma(a, b, c, 0) as bigint;
    const f1 = e.testGetFlags() as number;
    e.testClearFlags();
    const r2 = e.f64_fmaSlow(a, b, c, 0) as bigint;
    const f2 = e.testGetFlags() as number;
    if ((r1 !== r2 || f1 !== f2) && bad.length < 10) {
      bad.push(`f64_fma 0 ${a.toString(16)} ${b.toString(16)} ${c.toString(16)}: fast ${BigInt.asUintN(64, r1).toString(16)} ${f1}, slow ${BigInt.asUintN(64, r2).toString(16)} ${f2}`);
    }
  }
  return { n: count, bad };
}
