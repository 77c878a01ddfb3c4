// Random RISC-V (RV64GC) instruction-sequence generator for differential testing
// against qemu-riscv64. Deterministic: the same (seed, groups, length) always
// yields the same program (body + initial register/FP/memory state).
//
// Usage as a CLI (prints the body assembly and the initial state):
//   npx tsx test/diff/gen.ts --seed 7 --groups int,m,a,fd,c --length 50

export type Group = 'int' | 'm' | 'a' | 'fd' | 'c';
export const ALL_GROUPS: Group[] = ['int', 'm', 'a', 'fd', 'c'];

/** One atomic unit of the body. Label items are never removed by the shrinker. */
export interface Item {
  lines: string[];
  label?: boolean;
}

export interface Program {
  seed: number;
  groups: Group[];
  rvc: boolean;
  items: Item[];
  /** initial x0..x31 (x0, x2=sp and x8=scratch base are ignored / set by the harness) */
  initX: bigint[];
  /** initial f0..f31 raw 64-bit patterns */
  initF: bigint[];
  /** initial fcsr (frm in 0..4, fflags random) */
  initFcsr: number;
  /** initial scratch buffer contents, SCRATCH_BYTES bytes */
  scratch: Uint8Array;
}

/** Size of the scratch buffer (x8 and sp point at its start). */
export const SCRATCH_BYTES = 512;
/** s0-relative offset of the running accumulator of observed results (in the harness dump area) */
export const ACC_OFFSET = -(SCRATCH_BYTES + 8);
/** Register holding the scratch base; never written by generated code. */
export const BASE_REG = 8;

// ---------------------------------------------------------------- PRNG
/** sfc32 seeded through splitmix32: deterministic, platform independent. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    let s = seed >>> 0;
    const sm = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = sm();
    this.b = sm();
    this.c = sm();
    this.d = sm();
    for (let i = 0; i < 12; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t >>> 0;
  }
  /** integer in [0, n) */
  int(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }
  /** integer in [lo, hi] */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }
  /** weighted choice over [weight, value] pairs */
  weighted<T>(xs: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of xs) total += w;
    let r = (this.u32() / 4294967296) * total;
    for (const [w, v] of xs) {
      if (r < w) return v;
      r -= w;
    }
    return xs[xs.length - 1][1];
  }
}

// ---------------------------------------------------------------- special values
const M64 = (1n << 64n) - 1n;
const u64 = (x: bigint) => x & M64;
const s64 = (x: bigint) => BigInt.asIntN(64, x);

export const INT_SPECIALS: bigint[] = [
  0n, 1n, 2n, 3n, 7n, 31n, 32n, 33n, 63n, 64n, u64(-1n), u64(-2n), u64(-7n),
  0x7fffffffn, 0x80000000n, 0xffffffffn, 0x7ffffffen, 0x100000000n,
  0xffffffff80000000n, 0xffffffff7fffffffn, 0x7fffffffffffffffn, 0x8000000000000000n,
  0x8000000000000001n, 0xfffffffffffff800n, 0x7ffn, 0x800n, 0xfffn, 0x5555555555555555n,
  0xaaaaaaaaaaaaaaaan, 0x00000000ffff0000n, 0x000000007ffff800n,
];

const D = (x: number) => {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x, true);
  return dv.getBigUint64(0, true);
};
const S = (x: number) => {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setFloat32(0, x, true);
  return BigInt(dv.getUint32(0, true));
};

/** double-precision special bit patterns */
export const DOUBLE_SPECIALS: bigint[] = [
  0n, 0x8000000000000000n, // +-0
  0x7ff0000000000000n, 0xfff0000000000000n, // +-inf
  0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff8000000000123n, 0xfffc00000000abcdn, // qNaN
  0x7ff0000000000001n, 0x7ff4000000000000n, 0xfff0000000000042n, // sNaN
  0x0000000000000001n, 0x8000000000000001n, 0x000fffffffffffffn, 0x800ffffffffffffen, // subnormal
  0x0010000000000000n, 0x8010000000000000n, 0x7fefffffffffffffn, 0xffefffffffffffffn, // min normal, max
  D(1), D(-1), D(0.5), D(-0.5), D(1.5), D(2.5), D(-2.5), D(3.5), D(-1.5), D(0.1), D(1 / 3), D(3), D(-0.75),
  D(0.49999999999999994), D(4503599627370495.5), D(4503599627370497), // rounding boundaries
  D(2147483647), D(2147483647.5), D(2147483648), D(2147483648.5), D(-2147483648), D(-2147483648.5),
  D(-2147483649), D(4294967295), D(4294967295.5), D(4294967296), D(-0.9999), D(-1.0000001),
  0x43dfffffffffffffn, 0x43e0000000000000n, 0xc3e0000000000000n, 0xc3e0000000000001n, // around 2^63
  0x43efffffffffffffn, 0x43f0000000000000n, // around 2^64
  0x3ff0000010000000n, 0x3ff0000030000000n, 0x3ff0000010000001n, // halfway for double->single
  0x47efffffe0000000n, 0x47effffff0000000n, 0x47f0000000000000n, // FLT_MAX, halfway above, 2^128
  0x36a0000000000000n, 0x3690000000000000n, 0x3698000000000000n, 0x380fffffe0000000n, 0x380ffffff0000000n, // single subnormal range
  0x3fe0000000000001n, 0x4330000000000001n, 0x4340000000000000n,
  0x3fefffffffffffffn, 0x3ff0000000000001n, 0x0010000000000001n, 0x3fdfffffffffffffn, // 1-ulp, 1+ulp: tininess/rounding edges
  0x3ca0000000000000n, 0xbca0000000000000n, 0x3cb8000000000000n, // 2^-53, 3*2^-53: 1 + x is an exact tie
];

