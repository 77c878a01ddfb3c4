import { describe, expect, it } from 'vitest';
import { EXIT, TRAP_PRELUDE, runProgram } from './harness.ts';

// [compressed, the 32-bit instruction it expands to]
const PAIRS: [string, string][] = [
  ['c.li a0, -7', 'addi a0, zero, -7'],
  ['c.lui a1, 0xfffe1', 'lui a1, 0xfffe1'],
  ['c.addi a0, 13', 'addi a0, a0, 13'],
  ['c.addiw a1, -1', 'addiw a1, a1, -1'],
  ['c.addi16sp sp, -64', 'addi sp, sp, -64'],
  ['c.addi4spn s0, sp, 24', 'addi s0, sp, 24'],
  ['c.sd a1, 8(s0)', 'sd a1, 8(s0)'],
  ['c.sw a0, 16(s0)', 'sw a0, 16(s0)'],
  ['c.ld a2, 8(s0)', 'ld a2, 8(s0)'],
  ['c.lw a3, 16(s0)', 'lw a3, 16(s0)'],
  ['c.sdsp a3, 40(sp)', 'sd a3, 40(sp)'],
  ['c.swsp a2, 52(sp)', 'sw a2, 52(sp)'],
  ['c.ldsp a4, 40(sp)', 'ld a4, 40(sp)'],
  ['c.lwsp a5, 52(sp)', 'lw a5, 52(sp)'],
  ['c.mv s1, a5', 'add s1, zero, a5'],
  ['c.add s1, a4', 'add s1, s1, a4'],
  ['c.slli s1, 37', 'slli s1, s1, 37'],
  ['c.srli a2, 3', 'srli a2, a2, 3'],
  ['c.srai a3, 63', 'srai a3, a3, 63'],
  ['c.andi a4, -3', 'andi a4, a4, -3'],
  ['c.sub a5, a2', 'sub a5, a5, a2'],
  ['c.xor a4, a5', 'xor a4, a4, a5'],
  ['c.or a3, a4', 'or a3, a3, a4'],
  ['c.and a2, a3', 'and a2, a2, a3'],
  ['c.subw a5, a0', 'subw a5, a5, a0'],
  ['c.addw a4, a1', 'addw a4, a4, a1'],
  ['c.fsd fa0, 0(s0)', 'fsd fa0, 0(s0)'],
  ['c.fld fa1, 0(s0)', 'fld fa1, 0(s0)'],
  ['c.fsdsp fa1, 32(sp)', 'fsd fa1, 32(sp)'],
  ['c.fldsp fa2, 32(sp)', 'fld fa2, 32(sp)'],
];

const prologue = `
  li sp, 0x80200000
  li t0, 0x4000000000000000
  fmv.d.x fa0, t0
`;

function body(compressed: boolean) {
  const lines = PAIRS.map(([c, x]) => (compressed ? c : x)).join('\n');
  const jumps = compressed
    ? `c.li a5, 0
       c.beqz a5, 1f
       c.li a5, 9
    1: c.bnez s1, 2f
       c.li a5, 8
    2: la t1, 3f
       c.jalr t1
       c.j 4f
    3: c.li s3, 5
       c.jr ra
    4:`
    : `addi a5, zero, 0
       beq a5, zero, 1f
       addi a5, zero, 9
    1: bne s1, zero, 2f
       addi a5, zero, 8
    2: la t1, 3f
       jalr ra, 0(t1)
       jal zero, 4f
    3: addi s3, zero, 5
       jalr zero, 0(ra)
    4:`;
  return `${prologue}\n.option ${compressed ? 'rvc' : 'norvc'}\n${lines}\n${jumps}\n.option norvc\n li a0, 0\n${EXIT}`;
}

describe('RV64C', () => {
  it('every compressed form computes what its 32-bit expansion computes', () => {
    const c = runProgram(body(true));
    const x = runProgram(body(false));
    expect(c.m.exitCode).toBe(0);
    expect(x.m.exitCode).toBe(0);
    for (let r = 1; r < 32; r++) {
      if (r === 1 || r === 6) continue; // ra, t1: code addresses differ with instruction sizes
      expect(c.h.x(r), `x${r}`).toBe(x.h.x(r));
    }
    for (let r = 10; r < 13; r++) expect(c.h.f(r), `f${r}`).toBe(x.h.f(r));
    expect(c.m.r64(0x80200000n - 64n + 40n)).toBe(x.m.r64(0x80200000n - 64n + 40n));
    expect(c.h.x(19)).toBe(5n);
  });

  it('c.ebreak traps with cause 3', () => {
    const { h } = runProgram(`${TRAP_PRELUDE}
    main:
    .option rvc
      c.ebreak
    .option norvc
      j .`);
    expect(h.x(11)).toBe(3n);
  });

  // Reserved encodings: all zero, C.ADDI4SPN imm 0, C.LWSP/C.LDSP rd 0, C.JR x0, C.LUI imm 0,
  // C.ADDI16SP imm 0, C.ADDIW rd 0, funct 100111 with 10/11, quadrant-0 funct3 100.
  for (const half of [0x0000, 0x0004, 0x4002, 0x6002, 0x8002, 0x6081, 0x6101, 0x2001, 0x9c41, 0x9c61, 0x8000]) {
    it(`reserved 0x${half.toString(16).padStart(4, '0')} is an illegal instruction (tval = its 16 bits)`, () => {
      const { h } = runProgram(`${TRAP_PRELUDE}
      main:
        .half ${half}
        j .`);
      expect(h.x(11)).toBe(2n);
      expect(h.x(12)).toBe(BigInt(half));
    });
  }

  it('a 32-bit instruction straddling a page boundary is fetched from both pages', () => {
    const { h, m } = runProgram(`
      j go
    .balign 4096
    .skip 4094 - 8
    go:
      nop
    .option rvc
      c.nop
    .option norvc
      li s2, 0x12345        # starts at page offset 0xffe
      li a0, 0
      ${EXIT}`);
    expect(m.exitCode).toBe(0);
    expect(h.x(18)).toBe(0x12345n);
  });
});
