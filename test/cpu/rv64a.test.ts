import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { EXIT, Machine, TRAP_PRELUDE, assemble, coreModule, runProgram } from './harness.ts';
import { RAM_BASE } from '../../src/machine/layout.ts';

describe('A extension', () => {
  it('AMOs return the old value (sign-extended for .w) and store the result', () => {
    const { h, m } = runProgram(`
      li s0, 0x80010000
      li t0, 0x80000000
      sw t0, 0(s0)
      li t1, 1
      amoadd.w s2, t1, (s0)          # old 0x80000000 sign-extended
      lw s3, 0(s0)
      li t1, -5
      amomin.w s4, t1, (s0)          # min(0x80000001, -5) signed = 0x80000001
      amominu.w s5, t1, (s0)         # unsigned: min(0x80000001, 0xfffffffb) → 0x80000001
      amomaxu.w s6, t1, (s0)         # → 0xfffffffb
      lw s7, 0(s0)
      li t2, 0x1122334455667788
      sd t2, 8(s0)
      li t3, 0xff
      addi s1, s0, 8
      amoand.d s8, t3, (s1)
      ld s9, 8(s0)
      amoswap.d s10, t2, (s1)
      amoxor.d zero, t2, (s1)        # rd = x0
      ld s11, 8(s0)
      li a0, 0
      ${EXIT}`);
    expect(m.exitCode).toBe(0);
    expect(h.x(18)).toBe(0xffffffff80000000n);
    expect(h.x(19)).toBe(0xffffffff80000001n);
    expect(h.x(20)).toBe(0xffffffff80000001n);
    expect(h.x(21)).toBe(0xffffffff80000001n);
    expect(h.x(22)).toBe(0xffffffff80000001n);
    expect(h.x(23)).toBe(0xfffffffffffffffbn);
    expect(h.x(24)).toBe(0x1122334455667788n);
    expect(h.x(25)).toBe(0x88n);
    expect(h.x(26)).toBe(0x88n);
    expect(h.x(27)).toBe(0n);
  });

  it('LR/SC: success writes 0; SC without reservation or after the value changed fails with 1', () => {
    const { h } = runProgram(`
      li s0, 0x80010000
      li t0, 5
      sd t0, 0(s0)
      lr.d t1, (s0)
      addi t1, t1, 1
      sc.d s2, t1, (s0)      # 0
      sc.d s3, t1, (s0)      # no reservation: 1
      lr.w t1, (s0)
      li t2, 99
      sw t2, 0(s0)           # value changes under the reservation
      sc.w s4, t1, (s0)      # fails
      lw s5, 0(s0)
      li a0, 0
      ${EXIT}`);
    expect(h.x(18)).toBe(0n);
    expect(h.x(19)).toBe(1n);
    expect(h.x(20)).toBe(1n);
    expect(h.x(21)).toBe(99n);
  });

  it('misaligned LR raises 4; misaligned SC/AMO raise 6; AMO on MMIO is an access fault (7)', () => {
    const lr = runProgram(`${TRAP_PRELUDE}
    main:
      li s0, 0x80010004
      lr.d t0, (s0)
      j .`);
    expect(lr.h.x(11)).toBe(4n);
    expect(lr.h.x(12)).toBe(0x80010004n);
    const sc = runProgram(`${TRAP_PRELUDE}
    main:
      li s0, 0x80010002
      sc.w t0, t0, (s0)
      j .`);
    expect(sc.h.x(11)).toBe(6n);
    const amo = runProgram(`${TRAP_PRELUDE}
    main:
      li s0, 0x80010001
      amoadd.w t0, t0, (s0)
      j .`);
    expect(amo.h.x(11)).toBe(6n);
    const io = runProgram(`${TRAP_PRELUDE}
    main:
      li s0, 0x10000000
      amoor.w t0, t0, (s0)
      j .`);
    expect(io.h.x(11)).toBe(7n);
  });

  it('two harts in two workers over one memory: AMOADD and LR/SC increments reach the exact total', async () => {
    const m = new Machine({ harts: 2 });
    const N = 200_000;
    const COUNTERS = 0x80010000n, DONE = 0x80020000n;
    m.load(assemble(`
      csrr s1, mhartid
      li s0, ${COUNTERS}
      li s2, ${N}
    loop:
      li t0, 1
      amoadd.w zero, t0, 0(s0)       # counter 0: AMOADD
      addi s3, s0, 8
    retry:
      lr.d t1, (s3)                   # counter 1: LR/SC
      addi t1, t1, 1
      sc.d t2, t1, (s3)
      bnez t2, retry
      addi s2, s2, -1
      bnez s2, loop
      li t0, ${DONE}
      slli t1, s1, 3
      add t0, t0, t1
      li t1, 1
      sw t1, 0(t0)
    1: j 1b`));
    const doneWasm = RAM_BASE + Number(DONE - 0x80000000n);
    const workers = [0, 1].map((id) => {
      const w = new Worker(new URL('./smp-worker.mjs', import.meta.url));
      const done = new Promise<{ runs: number }>((res, rej) => { w.once('message', res); w.once('error', rej); });
      w.postMessage({ module: coreModule(), memory: m.memory, id, doneAddr: doneWasm, resetPc: 0x80000000n });
      return { w, done };
    });
    await Promise.all(workers.map((x) => x.done));
    await Promise.all(workers.map((x) => x.w.terminate()));
    expect(m.r32(DONE)).toBe(1);
    expect(m.r32(DONE + 8n)).toBe(1);
    expect(m.r32(COUNTERS)).toBe(2 * N);
    expect(m.r64(COUNTERS + 8n)).toBe(BigInt(2 * N));
  });
});
