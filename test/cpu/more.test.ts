import { describe, expect, it } from 'vitest';
import { EXIT, Machine, REASON, TOHOST, TRAP_PRELUDE, assemble, coreModule, enterMode, runProgram } from './harness.ts';
import { Ctrl, HartHost } from '../../src/machine/layout.ts';

describe('CSR views and gates', () => {
  it('sie/sip are views through mideleg; sip.SSIP writable, STIP not', () => {
    const { h } = runProgram(`
      li t0, 0x222
      csrw mideleg, t0
      li t0, 0xaaa
      csrw mie, t0
      csrr s2, sie
      li t0, 0x20
      csrc sie, t0          # clears mie.STIE through the view
      csrr s3, mie
      li t0, 0x22
      csrs sip, t0          # only SSIP sticks
      csrr s4, mip
      csrw mideleg, zero
      csrr s5, sie          # nothing delegated: sie reads 0
      li a0, 0
      ${EXIT}`);
    expect(h.x(18)).toBe(0x222n);
    expect(h.x(19)).toBe(0xa8an);
    expect(h.x(20) & 0x222n).toBe(0x2n);
    expect(h.x(21)).toBe(0n);
  });

  it('mip: M software writes SSIP/STIP/SEIP; MTIP/MSIP/MEIP are read-only', () => {
    const { h } = runProgram(`
      li t0, 0xaaa
      csrw mip, t0
      csrr s2, mip
      csrw mip, zero
      li a0, 0
      ${EXIT}`);
    expect(h.x(18)).toBe(0x222n);
  });

  it('U-mode counters need both mcounteren and scounteren', () => {
    const run = (m: number, s: number) => runProgram(`${TRAP_PRELUDE}
    main:
      li t0, ${m}
      csrw mcounteren, t0
      li t0, ${s}
      csrw scounteren, t0
      ${enterMode('u', 0)}
    u:
      rdinstret s2
      li a1, 0
      ecall`).h.x(11);
    expect(run(4, 0)).toBe(2n);
    expect(run(0, 4)).toBe(2n);
    expect(run(4, 4)).toBe(8n); // reached the ecall
  });

  it('TVM: satp and sfence.vma trap in S-mode; sfence.vma is illegal in U', () => {
    const a = runProgram(`${TRAP_PRELUDE}
    main:
      li t0, 1 << 20
      csrs mstatus, t0
      ${enterMode('s', 1)}
    s: csrr t0, satp`);
    expect(a.h.x(11)).toBe(2n);
    const b = runProgram(`${TRAP_PRELUDE}
    main:
      li t0, 1 << 20
      csrs mstatus, t0
      ${enterMode('s', 1)}
    s: sfence.vma`);
    expect(b.h.x(11)).toBe(2n);
    const c = runProgram(`${TRAP_PRELUDE}
    main:
      ${enterMode('u', 0)}
    u: sfence.vma`);
    expect(c.h.x(11)).toBe(2n);
  });

  it('mcountinhibit.IR stops minstret', () => {
    const { h } = runProgram(`
      li t0, 4
      csrw mcountinhibit, t0
      csrr s2, minstret
      nop
      nop
      csrr s3, minstret
      csrw mcountinhibit, zero
      li a0, 0
      ${EXIT}`);
    expect(h.x(19)).toBe(h.x(18));
  });
});

describe('host interface', () => {
  it('HTIF exit goes through mmioStore; a host request makes run return REASON_HOST', () => {
    const m = new Machine();
    m.load(assemble(`li a0, 5\n${EXIT}`));
    const h = m.harts[0];
    expect(h.run(1000)).toBe(REASON.host);
    expect(m.exitCode).toBe(5);
    expect(h.hostWord(HartHost.hostRequest)).toBe(0); // cleared by the core
    const st = m.mmio.find((a) => a.addr === TOHOST);
    expect(st).toMatchObject({ kind: 'store', size: 8, value: 11n });
    expect(m.r32(h.pc - 4n)).toBe(0x00afb023); // pc is after the sd a0, 0(t6)
  });

  it('the rest of the HTIF page is ordinary RAM', () => {
    const { h, m } = runProgram(`
      li t0, ${TOHOST + 0x100n}
      li t1, 77
      sd t1, 0(t0)
      ld s2, 0(t0)
      li a0, 0
      ${EXIT}`);
    expect(h.x(18)).toBe(77n);
    expect(m.r64(TOHOST + 0x100n)).toBe(77n);
    expect(m.mmio.filter((a) => a.addr !== TOHOST).length).toBe(0);
  });

  it('pc and instret are written back before an MMIO call', () => {
    const m = new Machine();
    m.load(assemble(`
      nop
      nop
      li t0, 0x10000000
      lw t1, 0(t0)
      li a0, 0
      ${EXIT}`));
    const h = m.harts[0];
    let seen: [bigint, bigint] | undefined;
    const orig = m.mmioLoad.bind(m);
    m.mmioLoad = (hart, addr, size) => { seen = [h.pc, h.get('instret')]; return orig(hart, addr, size); };
    h.runToExit();
    expect(seen).toEqual([0x8000000cn, 3n]);
  });

  it('an interrupt raised by a device during an MMIO store is taken right after it', () => {
    const m = new Machine();
    m.load(assemble(`${TRAP_PRELUDE}
    main:
      li t0, 0x800
      csrw mie, t0
      csrsi mstatus, 8
      li t0, 0x10000000
      sw zero, 0(t0)
      li s2, 1             # must not run before the interrupt
      j .`));
    const h = m.harts[0];
    const orig = m.mmioStore.bind(m);
    m.mmioStore = (hart, addr, size, v) => { if (addr === 0x10000000n) h.raiseIrq(0x800n); orig(hart, addr, size, v); };
    h.runToExit();
    expect(h.x(11)).toBe((1n << 63n) | 11n);
    expect(h.x(18)).toBe(0n);
  });

  it('deterministic mode: time = hart 0 instret / 10 + idle ticks, no mtime import', () => {
    const m = new Machine();
    m.ctrl(Ctrl.flags, 1);
    m.ctrl(Ctrl.idleTicksLo, 1000);
    m.mtimeValue = 123456789n;
    m.load(assemble(`
      .rept 50
      nop
      .endr
      rdtime s2
      li a0, 0
      ${EXIT}`));
    const h = m.harts[0];
    h.runToExit();
    expect(h.x(18)).toBe(1000n + 5n);
  });

  it('time CSR reads the mtime import otherwise', () => {
    const m = new Machine();
    m.mtimeValue = 123456789n;
    m.load(assemble(`rdtime s2\nli a0, 0\n${EXIT}`));
    m.harts[0].runToExit();
    expect(m.harts[0].x(18)).toBe(123456789n);
  });
});

