import { describe, expect, it } from 'vitest';
import { EXIT, Machine, assemble, runProgram } from './harness.ts';

const M64 = (1n << 64n) - 1n;
const s64 = (v: bigint) => BigInt.asIntN(64, v);
const u64 = (v: bigint) => BigInt.asUintN(64, v);
const sx32 = (v: bigint) => u64(BigInt.asIntN(32, v));

describe('RV64I', () => {
  it('arithmetic, comparisons and x0', () => {
    const { h } = runProgram(`
      li a1, -5
      li a2, 7
      add x0, a1, a2      # writes to x0 are discarded
      slt s2, a1, a2
      sltu s3, a1, a2
      slti s4, a1, -4
      sltiu s5, a2, -1    # imm sign-extended then unsigned compare
      sra s6, a1, a2
      srl s7, a1, a2
      sll s8, a2, a2
      li a0, 0
      ${EXIT}`);
    expect(h.x(0)).toBe(0n);
    expect(h.x(18)).toBe(1n);
    expect(h.x(19)).toBe(0n);
    expect(h.x(20)).toBe(1n);
    expect(h.x(21)).toBe(1n);
    expect(h.sx(22)).toBe(-1n);
    expect(h.x(23)).toBe(u64(-5n) >> 7n);
    expect(h.x(24)).toBe(7n << 7n);
  });

  it('*W instructions sign-extend their 32-bit results', () => {
    const { h } = runProgram(`
      li a1, 0x7fffffff
      addiw s2, a1, 1          # 0x80000000 → sign-extended
      li a2, 0xffffffff00000001
      addw s3, a2, a2          # 2
      li a3, 0x80000000
      sraiw s4, a3, 4
      srliw s5, a3, 4
      slliw s6, a1, 1
      li a4, 33
      sllw s7, a1, a4          # shift amount uses low 5 bits → 1
      subw s8, zero, a1
      sraw s9, a3, a4
      srlw s10, a3, a4
      li a0, 0
      ${EXIT}`);
    expect(h.x(18)).toBe(0xffffffff80000000n);
    expect(h.x(19)).toBe(2n);
    expect(h.x(20)).toBe(0xfffffffff8000000n);
    expect(h.x(21)).toBe(0x08000000n);
    expect(h.x(22)).toBe(0xfffffffffffffffen);
    expect(h.x(23)).toBe(0xfffffffffffffffen);
    expect(h.x(24)).toBe(sx32(-0x7fffffffn));
    expect(h.x(25)).toBe(0xffffffffc0000000n);
    expect(h.x(26)).toBe(0x40000000n);
  });

  it('loads sign/zero-extend; jal/jalr link; branches', () => {
    const { h } = runProgram(`
      li t0, 0x80010000
      li t1, 0x8899aabbccddeeff
      sd t1, 0(t0)
      lb s2, 0(t0)
      lbu s3, 0(t0)
      lh s4, 2(t0)
      lhu s5, 2(t0)
      lw s6, 4(t0)
      lwu s7, 4(t0)
      ld s8, 0(t0)
      la t2, target
      jalr t2, 0(t2)          # rd == rs1: target computed from the old value
    back:
      li s9, 0
      li a1, -1
      li a2, 1
      blt a1, a2, 1f
      li s9, 99
    1: bltu a1, a2, 2f
      addi s9, s9, 1
    2: bge a2, a1, 3f
      li s9, 99
    3: bgeu a2, a1, 4f
      addi s9, s9, 2
    4: li a0, 0
      ${EXIT}
    target:
      mv s10, t2
      jr t2
    `);
    expect(h.x(18)).toBe(0xffffffffffffffffn);
    expect(h.x(19)).toBe(0xffn);
    expect(h.x(20)).toBe(0xffffffffffffccddn);
    expect(h.x(21)).toBe(0xccddn);
    expect(h.x(22)).toBe(0xffffffff8899aabbn);
    expect(h.x(23)).toBe(0x8899aabbn);
    expect(h.x(24)).toBe(0x8899aabbccddeeffn);
    expect(h.x(25)).toBe(3n);
    expect(h.x(26) & 0xfffn).not.toBe(0n); // link = address after the jalr
  });

  it('misaligned loads and stores are performed, also across a page boundary', () => {
    const { h, m } = runProgram(`
      li t0, 0x80010ffd          # crosses 0x80011000
      li t1, 0x1122334455667788
      sd t1, 0(t0)
      ld s2, 0(t0)
      lw s3, 1(t0)
      li t2, 0x80012001
      sw t1, 0(t2)
      lhu s4, 1(t2)
      li a0, 0
      ${EXIT}`);
    expect(h.x(18)).toBe(0x1122334455667788n);
    expect(h.x(19)).toBe(0x44556677n);
    expect(h.x(20)).toBe(0x6677n);
    expect(m.r64(0x80010ff8n) >> 40n).toBe(0x667788n);
    expect(m.r64(0x80011000n) & 0xffffffffffn).toBe(0x1122334455n);
  });
});

