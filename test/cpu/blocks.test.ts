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
    const final = (budget: number) => {
      const m = new Machine({});
      m.load(image);
      const h = m.harts[0];
      let runs = 0;
      while (m.exitCode === undefined && runs < 100_000) { h.run(budget); runs++; }
      return { s2: h.x(18), instret: h.get('instret'), pc: h.pc };
    };
    const whole = final(1_000_000);
    for (const b of [1, 2, 3, 5, 7, 13, 16]) expect(final(b)).toEqual(whole);
  });
});