/** single-precision special bit patterns (32-bit) */
export const SINGLE_SPECIALS: bigint[] = [
  0n, 0x80000000n, 0x7f800000n, 0xff800000n, // +-0, +-inf
  0x7fc00000n, 0xffc00000n, 0x7fc00123n, 0xffe0abcdn, // qNaN
  0x7f800001n, 0x7fa00000n, 0xff800042n, // sNaN
  0x00000001n, 0x80000001n, 0x007fffffn, 0x807ffffen, 0x00800000n, 0x80800000n, 0x7f7fffffn, 0xff7fffffn,
  S(1), S(-1), S(0.5), S(-0.5), S(1.5), S(2.5), S(-2.5), S(3.5), S(-1.5), S(0.1), S(1 / 3), S(3), S(-0.75),
  S(8388607.5), S(8388609), S(16777217 - 1), S(16777216),
  0x4effffffn, 0x4f000000n, 0xcf000000n, 0xcf000001n, 0x4f7fffffn, 0x4f800000n, // around 2^31, 2^32
  0x5effffffn, 0x5f000000n, 0xdf000000n, 0xdf000001n, 0x5f7fffffn, 0x5f800000n, // around 2^63, 2^64
  S(-0.9999), S(2147483520), S(-2147483520),
  0x3f800001n, 0x3effffffn, 0x3f7fffffn, 0x00800001n, 0x3f000001n,
  0x33800000n, 0xb3800000n, 0x34400000n, // 2^-24, 3*2^-24: 1 + x is an exact tie
];

const BOX = 0xffffffff00000000n;

/** the first `nNanInf` entries of a specials list are +-inf and NaNs: keep them to ~1/4 so that
 *  long sequences do not collapse into NaN everywhere */
function pickSpecial(r: Rng, xs: bigint[], nNanInf: number): bigint {
  // +-0 are entries 0 and 1, NaN/inf entries 2 .. nNanInf-1
  if (r.chance(0.25)) return xs[2 + r.int(nNanInf - 2)];
  const i = r.int(xs.length - (nNanInf - 2));
  return i < 2 ? xs[i] : xs[i + nNanInf - 2];
}

function randDouble(r: Rng): bigint {
  if (r.chance(0.6)) return pickSpecial(r, DOUBLE_SPECIALS, 11);
  if (r.chance(0.5)) {
    // "ordinary" double with moderate exponent
    const sign = BigInt(r.int(2)) << 63n;
    const exp = BigInt(1023 + r.range(-40, 40)) << 52n;
    return sign | exp | (r.u64() & 0xfffffffffffffn);
  }
  return r.u64();
}
function randSingle(r: Rng): bigint {
  if (r.chance(0.6)) return pickSpecial(r, SINGLE_SPECIALS, 11);
  if (r.chance(0.5)) {
    const sign = BigInt(r.int(2)) << 31n;
    const exp = BigInt(127 + r.range(-20, 20)) << 23n;
    return sign | exp | (BigInt(r.u32()) & 0x7fffffn);
  }
  return BigInt(r.u32());
}
/** 64-bit pattern for an F register: boxed single, double, or improperly boxed junk */
function randFReg(r: Rng, preferSingle: boolean): bigint {
  const k = r.int(20);
  if (k === 0) return r.u64(); // junk (likely an unboxed single view)
  if (k === 1) return 0xfffffffe00000000n | randSingle(r); // almost boxed
  if (preferSingle ? k < 17 : k < 4) return BOX | randSingle(r);
  return randDouble(r);
}

export function randInt(r: Rng): bigint {
  const k = r.int(10);
  if (k < 4) return r.pick(INT_SPECIALS);
  if (k < 6) return u64(BigInt(r.range(-20, 20)));
  if (k < 8) return u64(BigInt.asIntN(32, BigInt(r.u32()) as bigint) as bigint);
  return r.u64();
}

