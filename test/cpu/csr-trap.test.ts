import { describe, expect, it } from 'vitest';
import { EXIT, Machine, REASON, TRAP_PRELUDE, assemble, enterMode, runProgram } from './harness.ts';

const MISA = (2n << 62n) | (1n << 0n) | (1n << 2n) | (1n << 3n) | (1n << 5n) | (1n << 8n) | (1n << 12n) | (1n << 18n) | (1n << 20n);

describe('CSRs', () => {
  it('misa, mhartid, mscratch; misa writes ignored', () => {
    const { h } = runProgram(`
      csrr s2, misa
      csrw misa, zero
      csrr s3, misa
      csrr s4, mhartid
      li t0, 0x1234
      csrrw s5, mscratch, t0
      csrr s6, mscratch
      csrr s7, mvendorid
      li a0, 0
      ${EXIT}`);
    expect(h.x(18)).toBe(MISA);
    expect(h.x(19)).toBe(MISA);
    expect(h.x(20)).toBe(0n);
    expect(h.x(21)).toBe(0n);
    expect(h.x(22)).toBe(0x1234n);
    expect(h.x(23)).toBe(0n);
  });

  it('rs1 = x0 means no write: reading a read-only CSR is fine that way', () => {
    const { h, m } = runProgram(`${TRAP_PRELUDE}
    main:
      csrrs s2, mhartid, x0
      csrrsi s3, mhartid, 0
      li a1, 0
      li a0, 0
      ${EXIT}`);
    expect(m.exitCode).toBe(0);
    expect(h.x(11)).toBe(0n);
  });

  it('writing a read-only CSR is illegal even when the value is 0 (rs1 != x0)', () => {
    const { h } = runProgram(`${TRAP_PRELUDE}
    main:
      li t1, 0
    bad:
      csrrs s2, mhartid, t1
      j .`);
    expect(h.x(11)).toBe(2n);
    expect(h.x(12)).toBe(0xf1432973n); // the instruction bits
  });

  it('an unknown CSR is illegal with mtval = instruction bits; compressed illegal has its 16 bits', () => {
    const { h } = runProgram(`${TRAP_PRELUDE}
    main:
      csrr a0, 0x7ff
      j .`);
    expect(h.x(11)).toBe(2n);
    expect(h.x(12)).toBe(0x7ff02573n);
    const r = runProgram(`${TRAP_PRELUDE}
    main:
      .half 0x0000
      j .`);
    expect(r.h.x(11)).toBe(2n);
    expect(r.h.x(12)).toBe(0n);
  });

  it('sstatus is a view of mstatus; MPP=2 is not stored; UXL/SXL read 2; SD follows FS', () => {
    const { h } = runProgram(`
      li t0, 2
      csrs sstatus, t0        # SIE
      csrr s2, mstatus
      li t0, ${3 << 11}
      csrs mstatus, t0        # MPP = M
      li t0, ${1 << 12}
      csrc mstatus, t0        # MPP would become 1 (S): allowed
      csrr s3, mstatus
      li t0, ${3 << 11}
      csrc mstatus, t0
      li t0, ${2 << 11}
      csrs mstatus, t0        # MPP = 2 reserved: keeps 0
      csrr s4, mstatus
      li t0, ${3 << 13}
      csrs sstatus, t0        # FS = dirty
      csrr s5, sstatus
      li t0, 8
      csrs sstatus, t0        # MIE is not in sstatus: no effect
      csrr s6, mstatus
      li a0, 0
      ${EXIT}`);
    expect(h.x(18) & 2n).toBe(2n);
    expect((h.x(18) >> 32n) & 0xfn).toBe(0xan);
    expect((h.x(19) >> 11n) & 3n).toBe(1n);
    expect((h.x(20) >> 11n) & 3n).toBe(0n);
    expect(h.x(21) >> 63n).toBe(1n);
    expect(h.x(21) & (3n << 32n)).toBe(2n << 32n); // UXL visible in sstatus
    expect(h.x(22) & 8n).toBe(0n);
  });

  it('satp: Sv57 (and other unsupported modes) writes are ignored entirely; Sv39/Sv48 accepted', () => {
    const { h } = runProgram(`
      li t0, (8 << 60) | 0x80400
      csrw satp, t0
      csrr s2, satp
      li t0, (10 << 60) | 0x12345
      csrw satp, t0
      csrr s3, satp
      li t0, (9 << 60) | 0x80400
      csrw satp, t0
      csrr s4, satp
      csrw satp, zero
      li a0, 0
      ${EXIT}`);
    expect(h.x(18)).toBe((8n << 60n) | 0x80400n);
    expect(h.x(19)).toBe((8n << 60n) | 0x80400n);
    expect(h.x(20)).toBe((9n << 60n) | 0x80400n);
  });

  it('mepc clears bit 0; mtvec mode 2 is not stored; medeleg/mideleg WARL', () => {
    const { h } = runProgram(`
      li t0, 0x80001237
      csrw mepc, t0
      csrr s2, mepc
      li t0, 0x80002002
      csrw mtvec, t0
      csrr s3, mtvec
      li t0, -1
      csrw medeleg, t0
      csrr s4, medeleg
      csrw mideleg, t0
      csrr s5, mideleg
      csrw mie, t0
      csrr s6, mie
      li a0, 0
      ${EXIT}`);
    expect(h.x(18)).toBe(0x80001236n);
    expect(h.x(19) & 3n).toBe(0n);
    expect(h.x(20)).toBe(0xb3ffn);
    expect(h.x(21)).toBe(0x222n);
    expect(h.x(22)).toBe(0xaaan);
  });

  it('minstret counts retired instructions exactly', () => {
    const { h } = runProgram(`
      csrr s2, minstret
      nop
      nop
      csrr s3, minstret
      rdinstret s4
      rdcycle s5
      li a0, 0
      ${EXIT}`);
    expect(h.x(19) - h.x(18)).toBe(3n);
    expect(h.x(20) - h.x(19)).toBe(1n);
  });

  it('PMP: pmpaddr keeps 54 bits (granularity 4 bytes), locked entries ignore writes, 16+ read zero', () => {
    const { h } = runProgram(`
      li t0, -1
      csrw pmpaddr0, t0
      csrr s2, pmpaddr0
      li t0, 0x80
      csrw pmpcfg0, t0        # entry 0 locked (A = OFF)
      csrw pmpaddr0, zero
      csrr s3, pmpaddr0
      csrw 0x3c0, t0          # pmpaddr16: read-only zero, no trap
      csrr s4, 0x3c0
      li a0, 0
      ${EXIT}`);
    expect(h.x(18)).toBe((1n << 54n) - 1n);
    expect(h.x(19)).toBe((1n << 54n) - 1n);
    expect(h.x(20)).toBe(0n);
  });

  it('counters are gated by mcounteren from S-mode', () => {
    const { h } = runProgram(`${TRAP_PRELUDE}
    main:
      csrw mcounteren, zero
      ${enterMode('smode', 1)}
    smode:
      rdcycle s2
      j .`);
    expect(h.x(11)).toBe(2n);
    const r = runProgram(`${TRAP_PRELUDE}
    main:
      li t0, 7
      csrw mcounteren, t0
      ${enterMode('smode', 1)}
    smode:
      rdcycle s2
      rdtime s3
      csrr s4, mstatus       # M CSR from S: illegal
      j .`);
    expect(r.h.x(11)).toBe(2n);
    expect(r.h.x(12)).toBe(0x30002a73n);
  });
});