describe('faults are precise', () => {
  it('a page-crossing store whose second page faults writes nothing', () => {
    const m = new Machine();
    // Sv39: one 4 KiB page mapped RW at 0x40000000 → 0x80300000; 0x40001000 unmapped.
    const root = 0x80400000n, l1 = 0x80401000n, l0 = 0x80402000n;
    m.w64(root + 2n * 8n, ((0x80000000n >> 12n) << 10n) | 0xcfn); // gigapage identity for code
    m.w64(root + 1n * 8n, ((l1 >> 12n) << 10n) | 1n);
    m.w64(l1, ((l0 >> 12n) << 10n) | 1n);
    m.w64(l0, ((0x80300000n >> 12n) << 10n) | 0xc7n);
    m.w64(0x80300ff8n, 0x1111111111111111n);
    m.load(assemble(`${TRAP_PRELUDE}
    main:
      li t0, (8 << 60) | ${root >> 12n}
      csrw satp, t0
      ${enterMode('s', 1)}
    s:
      li t1, 0x40000ffc
      li t2, -1
      sd t2, 0(t1)
      j .`));
    m.harts[0].runToExit();
    expect(m.harts[0].x(11)).toBe(15n);
    expect(m.r64(0x80300ff8n)).toBe(0x1111111111111111n);
  });

  it('an instruction straddling into an unmapped page: fetch page fault with tval = the second page', () => {
    const m = new Machine();
    const root = 0x80400000n, l1 = 0x80401000n, l0 = 0x80402000n;
    m.w64(root + 2n * 8n, ((0x80000000n >> 12n) << 10n) | 0xcfn);
    m.w64(root + 1n * 8n, ((l1 >> 12n) << 10n) | 1n);
    m.w64(l1, ((l0 >> 12n) << 10n) | 1n);
    m.w64(l0, ((0x80300000n >> 12n) << 10n) | 0xcbn); // R X A D
    m.w32(0x80300ffcn, 0x00010001); // c.nop ; then the low half of a 32-bit instruction (0x...13)
    m.w32(0x80300ffen, 0x0013);
    m.load(assemble(`${TRAP_PRELUDE}
    main:
      li t0, (8 << 60) | ${root >> 12n}
      csrw satp, t0
      ${enterMode('s', 1)}
    s:
      li t1, 0x40000ffc
      jr t1`));
    m.harts[0].runToExit();
    expect(m.harts[0].x(11)).toBe(12n);
    expect(m.harts[0].x(12)).toBe(0x40001000n);
    expect(m.harts[0].x(13)).toBe(0x40000ffen);
  });
});

describe('host changes between runs', () => {
  it('state changed by the host and flushed through another instance is honoured by the running one', () => {
    const m = new Machine();
    m.load(assemble(`${TRAP_PRELUDE}
    main:
      li t1, 0x80300000
      ld s2, 0(t1)            # allowed: no PMP yet
      wfi                     # the host "restores" here
      ld s3, 0(t1)            # now denied by a locked PMP entry
      li a1, 0
      li a0, 0
      ${EXIT}`));
    const h = m.harts[0];
    expect(h.run(1000)).toBe(REASON.wfi);
    // Host: lock a NAPOT 4 KiB region at 0x80300000 with no permissions, then flush caches
    // through a second (maintenance) instance bound to the same hart.
    h.set('pmpaddr', (0x80300000n >> 2n) | ((0x1000n >> 3n) - 1n), 0);
    h.set('pmpcfg', 0x98n, 0); // L | NAPOT, no R/W/X
    const maint = new WebAssembly.Instance(coreModule(), {
      env: { memory: m.memory, mmioLoad: () => 0n, mmioStore: () => {}, mtime: () => 0n, abort: () => {} },
    }).exports as unknown as { init(h: number): void; flushCaches(): void };
    maint.init(0);
    maint.flushCaches();
    h.runToExit();
    expect(h.x(11)).toBe(5n);
    expect(h.x(12)).toBe(0x80300000n);
  });
});
