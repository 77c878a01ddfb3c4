import { describe, expect, it } from 'vitest';
import { EXIT, TRAP_PRELUDE, runProgram } from './harness.ts';

const BOX = 0xffffffff00000000n;

describe('F/D (core side)', () => {
  it('improperly NaN-boxed single operands read as the canonical NaN', () => {
    const { h } = runProgram(`
      li t0, 0x3f800000            # 1.0f without the box
      fmv.d.x f1, t0
      fadd.s f2, f1, f1
      fsgnjn.s f3, f1, f1
      li t0, 0xffffffff3f800000
      fmv.d.x f4, t0               # properly boxed 1.0f
      fadd.s f5, f4, f4
      fmv.x.w s2, f1               # transfer: raw low 32 bits, sign-extended
      li a0, 0
      ${EXIT}`);
    expect(h.f(2)).toBe(BOX | 0x7fc00000n);
    expect(h.f(3)).toBe(BOX | 0xffc00000n);
    expect(h.f(5)).toBe(BOX | 0x40000000n);
    expect(h.x(18)).toBe(0x3f800000n);
  });

  it('loads, stores and moves do not canonicalise NaNs; flw boxes', () => {
    const { h, m } = runProgram(`
      li s0, 0x80010000
      li t0, 0x7ff0000000000001    # signalling NaN (double)
      sd t0, 0(s0)
      fld f1, 0(s0)
      fsd f1, 8(s0)
      li t0, 0xff800001            # signalling NaN (single)
      sw t0, 16(s0)
      flw f2, 16(s0)
      fsw f2, 20(s0)
      fmv.w.x f3, t0
      fmv.x.w s2, f3
      li a0, 0
      ${EXIT}`);
    expect(m.r64(0x80010008n)).toBe(0x7ff0000000000001n);
    expect(h.f(2)).toBe(BOX | 0xff800001n);
    expect(m.r32(0x80010014n)).toBe(0xff800001);
    expect(h.x(18)).toBe(0xffffffffff800001n);
  });

  it('fflags accrue; frm drives DYN; fcsr views', () => {
    const { h } = runProgram(`
      csrw fflags, zero
      li t0, 0x3ff0000000000000
      fmv.d.x f1, t0
      fmv.d.x f2, zero
      fdiv.d f3, f1, f2            # 1/0: DZ
      csrr s2, fflags
      li t0, 3
      fsqrt.d f4, f3               # sqrt(inf) = inf, no flag
      fsub.d f5, f2, f3            # -inf
      fsqrt.d f6, f5               # NV
      csrr s3, fflags
      csrwi frm, 2                 # RDN
      csrr s4, fcsr
      li t0, 0x3ff0000000000001
      fmv.d.x f7, t0
      fcvt.s.d f8, f7              # inexact, DYN = RDN → 1.0f
      fcvt.s.d f9, f7, rup         # → next float up
      li a0, 0
      ${EXIT}`);
    expect(h.x(18)).toBe(8n);
    expect(h.x(19)).toBe(0x18n);
    expect(h.x(20)).toBe((2n << 5n) | 0x18n);
    expect(h.f(8)).toBe(BOX | 0x3f800000n);
    expect(h.f(9)).toBe(BOX | 0x3f800001n);
  });

  it('reserved rm (5, 6) and DYN with frm ≥ 5 are illegal', () => {
    // fadd.s f1, f2, f3 with rm = 5: funct7 0, rs2 3, rs1 2, rm 5, rd 1, opcode 0x53
    const word = (0 << 25) | (3 << 20) | (2 << 15) | (5 << 12) | (1 << 7) | 0x53;
    const a = runProgram(`${TRAP_PRELUDE}
    main:
      .word ${word}
      j .`);
    expect(a.h.x(11)).toBe(2n);
    expect(a.h.x(12)).toBe(BigInt(word));
    const b = runProgram(`${TRAP_PRELUDE}
    main:
      csrwi frm, 5
      fadd.s f1, f2, f3          # DYN
      j .`);
    expect(b.h.x(11)).toBe(2n);
  });

  it('FS = Off makes FP instructions and fcsr illegal; FP writes set FS = Dirty and SD', () => {
    const off = runProgram(`${TRAP_PRELUDE}
    main:
      li t0, ${3 << 13}
      csrc mstatus, t0
      fadd.d f1, f1, f1
      j .`);
    expect(off.h.x(11)).toBe(2n);
    const off2 = runProgram(`${TRAP_PRELUDE}
    main:
      li t0, ${3 << 13}
      csrc mstatus, t0
      csrr t1, fcsr
      j .`);
    expect(off2.h.x(11)).toBe(2n);
    const dirty = runProgram(`
      li t0, ${3 << 13}
      csrc mstatus, t0
      li t0, ${1 << 13}
      csrs mstatus, t0             # Initial
      csrr s2, mstatus
      fmv.d.x f1, zero
      csrr s3, mstatus
      li a0, 0
      ${EXIT}`);
    expect((dirty.h.x(18) >> 13n) & 3n).toBe(1n);
    expect(dirty.h.x(18) >> 63n).toBe(0n);
    expect((dirty.h.x(19) >> 13n) & 3n).toBe(3n);
    expect(dirty.h.x(19) >> 63n).toBe(1n);
  });

  it('conversions to 32-bit integers sign-extend; fclass, fmin, compares', () => {
    const { h } = runProgram(`
      li t0, -3
      fcvt.s.w f1, t0
      fcvt.w.s s2, f1
      fcvt.wu.s s3, f1             # negative → 0, NV
      li t0, 0x4f000000            # 2^31 as float
      fmv.w.x f2, t0
      fcvt.wu.s s4, f2             # 0x80000000 sign-extended
      fclass.s s5, f1              # negative normal: bit 1
      fmin.s f3, f1, f2
      fmv.x.w s6, f3
      flt.s s7, f1, f2
      feq.s s8, f1, f1
      li a0, 0
      ${EXIT}`);
    expect(h.sx(18)).toBe(-3n);
    expect(h.x(19)).toBe(0n);
    expect(h.x(20)).toBe(0xffffffff80000000n);
    expect(h.x(21)).toBe(2n);
    expect(h.x(22)).toBe(0xffffffffc0400000n);
    expect(h.x(23)).toBe(1n);
    expect(h.x(24)).toBe(1n);
  });

  it('fused multiply-add family signs', () => {
    const { h } = runProgram(`
      li t0, 0x4000000000000000    # 2.0
      fmv.d.x f1, t0
      li t0, 0x4008000000000000    # 3.0
      fmv.d.x f2, t0
      li t0, 0x3ff0000000000000    # 1.0
      fmv.d.x f3, t0
      fmadd.d f4, f1, f2, f3       # 7
      fmsub.d f5, f1, f2, f3       # 5
      fnmsub.d f6, f1, f2, f3      # -5
      fnmadd.d f7, f1, f2, f3      # -7
      li a0, 0
      ${EXIT}`);
    const d = (x: number) => { const b = new DataView(new ArrayBuffer(8)); b.setFloat64(0, x); return b.getBigUint64(0); };
    expect(h.f(4)).toBe(d(7));
    expect(h.f(5)).toBe(d(5));
    expect(h.f(6)).toBe(d(-5));
    expect(h.f(7)).toBe(d(-7));
  });
});
