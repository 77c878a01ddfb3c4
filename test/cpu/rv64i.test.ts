import { describe, expect, it } from 'vitest';
import { EXIT, runProgram } from './harness.ts';

describe('RV64I', () => {
  it('runs arithmetic to an HTIF exit', () => {
    const { m, h } = runProgram(`
      li a1, 5
      li a2, 7
      add a3, a1, a2
      sub a4, a1, a2
      li a0, 0
      ${EXIT}`);
    expect(m.exitCode).toBe(0);
    expect(h.x(13)).toBe(12n);
    expect(h.sx(14)).toBe(-2n);
  });
});