describe('RV64M', () => {
  const rnd = (() => {
    let s = 0x12345678n;
    return () => {
      s = (s * 6364136223846793005n + 1442695040888963407n) & M64;
      return s;
    };
  })();
  const special = [0n, 1n, M64, 1n << 63n, (1n << 63n) - 1n, 0xffffffffn, 0x80000000n, 0x7fffffffn, 2n, M64 - 1n];

  it('MULH/MULHU/MULHSU/MUL and DIV/REM families match BigInt references', () => {
    const pairs: [bigint, bigint][] = [];
    for (const a of special) for (const b of special) pairs.push([a, b]);
    for (let i = 0; i < 100; i++) pairs.push([rnd(), rnd()]);
    const m = new Machine();
    const IN = 0x80100000n + 0x1000n, OUT = 0x80200000n;
    pairs.forEach(([a, b], i) => { m.w64(IN + BigInt(16 * i), a); m.w64(IN + BigInt(16 * i + 8), b); });
    const ops = ['mul', 'mulh', 'mulhu', 'mulhsu', 'div', 'divu', 'rem', 'remu', 'mulw', 'divw', 'divuw', 'remw', 'remuw'];
    m.load(assemble(`
      li s0, ${IN}
      li s1, ${OUT}
      li s2, ${pairs.length}
    loop:
      ld a1, 0(s0)
      ld a2, 8(s0)
      ${ops.map((op, k) => `${op} t0, a1, a2\n sd t0, ${8 * k}(s1)`).join('\n')}
      addi s0, s0, 16
      addi s1, s1, ${8 * ops.length}
      addi s2, s2, -1
      bnez s2, loop
      li a0, 0
      ${EXIT}`));
    m.harts[0].runToExit(1_000_000);
    expect(m.exitCode).toBe(0);
    const ref = (op: string, a: bigint, b: bigint): bigint => {
      const sa = s64(a), sb = s64(b);
      const a32 = BigInt.asIntN(32, a), b32 = BigInt.asIntN(32, b);
      const ua32 = BigInt.asUintN(32, a), ub32 = BigInt.asUintN(32, b);
      switch (op) {
        case 'mul': return u64(a * b);
        case 'mulh': return u64((sa * sb) >> 64n);
        case 'mulhu': return u64((a * b) >> 64n);
        case 'mulhsu': return u64((sa * b) >> 64n);
        case 'div': return b === 0n ? M64 : (sa === -(1n << 63n) && sb === -1n) ? a : u64(sa / sb);
        case 'divu': return b === 0n ? M64 : a / b;
        case 'rem': return b === 0n ? a : (sa === -(1n << 63n) && sb === -1n) ? 0n : u64(sa % sb);
        case 'remu': return b === 0n ? a : a % b;
        case 'mulw': return sx32(a * b);
        case 'divw': return b32 === 0n ? M64 : (a32 === -(1n << 31n) && b32 === -1n) ? sx32(a32) : sx32(a32 / b32);
        case 'divuw': return ub32 === 0n ? M64 : sx32(ua32 / ub32);
        case 'remw': return b32 === 0n ? sx32(a32) : (a32 === -(1n << 31n) && b32 === -1n) ? 0n : sx32(a32 % b32);
        case 'remuw': return ub32 === 0n ? sx32(ua32) : sx32(ua32 % ub32);
      }
      throw new Error(op);
    };
    pairs.forEach(([a, b], i) => {
      ops.forEach((op, k) => {
        const got = m.r64(OUT + BigInt(8 * (ops.length * i + k)));
        expect(got, `${op} ${a.toString(16)} ${b.toString(16)}`).toBe(ref(op, a, b));
      });
    });
  });
});
