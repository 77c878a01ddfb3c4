// Decoded blocks (src/cpu/block.ts): code changes under a block, exact budget/instret at every
// point, and single-stepping through a block agreeing with running it whole.
import { describe, expect, it } from 'vitest';
import { EXIT, Machine, assemble, runProgram } from './harness.ts';

describe('decoded blocks', () => {
  it('a store that patches a later instruction of the same block takes effect', () => {
    // The loop body is one block (conditional branches do not end blocks). On the second pass the
    // sw rewrites the addi right after it, in the block already decoded.
    const { h } = runProgram(`
      li a0, 0
      li s1, 2
      la t1, patch
      li t2, 0x06450513        # addi a0, a0, 100
    loop:
      addi a0, a0, 0
      beq s1, zero, done
      addi s1, s1, -1
      bnez s1, 1f
      sw t2, 0(t1)
    1:
    patch:
      addi a0, a0, 1
      j loop
    done:
      mv s2, a0
      li a0, 0
      ${EXIT}`);
    // pass 1 (s1 2→1): +1; pass 2 (1→0): patched, +100
    expect(h.x(18)).toBe(101n);
  });

  it('a patch that changes instruction lengths re-forms the block', () => {
    // The block at patch runs once as 32-bit addis, then two compressed addis replace the first one
    // (c.addi a0,2 ; c.addi a0,4): entry boundaries move, the old block must not be used.
    const { h } = runProgram(`
      li a0, 0
      li s1, 2
      la t1, patch
      li t2, 0x05110509
    loop:
      beq s1, zero, done
      addi s1, s1, -1
      bnez s1, patch
      sw t2, 0(t1)
      fence.i
    patch:
      addi a0, a0, 1
      addi a0, a0, 16
      j loop
    done:
      mv s2, a0
      li a0, 0
      ${EXIT}`);
    expect(h.x(18)).toBe(17n + 22n);
  });

  it('instret is exact inside a block (rdinstret between straight-line instructions)', () => {
    const { h } = runProgram(`
      .option rvc
      rdinstret s2
      addi t0, t0, 1
      addi t0, t0, 1
      c.addi t0, 1
      rdinstret s3
      sub s4, s3, s2
      li a0, 0
      ${EXIT}`);
    expect(h.x(20)).toBe(4n);
  });

  it('any budget split gives the same state as one run', () => {
    const src = `
      .option rvc
      li s1, 300
      li a0, 0
      la t1, buf
    loop:
      slli t0, a0, 3
      xor a0, a0, t0
      c.addi a0, 7
      andi t2, a0, 56
      add t2, t2, t1
      ld t3, 0(t2)
      add t3, t3, a0
      sd t3, 0(t2)
      addi s1, s1, -1
      bnez s1, loop
      mv s2, a0
      li a0, 0
      ${EXIT}
      .align 3
    buf: .zero 64`;
    const image = assemble(src);
    const final = (budget: number) => runInSlices(image, budget, (h) => ({ s2: h.x(18) }));
    const whole = final(1_000_000);
    for (const b of [1, 2, 3, 5, 7, 13, 16]) expect(final(b)).toEqual(whole);
  });

  it('15-entry blocks ending in each kind of op (inline, out of line, F/D, TLB-missing load) agree at any budget split', () => {
    // Each run of 14 addis + one op fills a block to BLOCK_MAX, so the op is the block's last entry:
    // mul / sh1add (inline ops that leave through the out-of-line path when last), fadd.d (F/D),
    // a load from a page not yet in the TLB (first pass), a store, a taken and a not-taken branch.
    const pad = Array.from({ length: 14 }, (_, i) => `addi t0, t0, ${i + 1}`).join('\n      ');
    const src = `
      li s1, 3
      li a0, 5
      la t1, buf
      li t2, 3
      fcvt.d.l ft0, t2
      fcvt.d.l ft1, a0
    loop:
      ${pad}
      mul a0, a0, t0
      ${pad}
      sh1add a1, a0, t0
      ${pad}
      fadd.d ft0, ft0, ft1
      ${pad}
      ld t3, 0(t1)
      ${pad}
      sd a1, 8(t1)
      ${pad}
      beq s1, zero, 1f
    1:
      ${pad}
      bne s1, s1, 1f
    1:
      addi t1, t1, 1024
      addi s1, s1, -1
      bnez s1, loop
      fcvt.l.d s3, ft0
      mv s2, a0
      mv s4, a1
      li a0, 0
      ${EXIT}
      .align 12
    buf: .zero 8192`;
    const image = assemble(src);
    const final = (budget: number) => runInSlices(image, budget, (h) => ({ s2: h.x(18), s3: h.x(19), s4: h.x(20), t0: h.x(5) }));
    const whole = final(1_000_000);
    expect(whole.s3).toBe(3n + 3n * 5n);
    for (const b of [1, 2, 14, 15, 16, 29, 31]) expect(final(b)).toEqual(whole);
  });
});

type Hart = Machine['harts'][number];

/** Run `image` to its exit in slices of `budget` instructions; `pick`'s registers plus instret and pc at the end. */
function runInSlices<T extends object>(image: Uint8Array, budget: number, pick: (h: Hart) => T) {
  const m = new Machine({});
  m.load(image);
  const h = m.harts[0];
  let runs = 0;
  while (m.exitCode === undefined && runs < 100_000) { h.run(budget); runs++; }
  return { ...pick(h), instret: h.get('instret'), pc: h.pc };
}
