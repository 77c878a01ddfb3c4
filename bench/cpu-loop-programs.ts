/** The guest loops of bench/cpu-loop.ts and bench/cpu-ab.ts (raw RV64 code at RAM_BASE; sp, a5, a6 set by the runner). */
// Assembled with riscv64-linux-gnu-as (sources in the comments).
export const LOOPS: { name: string; words: number[]; halves?: boolean }[] = [
  {
    // addi a0,a0,1; xor a1,a1,a0; slli a3,a1,3; add a1,a1,a3; ld a4,64(sp); sd a1,72(sp); bne a0,a2,loop
    name: 'alu+mem (32-bit encodings)',
    words: [0x00150513, 0x00a5c5b3, 0x00359693, 0x00d585b3, 0x04013703, 0x04b13423, 0xfec514e3],
  },
  {
    // c.addi a0,1; c.xor a1,a0; c.slli a1,3; c.add a3,a1; c.ldsp a4,64(sp); c.sdsp a1,72(sp); bne a0,a2,loop
    name: 'alu+mem (compressed)',
    words: [0x8da90505, 0x96ae058e, 0xe4ae6706, 0xfec51ae3],
  },
  {
    // bench/programs kernels.c int_loop as gcc built it (19 instructions, mixed lengths; a6 = the array):
    // slli a4,a5,13; c.xor a5,a4; andi a4,a2,63; srli a3,a5,7; c.slli a4,3; c.add a4,a6; c.xor a5,a3;
    // c.ld a1,0(a4); slli a3,a5,17; c.xor a5,a3; andi a3,a5,63; c.add a1,a5; c.slli a3,3; c.sd a1,0(a4);
    // add a4,a6,a3; c.ld a4,0(a4); c.addi a2,1; c.add a7,a4; bne a2,a0,loop
    name: 'int-loop kernel',
    words: halvesToWords('00d79713 8fb9 03f67713 0077d693 070e 9742 8fb5 630c 01179693 8fb5 03f7f693 95be 068e e30c 00d80733 6318 0605 98ba fca618e3'),
  },
  {
    // c.fldsp ft0,64(sp); c.fldsp ft1,72(sp); fmul.d ft2,ft0,ft1; fadd.d ft3,ft3,ft2; fsub.d ft4,ft3,ft0;
    // c.fsdsp ft4,80(sp); c.addi a0,1; bne a0,a2,loop  (F/D: out of line in a block)
    name: 'F/D loop',
    words: halvesToWords('2006 20a6 12107153 0221f1d3 0a01f253 a892 0505 fec516e3'),
  },
];

/** objdump-style instruction hex (16- and 32-bit) → little-endian 32-bit words. */
function halvesToWords(s: string): number[] {
  const h: number[] = [];
  for (const t of s.split(' ')) {
    const v = parseInt(t, 16);
    if (t.length === 8) h.push(v & 0xffff, v >>> 16); else h.push(v);
  }
  if (h.length % 2) h.push(0);
  return Array.from({ length: h.length / 2 }, (_, i) => (h[2 * i] | (h[2 * i + 1] << 16)) >>> 0);
}