// ---------------------------------------------------------------- registers
const XNAMES = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];
export const xname = (i: number) => XNAMES[i];
export const fname = (i: number) => `f${i}`;

/** observation registers (t5, t6): written only by the result-folding sequences */
const OBS_REGS = [30, 31];
/** registers random code may write */
const WRITABLE_X = Array.from({ length: 32 }, (_, i) => i).filter((i) => i !== 0 && i !== 2 && i !== BASE_REG && !OBS_REGS.includes(i));
const COMPRESSED_X = [8, 9, 10, 11, 12, 13, 14, 15];
const COMPRESSED_X_W = COMPRESSED_X.filter((i) => i !== BASE_REG);
const F_SINGLE_AFFINITY = Array.from({ length: 16 }, (_, i) => i);
const F_DOUBLE_AFFINITY = Array.from({ length: 16 }, (_, i) => i + 16);

const RMS = ['rne', 'rtz', 'rdn', 'rup', 'rmm'];

// ---------------------------------------------------------------- generator
class Gen {
  items: Item[] = [];
  private labelNo = 0;
  private pending: { name: string; after: number }[] = [];
  constructor(readonly r: Rng, readonly groups: Group[]) {}

  // register choice
  rd(): string {
    if (this.r.chance(0.03)) return 'zero';
    return xname(this.r.pick(WRITABLE_X));
  }
  rdNum(): number {
    return this.r.pick(WRITABLE_X);
  }
  rs(): string {
    return xname(this.r.int(32));
  }
  fr(fmt: 's' | 'd'): string {
    if (this.r.chance(0.12)) return fname(this.r.int(32));
    return fname(this.r.pick(fmt === 's' ? F_SINGLE_AFFINITY : F_DOUBLE_AFFINITY));
  }
  rm(): string {
    const k = this.r.int(10);
    if (k < 3) return ''; // default = dyn
    if (k < 4) return ', dyn';
    return ', ' + this.r.pick(RMS);
  }
  imm12(): number {
    const k = this.r.int(10);
    if (k < 3) return this.r.range(-16, 16);
    if (k < 5) return this.r.pick([-2048, 2047, -1, 0, 1, 2046, -2047, 1024, -1024, 255, 256]);
    return this.r.range(-2048, 2047);
  }
  /** offset for an access of `size` bytes inside the scratch buffer */
  memOff(size: number, aligned: boolean): number {
    const max = SCRATCH_BYTES - size;
    if (aligned || size === 1) return this.r.int(max / size + 1) * size;
    return this.r.int(max + 1);
  }

  emit(lines: string[]) {
    this.push(lines);
    this.observe(lines[lines.length - 1]);
  }
  private push(lines: string[]) {
    this.items.push({ lines });
    for (const p of this.pending) p.after--;
    const due = this.pending.filter((p) => p.after <= 0);
    this.pending = this.pending.filter((p) => p.after > 0);
    for (const p of due) this.items.push({ lines: [`${p.name}:`], label: true });
  }
  /** make an intermediate result visible in the final memory dump: store the destination
   *  register of `line` to a random scratch slot (and sometimes read-and-clear fflags) */
  observe(line: string) {
    const r = this.r;
    const [mn, rest = ''] = line.trim().split(/\s+(.*)/);
    const dst = rest.split(',')[0]?.trim();
    if (!dst || /^(c\.)?(s[bhwd]|fs[wd]|c\.fs|b|c\.b|j|c\.j|fence|fsrm|fsflags|fscsr|c\.nop|\.L)/.test(mn)) return;
    const isF = /^f\d+$/.test(dst);
    if (!isF && !XNAMES.includes(dst)) return;
    if (dst === 'zero') return;
    const base = xname(BASE_REG);
    const k = r.u32() / 4294967296;
    const acc = `${ACC_OFFSET}(${base})`;
    const [ta, tb] = OBS_REGS.map(xname);
    // acc = rotl(acc ^ value, 5); the two observation registers are never written by random code
    const fold = [`ld ${ta}, ${acc}`, `xor ${ta}, ${ta}, ${tb}`, `slli ${tb}, ${ta}, 5`, `srli ${ta}, ${ta}, 59`, `or ${ta}, ${ta}, ${tb}`, `sd ${ta}, ${acc}`];
    if (k < (isF ? 0.5 : 0.35)) {
      this.push([isF ? `fmv.x.d ${tb}, ${dst}` : `mv ${tb}, ${dst}`, ...fold]);
    } else if (k < (isF ? 0.62 : 0.42)) {
      this.push([`${isF ? 'fsd' : 'sd'} ${dst}, ${r.int(SCRATCH_BYTES / 8) * 8}(${base})`]);
    }
    if (isF && /^f(add|sub|mul|div|sqrt|madd|msub|nmadd|nmsub|cvt|min|max)/.test(mn) && r.chance(0.35)) {
      // per-instruction exception flags: read-and-clear, fold into the accumulator
      this.push([`fsflags ${tb}, zero`, ...fold]);
    }
  }
  /** a fresh label placed 1..4 items after the next emitted item */
  fwdLabel(): string {
    const name = `.Lf${this.labelNo++}`;
    this.pending.push({ name, after: this.r.range(1, 4) + 1 });
    return name;
  }
  flush() {
    for (const p of this.pending) this.items.push({ lines: [`${p.name}:`], label: true });
    this.pending = [];
  }