describe('traps', () => {
  it('ecall from M, U; delegation to S; sret returns', () => {
    const { h } = runProgram(`${TRAP_PRELUDE}
    main:
      ecall
      j .`);
    expect(h.x(11)).toBe(11n);
    const r = runProgram(`${TRAP_PRELUDE}
    main:
      li t0, 1 << 8
      csrw medeleg, t0
      la t0, strap
      csrw stvec, t0
      ${enterMode('umode', 0)}
    umode:
      li s2, 1
      ecall
      li s4, 4
      ecall                 # second one: S handler escalates with ecall from S
    strap:
      csrr s3, scause
      csrr t1, sepc
      addi t1, t1, 4
      csrw sepc, t1
      bnez s4, 1f
      sret
    1: ecall
    `);
    expect(r.h.x(18)).toBe(1n);
    expect(r.h.x(19)).toBe(8n);
    expect(r.h.x(20)).toBe(4n);
    expect(r.h.x(11)).toBe(9n); // ecall from S reaches M
    // sstatus.SPP was U
  });

  it('ebreak: cause 3, tval = pc', () => {
    const { h } = runProgram(`${TRAP_PRELUDE}
    main:
      ebreak
      j .`);
    expect(h.x(11)).toBe(3n);
    expect(h.x(12)).toBe(h.x(13));
  });

  it('mret restores MIE from MPIE, sets MPIE, MPP = U', () => {
    const { h } = runProgram(`
      li t0, 0x80         # MPIE
      csrs mstatus, t0
      li t0, ${3 << 11}
      csrs mstatus, t0
      la t0, 1f
      csrw mepc, t0
      mret
    1: csrr s2, mstatus
      li a0, 0
      ${EXIT}`);
    expect(h.x(18) & 8n).toBe(8n);
    expect(h.x(18) & 0x80n).toBe(0x80n);
    expect((h.x(18) >> 11n) & 3n).toBe(0n);
  });

  it('sret is illegal in S with TSR; wfi illegal in U and in S with TW', () => {
    const a = runProgram(`${TRAP_PRELUDE}
    main:
      li t0, 1 << 22
      csrs mstatus, t0
      ${enterMode('s', 1)}
    s: sret`);
    expect(a.h.x(11)).toBe(2n);
    const b = runProgram(`${TRAP_PRELUDE}
    main:
      ${enterMode('u', 0)}
    u: wfi`);
    expect(b.h.x(11)).toBe(2n);
    const c = runProgram(`${TRAP_PRELUDE}
    main:
      li t0, 1 << 21
      csrs mstatus, t0
      ${enterMode('s', 1)}
    s: wfi`);
    expect(c.h.x(11)).toBe(2n);
  });
});