  liInteresting() {
    this.emit([`li ${xname(this.rdNum())}, ${s64(randInt(this.r))}`]);
  }

  // ---- groups
  genInt() {
    const r = this.r;
    const kind = r.weighted([
      [20, 'r'], [16, 'i'], [6, 'shift'], [3, 'lui'], [2, 'auipc'], [4, 'li'],
      [10, 'load'], [7, 'store'], [6, 'branch'], [2, 'jal'], [1, 'jalr'], [0.3, 'fence'],
    ] as const);
    switch (kind) {
      case 'r': {
        const op = r.pick(['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and',
          'addw', 'subw', 'sllw', 'srlw', 'sraw']);
        return this.emit([`${op} ${this.rd()}, ${this.rs()}, ${this.rs()}`]);
      }
      case 'i': {
        const op = r.pick(['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'addiw']);
        return this.emit([`${op} ${this.rd()}, ${this.rs()}, ${this.imm12()}`]);
      }
      case 'shift': {
        const w = r.chance(0.4);
        const op = r.pick(w ? ['slliw', 'srliw', 'sraiw'] : ['slli', 'srli', 'srai']);
        const sh = r.chance(0.3) ? r.pick(w ? [0, 1, 31] : [0, 1, 31, 32, 63]) : r.int(w ? 32 : 64);
        return this.emit([`${op} ${this.rd()}, ${this.rs()}, ${sh}`]);
      }
      case 'lui':
      case 'auipc': {
        const imm = r.chance(0.3) ? r.pick([0, 1, 0x7ffff, 0x80000, 0xfffff]) : r.int(0x100000);
        return this.emit([`${kind} ${this.rd()}, ${imm}`]);
      }
      case 'li':
        return this.liInteresting();
      case 'load': {
        const [op, size] = r.pick([['lb', 1], ['lh', 2], ['lw', 4], ['ld', 8], ['lbu', 1], ['lhu', 2], ['lwu', 4]] as const);
        return this.emit([`${op} ${this.rd()}, ${this.memOff(size, r.chance(0.7))}(${xname(BASE_REG)})`]);
      }
      case 'store': {
        const [op, size] = r.pick([['sb', 1], ['sh', 2], ['sw', 4], ['sd', 8]] as const);
        return this.emit([`${op} ${this.rs()}, ${this.memOff(size, r.chance(0.7))}(${xname(BASE_REG)})`]);
      }
      case 'branch': {
        const op = r.pick(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu']);
        const a = this.rs();
        const b = r.chance(0.15) ? a : this.rs();
        return this.emit([`${op} ${a}, ${b}, ${this.fwdLabel()}`]);
      }
      case 'jal':
        return this.emit([`jal ${this.rd()}, ${this.fwdLabel()}`]);
      case 'jalr': {
        const t = xname(this.rdNum());
        const here = `.Lp${this.labelNo++}`;
        const target = this.fwdLabel();
        if (r.chance(0.5)) return this.emit([`${here}: auipc ${t}, %pcrel_hi(${target})`, `jalr ${this.rd()}, %pcrel_lo(${here})(${t})`]);
        // odd target address: JALR clears bit 0
        return this.emit([`${here}: auipc ${t}, %pcrel_hi(${target})`, `addi ${t}, ${t}, %pcrel_lo(${here})`, `jalr ${this.rd()}, 1(${t})`]);
      }
      case 'fence':
        return this.emit([r.pick(['fence', 'fence rw, rw', 'fence r, r', 'fence w, w', 'fence.i'])]);
    }
  }

  genM() {
    const r = this.r;
    const op = r.pick(['mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu',
      'mulw', 'divw', 'divuw', 'remw', 'remuw']);
    if (r.chance(0.25)) {
      // force interesting operands (div by 0, INT_MIN / -1, ...)
      const a = this.rdNum();
      let b = this.rdNum();
      if (b === a) b = a === 1 ? 3 : 1;
      const av = r.pick([0x8000000000000000n, 0xffffffff80000000n, 0x80000000n, u64(-1n), 0x7fffffffffffffffn, 5n, u64(-5n), randInt(r)]);
      const bv = r.pick([0n, u64(-1n), 0xffffffffn, 0x100000000n, 1n, u64(-3n), randInt(r)]);
      return this.emit([`li ${xname(a)}, ${s64(av)}`, `li ${xname(b)}, ${s64(bv)}`, `${op} ${this.rd()}, ${xname(a)}, ${xname(b)}`]);
    }
    return this.emit([`${op} ${this.rd()}, ${this.rs()}, ${this.rs()}`]);
  }

  genA() {
    const r = this.r;
    const w = r.chance(0.5);
    const sz = w ? 'w' : 'd';
    const size = w ? 4 : 8;
    const ord = r.pick(['', '', '.aq', '.rl', '.aqrl']);
    const t = this.rdNum();
    const off = this.memOff(size, true);
    const addr = `addi ${xname(t)}, ${xname(BASE_REG)}, ${off}`;
    const kind = r.weighted([[10, 'amo'], [5, 'lrsc'], [0.5, 'sc-alone']] as const);
    if (kind === 'amo') {
      const op = r.pick(['amoswap', 'amoadd', 'amoxor', 'amoand', 'amoor', 'amomin', 'amomax', 'amominu', 'amomaxu']);
      return this.emit([addr, `${op}.${sz}${ord} ${this.rd()}, ${this.rs()}, (${xname(t)})`]);
    }
    if (kind === 'sc-alone') {
      // SC with no reservation (nothing since the last SC) must fail on every implementation
      return this.emit([addr, `sc.${sz}${ord} ${this.rd()}, ${this.rs()}, (${xname(t)})`]);
    }
    let rd1 = this.rdNum();
    if (rd1 === t) rd1 = t === 9 ? 10 : 9;
    const lines = [addr, `lr.${sz}${r.pick(['', '.aq', '.aqrl'])} ${xname(rd1)}, (${xname(t)})`];
    // a few register-only ops between LR and SC (never writing the address register)
    const n = r.int(3);
    for (let i = 0; i < n; i++) {
      let d = this.rdNum();
      if (d === t) d = t === 9 ? 10 : 9;
      const op = r.pick(['add', 'addw', 'xor', 'sub', 'or']);
      lines.push(`${op} ${xname(d)}, ${xname(rd1)}, ${this.rs()}`);
    }
    lines.push(`sc.${sz}${r.pick(['', '.rl', '.aqrl'])} ${this.rd()}, ${this.rs()}, (${xname(t)})`);
    return this.emit(lines);
  }

  genFD() {
    const r = this.r;
    const fmt: 's' | 'd' = r.chance(0.5) ? 's' : 'd';
    const kind = r.weighted([
      [14, 'arith'], [4, 'sqrt'], [5, 'minmax'], [8, 'fma'], [6, 'cmp'], [3, 'class'],
      [8, 'cvt-to-int'], [6, 'cvt-from-int'], [4, 'cvt-sd'], [4, 'mv-x'], [12, 'setval'],
      [5, 'sgnj'], [5, 'fload'], [3, 'fstore'], [2, 'frm'], [2, 'flags'], [1, 'fcsr'], [2, 'csr'],
    ] as const);
    const f = () => this.fr(fmt);
    switch (kind) {
      case 'arith': {
        const op = r.pick(['fadd', 'fsub', 'fmul', 'fdiv']);
        return this.emit([`${op}.${fmt} ${f()}, ${f()}, ${f()}${this.rm()}`]);
      }
      case 'sqrt':
        return this.emit([`fsqrt.${fmt} ${f()}, ${f()}${this.rm()}`]);
      case 'minmax': {
        const op = r.pick(['fmin', 'fmax']);
        return this.emit([`${op}.${fmt} ${f()}, ${f()}, ${f()}`]);
      }
      case 'fma': {
        const op = r.pick(['fmadd', 'fmsub', 'fnmadd', 'fnmsub']);
        return this.emit([`${op}.${fmt} ${f()}, ${f()}, ${f()}, ${f()}${this.rm()}`]);
      }
      case 'cmp': {
        const op = r.pick(['feq', 'flt', 'fle']);
        const a = f();
        return this.emit([`${op}.${fmt} ${this.rd()}, ${a}, ${r.chance(0.15) ? a : f()}`]);
      }
      case 'class':
        return this.emit([`fclass.${fmt} ${this.rd()}, ${f()}`]);
      case 'cvt-to-int': {
        const it = r.pick(['w', 'wu', 'l', 'lu']);
        return this.emit([`fcvt.${it}.${fmt} ${this.rd()}, ${f()}${this.rm()}`]);
      }
      case 'cvt-from-int': {
        const it = r.pick(['w', 'wu', 'l', 'lu']);
        // int->double from 32-bit sources is exact: the assembler takes no rm there
        const exact = fmt === 'd' && (it === 'w' || it === 'wu');
        if (exact && r.chance(0.5)) {
          // encode a non-default rounding mode by hand (it must be accepted and have no effect)
          return this.emit([`.insn r 0x53, ${r.pick([1, 2, 3, 4, 7])}, 0x69, ${f()}, ${this.rs()}, ${it === 'w' ? 'x0' : 'x1'}  # fcvt.d.${it} rm`]);
        }
        return this.emit([`fcvt.${fmt}.${it} ${f()}, ${this.rs()}${exact ? '' : this.rm()}`]);
      }
      case 'cvt-sd':
        if (fmt === 's') return this.emit([`fcvt.s.d ${this.fr('s')}, ${this.fr('d')}${this.rm()}`]);
        if (r.chance(0.4)) return this.emit([`.insn r 0x53, ${r.pick([1, 2, 3, 4, 7])}, 0x21, ${this.fr('d')}, ${this.fr('s')}, x0  # fcvt.d.s rm`]);
        return this.emit([`fcvt.d.s ${this.fr('d')}, ${this.fr('s')}`]);
      case 'mv-x':
        return this.emit([`fmv.x.${fmt === 's' ? 'w' : 'd'} ${this.rd()}, ${f()}`]);
      case 'setval': {
        // load a special value through an integer register (fmv.w.x / fmv.d.x)
        const t = xname(this.rdNum());
        const k = r.int(10);
        if (k < 5) {
          // single; junk in the upper half of the integer register must be ignored
          const hi = r.chance(0.5) ? 0n : (r.u64() & 0xffffffff00000000n);
          return this.emit([`li ${t}, ${s64(hi | randSingle(r))}`, `fmv.w.x ${r.chance(0.85) ? this.fr('s') : this.fr('d')}, ${t}`]);
        }
        const v = k < 9 ? randDouble(r) : randFReg(r, true); // sometimes a boxed single via fmv.d.x
        return this.emit([`li ${t}, ${s64(v)}`, `fmv.d.x ${r.chance(0.85) ? this.fr('d') : this.fr('s')}, ${t}`]);
      }
      case 'sgnj': {
        const op = r.pick(['fsgnj', 'fsgnjn', 'fsgnjx']);
        const a = f();
        return this.emit([`${op}.${fmt} ${f()}, ${a}, ${r.chance(0.2) ? a : f()}`]);
      }
      case 'fload': {
        const size = fmt === 's' ? 4 : 8;
        return this.emit([`fl${fmt === 's' ? 'w' : 'd'} ${f()}, ${this.memOff(size, r.chance(0.8))}(${xname(BASE_REG)})`]);
      }
      case 'fstore': {
        const size = fmt === 's' ? 4 : 8;
        return this.emit([`fs${fmt === 's' ? 'w' : 'd'} ${f()}, ${this.memOff(size, r.chance(0.8))}(${xname(BASE_REG)})`]);
      }
      case 'frm': {
        const m = r.int(5);
        const k = r.int(4);
        if (k === 0) return this.emit([`fsrmi ${m}`]);
        if (k === 1) return this.emit([`fsrmi ${this.rd()}, ${m}`]);
        if (k === 2) return this.emit([`frrm ${this.rd()}`]);
        const t = xname(this.rdNum());
        return this.emit([`li ${t}, ${m}`, `fsrm ${r.chance(0.5) ? this.rd() + ', ' : ''}${t}`]);
      }
      case 'flags': {
        const k = r.int(4);
        if (k === 0) return this.emit([`frflags ${this.rd()}`]);
        if (k === 1) return this.emit([`fsflagsi ${r.chance(0.5) ? this.rd() + ', ' : ''}${r.chance(0.5) ? 0 : r.int(32)}`]);
        const t = xname(this.rdNum());
        return this.emit([`li ${t}, ${r.int(32)}`, `fsflags ${r.chance(0.5) ? this.rd() + ', ' : ''}${t}`]);
      }
      case 'csr': {
        // general CSR instructions on fflags/frm/fcsr; frm must stay in 0..4: only clear its bits
        const k = r.int(6);
        const t = xname(this.rdNum());
        if (k === 0) return this.emit([`li ${t}, ${r.int(256)}`, `${r.pick(['csrrs', 'csrrc', 'csrrw'])} ${this.rd()}, fflags, ${t}`]);
        if (k === 1) return this.emit([`${r.pick(['csrrsi', 'csrrci', 'csrrwi'])} ${this.rd()}, fflags, ${r.int(32)}`]);
        if (k === 2) return this.emit([`li ${t}, ${r.int(8)}`, `csrrc ${this.rd()}, frm, ${t}`]);
        if (k === 3) return this.emit([`csrrci ${this.rd()}, frm, ${r.int(8)}`]);
        if (k === 4) return this.emit([`li ${t}, ${r.int(256)}`, `csrrc ${this.rd()}, fcsr, ${t}`]);
        return this.emit([`${r.pick(['csrrsi', 'csrrs'])} ${this.rd()}, ${r.pick(['fcsr', 'fflags'])}, ${r.chance(0.5) ? 'zero' : r.int(32)}`.replace(/csrrs (\S+), (\w+), (\d+)$/, 'csrrsi $1, $2, $3').replace(/csrrsi (\S+), (\w+), zero$/, 'csrrs $1, $2, zero')]);
      }
      case 'fcsr': {
        if (r.chance(0.5)) return this.emit([`frcsr ${this.rd()}`]);
        const t = xname(this.rdNum());
        return this.emit([`li ${t}, ${(r.int(5) << 5) | r.int(32)}`, `fscsr ${r.chance(0.5) ? this.rd() + ', ' : ''}${t}`]);
      }
    }
  }

  /** explicit compressed mnemonics (the rest of the body is compressed by the assembler) */
  genC() {
    const r = this.r;
    const base = xname(BASE_REG);
    const cw = () => xname(r.pick(COMPRESSED_X_W));
    const cs = () => xname(r.pick(COMPRESSED_X));
    const nz6 = () => {
      const v = r.range(-32, 31);
      return v === 0 ? 1 : v;
    };
    const kind = r.pick(['addi', 'li', 'lui', 'mv', 'add', 'alu', 'addiw', 'shift', 'andi', 'slli',
      'lw', 'ld', 'sw', 'sd', 'fld', 'fsd', 'lwsp', 'ldsp', 'swsp', 'sdsp', 'fldsp', 'fsdsp',
      'beqz', 'j', 'jr', 'addi4spn', 'addi16sp', 'nop']);
    switch (kind) {
      case 'addi': return this.emit([`c.addi ${xname(this.rdNum())}, ${nz6()}`]);
      case 'li': return this.emit([`c.li ${xname(this.rdNum())}, ${r.range(-32, 31)}`]);
      case 'lui': {
        const v = r.chance(0.5) ? r.range(1, 31) : r.range(0xfffe0, 0xfffff);
        return this.emit([`c.lui ${xname(this.rdNum())}, ${v}`]);
      }
      case 'mv': return this.emit([`c.mv ${xname(this.rdNum())}, ${xname(r.range(1, 31))}`]);
      case 'add': return this.emit([`c.add ${xname(this.rdNum())}, ${xname(r.range(1, 31))}`]);
      case 'alu': return this.emit([`${r.pick(['c.sub', 'c.xor', 'c.or', 'c.and', 'c.addw', 'c.subw'])} ${cw()}, ${cs()}`]);
      case 'addiw': return this.emit([`c.addiw ${xname(this.rdNum())}, ${r.range(-32, 31)}`]);
      case 'shift': return this.emit([`${r.pick(['c.srli', 'c.srai'])} ${cw()}, ${r.range(1, 63)}`]);
      case 'andi': return this.emit([`c.andi ${cw()}, ${r.range(-32, 31)}`]);
      case 'slli': return this.emit([`c.slli ${xname(this.rdNum())}, ${r.range(1, 63)}`]);
      case 'lw': return this.emit([`c.lw ${cw()}, ${r.int(32) * 4}(${base})`]);
      case 'ld': return this.emit([`c.ld ${cw()}, ${r.int(32) * 8}(${base})`]);
      case 'sw': return this.emit([`c.sw ${cs()}, ${r.int(32) * 4}(${base})`]);
      case 'sd': return this.emit([`c.sd ${cs()}, ${r.int(32) * 8}(${base})`]);
      case 'fld': return this.emit([`c.fld f${r.range(8, 15)}, ${r.int(32) * 8}(${base})`]);
      case 'fsd': return this.emit([`c.fsd f${r.range(8, 15)}, ${r.int(32) * 8}(${base})`]);
      case 'lwsp': return this.emit([`c.lwsp ${xname(this.rdNum())}, ${r.int(64) * 4}(sp)`]);
      case 'ldsp': return this.emit([`c.ldsp ${xname(this.rdNum())}, ${r.int(64) * 8}(sp)`]);
      case 'swsp': return this.emit([`c.swsp ${xname(r.int(32))}, ${r.int(64) * 4}(sp)`]);
      case 'sdsp': return this.emit([`c.sdsp ${xname(r.int(32))}, ${r.int(64) * 8}(sp)`]);
      case 'fldsp': return this.emit([`c.fldsp f${r.int(32)}, ${r.int(64) * 8}(sp)`]);
      case 'fsdsp': return this.emit([`c.fsdsp f${r.int(32)}, ${r.int(64) * 8}(sp)`]);
      case 'beqz': return this.emit([`${r.pick(['c.beqz', 'c.bnez'])} ${cs()}, ${this.fwdLabel()}`]);
      case 'j': return this.emit([`c.j ${this.fwdLabel()}`]);
      case 'jr': {
        const t = xname(this.rdNum());
        const here = `.Lp${this.labelNo++}`;
        const target = this.fwdLabel();
        return this.emit([`${here}: auipc ${t}, %pcrel_hi(${target})`, `addi ${t}, ${t}, %pcrel_lo(${here})`, `${r.pick(['c.jr', 'c.jalr'])} ${t}`]);
      }
      case 'addi16sp': {
        // move sp inside the scratch buffer, load relative to it, move it back (one unit)
        const k = r.range(1, 31);
        const off = r.int((SCRATCH_BYTES - 8 - 16 * k) / 8 + 1) * 8;
        return this.emit([`c.addi16sp sp, ${16 * k}`, `c.ldsp ${xname(this.rdNum())}, ${off}(sp)`, `c.addi16sp sp, ${-16 * k}`]);
      }
      case 'addi4spn': return this.emit([`c.addi4spn ${cw()}, sp, ${r.range(1, 255) * 4}`]);
      case 'nop': return this.emit(['c.nop']);
    }
  }
}

export function parseGroups(s: string): Group[] {
  const gs = s.split(',').map((x) => x.trim()).filter(Boolean);
  for (const g of gs) if (!ALL_GROUPS.includes(g as Group)) throw new Error(`unknown group ${g} (have ${ALL_GROUPS.join(',')})`);
  if (gs.length === 0) throw new Error('no groups');
  return gs as Group[];
}

export function generate(seed: number, groups: Group[], length: number): Program {
  const r = new Rng(seed);
  // initial state
  const initX: bigint[] = [];
  for (let i = 0; i < 32; i++) initX.push(i === 0 ? 0n : randInt(r));
  const initF: bigint[] = [];
  for (let i = 0; i < 32; i++) initF.push(randFReg(r, i < 16));
  const initFcsr = (r.int(5) << 5) | (r.chance(0.5) ? 0 : r.int(32));
  const scratch = new Uint8Array(SCRATCH_BYTES);
  const dv = new DataView(scratch.buffer);
  for (let o = 0; o < SCRATCH_BYTES; o += 8) {
    const k = r.int(6);
    const v = k === 0 ? randDouble(r) : k === 1 ? (BigInt(r.u32()) << 32n) | randSingle(r) : k === 2 ? randInt(r) : r.u64();
    dv.setBigUint64(o, v, true);
  }

  const g = new Gen(r, groups);
  const weights: [number, Group][] = groups.map((gr) => [gr === 'c' ? 0.6 : gr === 'fd' ? 1.3 : 1, gr]);
  const gensOnly = groups.length === 1;
  for (let i = 0; i < length; i++) {
    // a small share of "interesting value" loads in every group (sources for M/FD conversions)
    if (!gensOnly || groups[0] !== 'c') {
      if (r.chance(0.04)) {
        g.liInteresting();
        continue;
      }
    }
    const gr = r.weighted(weights);
    switch (gr) {
      case 'int': g.genInt(); break;
      case 'm': g.genM(); break;
      case 'a': g.genA(); break;
      case 'fd': g.genFD(); break;
      case 'c': g.genC(); break;
    }
  }
  g.flush();
  return { seed, groups, rvc: groups.includes('c'), items: g.items, initX, initF, initFcsr, scratch };
}

/** the body as assembly text (labels and instructions, one per line) */
export function bodyText(items: Item[]): string {
  return items.map((it) => it.lines.map((l) => (it.label ? l : '  ' + l)).join('\n')).join('\n');
}

/** drop label items no remaining instruction refers to (for printing repros) */
export function pruneLabels(items: Item[]): Item[] {
  const used = new Set<string>();
  for (const it of items) if (!it.label) for (const l of it.lines) for (const m of l.matchAll(/\.L[fp]\d+/g)) used.add(m[0]);
  return items.filter((it) => !it.label || used.has(it.lines[0].replace(/:$/, '')));
}

export const hex64 = (v: bigint) => u64(v).toString(16).padStart(16, '0');

// ---------------------------------------------------------------- CLI
const isMain = (() => {
  try {
    return import.meta.url === new URL(`file://${process.argv[1]}`).href || process.argv[1]?.endsWith('gen.ts');
  } catch {
    return false;
  }
})();
if (isMain) {
  const args = process.argv.slice(2);
  const get = (k: string, d: string) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : d;
  };
  const p = generate(Number(get('--seed', '1')), parseGroups(get('--groups', ALL_GROUPS.join(','))), Number(get('--length', '50')));
  console.log(`# seed ${p.seed} groups ${p.groups.join(',')} rvc ${p.rvc}`);
  console.log(`# x: ${p.initX.map((v, i) => `${xname(i)}=${hex64(v)}`).join(' ')}`);
  console.log(`# f: ${p.initF.map((v, i) => `f${i}=${hex64(v)}`).join(' ')}`);
  console.log(`# fcsr=${p.initFcsr.toString(16)}`);
  console.log(bodyText(p.items));
}