describe('interrupts', () => {
  const M = () => new Machine();

  it('WFI with nothing pending returns REASON_WFI with pc after the wfi', () => {
    const m = M();
    m.load(assemble(`
      wfi
      li a0, 0
      ${EXIT}`));
    const h = m.harts[0];
    expect(h.run(1000)).toBe(REASON.wfi);
    expect(h.pc).toBe(0x80000004n);
  });

  it('WFI is a no-op when an interrupt is pending in mie, even with MIE clear', () => {
    const m = M();
    m.load(assemble(`
      li t0, 0x80
      csrw mie, t0
      wfi
      li a0, 0
      ${EXIT}`));
    const h = m.harts[0];
    h.raiseIrq(0x80n);
    h.runToExit(1000);
    expect(m.exitCode).toBe(0);
  });

  it('priority MEI > MSI > MTI > SEI > SSI > STI, vectored mtvec', () => {
    const m = M();
    m.load(assemble(`
      la t0, vec
      ori t0, t0, 1
      csrw mtvec, t0
      li t0, 0xaaa
      csrw mie, t0
      li s2, 0x80100000 + 0x1000
      csrsi mstatus, 8        # MIE: interrupts taken now
    spin: j spin
    .align 8
    vec:
      .rept 16
      j handler
      .endr
    handler:
      csrr t0, mcause
      sd t0, 0(s2)
      addi s2, s2, 8
      slli t1, t0, 1
      srli t1, t1, 1
      li t2, 1
      sll t2, t2, t1
    1: csrr t4, mip          # wait until the "device" (the test) drops the line
      and t4, t4, t2
      bnez t4, 1b
      li t3, 5
      beq s3, t3, done
      addi s3, s3, 1
      mret
    done:
      li a0, 0
      ${EXIT}`));
    const h = m.harts[0];
    // Devices own MEIP/MSIP/MTIP: the test clears them when taken, by watching mcause.
    h.raiseIrq(0xaaan);
    h.set('mideleg', 0n);
    const seen: bigint[] = [];
    for (let i = 0; i < 200 && m.exitCode === undefined; i++) {
      h.run(50);
      const c = m.r64(0x80101000n + BigInt(8 * seen.length));
      if (c !== 0n) {
        seen.push(c);
        const bit = 1n << (c & 63n);
        h.clearIrq(bit);
      }
    }
    const codes = seen.map((c) => Number(c & 63n));
    expect(seen.every((c) => c >> 63n === 1n)).toBe(true);
    expect(codes).toEqual([11, 3, 7, 9, 1, 5]);
  });

  it('delegated STI goes to S; M-level interrupts are taken in S even with MIE = 0', () => {
    const m = M();
    m.load(assemble(`${TRAP_PRELUDE}
    main:
      li t0, 0x20
      csrw mideleg, t0
      li t0, 0xa0
      csrw mie, t0
      la t0, strap
      csrw stvec, t0
      li t0, 2
      csrs mstatus, t0      # SIE (delivered through sstatus view)
      ${enterMode('s', 1)}
    s: j s
    strap:
      csrr s2, scause
      li t0, 0x20
      csrc sie, t0
      li s3, 1
    wait: j wait
    `));
    const h = m.harts[0];
    h.run(100);
    h.raiseIrq(0x20n); // STIP
    h.run(100);
    expect(h.x(18)).toBe((1n << 63n) | 5n);
    expect(h.get('priv')).toBe(1n);
    h.raiseIrq(0x80n); // MTIP: to M even though MIE = 0, since priv < M
    h.runToExit(1000);
    expect(h.x(11)).toBe((1n << 63n) | 7n);
  });
});

describe('run loop accounting', () => {
  it('an exit-causing instruction at the very end of a budget leaves a clean pc; instret is exact', () => {
    const m = new Machine();
    m.load(assemble(`
      .rept 40
      csrw mscratch, zero
      addi s2, s2, 1
      .endr
      li a0, 0
      ${EXIT}`));
    const h = m.harts[0];
    for (let i = 0; i < 80; i++) {
      expect(h.run(1)).toBe(REASON.budget);
      expect(h.pc).toBe(0x80000000n + BigInt(4 * (i + 1)));
    }
    expect(h.x(18)).toBe(40n);
    expect(h.get('instret')).toBe(80n);
    h.run(7);
    expect(h.get('instret')).toBe(87n);
  });
});
