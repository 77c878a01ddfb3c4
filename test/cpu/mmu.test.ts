import { describe, expect, it } from 'vitest';
import { EXIT, Machine, TRAP_PRELUDE, assemble, enterMode } from './harness.ts';

const V = 1n, R = 2n, W = 4n, X = 8n, U = 16n, A = 64n, D = 128n;

/** Sv39/Sv48 page tables built by the test in guest RAM. */
class PageTables {
  next: bigint;
  constructor(readonly m: Machine, readonly root: bigint, readonly levels = 3) { this.next = root + 0x1000n; }
  private alloc(): bigint { const p = this.next; this.next += 0x1000n; return p; }
  /** Map va → pa with a leaf at `level` (0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB). */
  map(va: bigint, pa: bigint, flags: bigint, level = 0): bigint {
    let table = this.root;
    for (let l = this.levels - 1; l > level; l--) {
      const slot = table + ((va >> BigInt(12 + 9 * l)) & 511n) * 8n;
      let pte = this.m.r64(slot);
      if ((pte & V) === 0n) { pte = ((this.alloc() >> 12n) << 10n) | V; this.m.w64(slot, pte); }
      table = (pte >> 10n) << 12n;
    }
    const slot = table + ((va >> BigInt(12 + 9 * level)) & 511n) * 8n;
    this.m.w64(slot, ((pa >> 12n) << 10n) | flags);
    return slot;
  }
  get satp(): bigint { return ((this.levels === 4 ? 9n : 8n) << 60n) | (this.root >> 12n); }
}

const ROOT = 0x80400000n;
const DATA_PA = 0x80300000n;

function setup(levels = 3) {
  const m = new Machine();
  const pt = new PageTables(m, ROOT, levels);
  // Identity gigapage for code/data/HTIF, supervisor RWX.
  pt.map(0x80000000n, 0x80000000n, V | R | W | X | A | D, levels === 3 ? 2 : 2);
  return { m, pt };
}

/** Program: set satp, enter S-mode at `s`, then `body`. M handler records the trap (a1..a3). */
function prog(satp: bigint, body: string, extra = '') {
  return `${TRAP_PRELUDE}
  main:
    li t0, ${satp}
    csrw satp, t0
    ${extra}
    ${enterMode('s', 1)}
  s:
    ${body}
    li a0, 0
    ${EXIT}`;
}

describe('Sv39 MMU', () => {
  it('hardware sets A on load and A|D on store (atomically in the PTE)', () => {
    const { m, pt } = setup();
    const slot = pt.map(0x40000000n, DATA_PA, V | R | W);
    m.w64(DATA_PA + 8n, 0xabcdn);
    m.load(assemble(prog(pt.satp, `
      li t1, 0x40000000
      ld s2, 8(t1)
      mv s3, zero`)));
    m.harts[0].runToExit();
    expect(m.harts[0].x(18)).toBe(0xabcdn);
    expect(m.r64(slot) & (A | D)).toBe(A);
    const m2 = setup();
    const slot2 = m2.pt.map(0x40000000n, DATA_PA, V | R | W);
    m2.m.load(assemble(prog(m2.pt.satp, `
      li t1, 0x40000000
      li t2, 77
      sd t2, 16(t1)`)));
    m2.m.harts[0].runToExit();
    expect(m2.m.r64(slot2) & (A | D)).toBe(A | D);
    expect(m2.m.r64(DATA_PA + 16n)).toBe(77n);
  });

  const fault = (flags: bigint, body: string, extra = '', level = 0, va = 0x40000000n, pa = DATA_PA) => {
    const { m, pt } = setup();
    pt.map(va, pa, flags, level);
    m.load(assemble(prog(pt.satp, body, extra)));
    const h = m.harts[0];
    h.runToExit();
    return { cause: h.x(11), tval: h.x(12), h, m };
  };

  it('store to a read-only page: cause 15, mtval = VA', () => {
    const r = fault(V | R | A, `li t1, 0x40000010\n sd t1, 0(t1)`);
    expect(r.cause).toBe(15n);
    expect(r.tval).toBe(0x40000010n);
  });
  it('invalid PTE: load page fault 13', () => {
    const r = fault(R | A, `li t1, 0x40000008\n ld t2, 0(t1)`);
    expect(r.cause).toBe(13n);
    expect(r.tval).toBe(0x40000008n);
  });
  it('W without R is reserved: page fault', () => {
    const r = fault(V | W | A | D, `li t1, 0x40000000\n ld t2, 0(t1)`);
    expect(r.cause).toBe(13n);
  });
  it('fetch from a non-executable page: cause 12', () => {
    const r = fault(V | R | A, `li t1, 0x40000000\n jr t1`);
    expect(r.cause).toBe(12n);
    expect(r.tval).toBe(0x40000000n);
  });
  it('S-mode load from a U page faults without SUM and works with SUM; S never executes U pages', () => {
    expect(fault(V | R | U | A, `li t1, 0x40000000\n ld t2, 0(t1)`).cause).toBe(13n);
    const ok = fault(V | R | U | A, `li t1, 0x40000000\n ld t2, 0(t1)\n li a1, 0`, `li t0, 1 << 18\n csrs mstatus, t0`);
    expect(ok.m.exitCode).toBe(0);
    expect(ok.cause).toBe(0n);
    expect(fault(V | R | X | U | A, `li t1, 0x40000000\n jr t1`, `li t0, 1 << 18\n csrs mstatus, t0`).cause).toBe(12n);
  });
  it('MXR makes execute-only pages readable', () => {
    expect(fault(V | X | A, `li t1, 0x40000000\n ld t2, 0(t1)`).cause).toBe(13n);
    const ok = fault(V | X | A, `li t1, 0x40000000\n ld t2, 0(t1)\n li a1, 0`, `li t0, 1 << 19\n csrs mstatus, t0`);
    expect(ok.cause).toBe(0n);
  });
  it('misaligned superpage: page fault', () => {
    const r = fault(V | R | W | A | D, `li t1, 0x40000000\n ld t2, 0(t1)`, '', 1, 0x40000000n, DATA_PA + 0x1000n);
    expect(r.cause).toBe(13n);
  });
  it('2 MiB superpage maps the offset within it', () => {
    const { m, pt } = setup();
    pt.map(0x40200000n, 0x80600000n, V | R | W | A | D, 1);
    m.w64(0x80600000n + 0x12340n, 0x5555n);
    m.load(assemble(prog(pt.satp, `li t1, 0x40212340\n ld s2, 0(t1)`)));
    m.harts[0].runToExit();
    expect(m.harts[0].x(18)).toBe(0x5555n);
  });
  it('non-canonical VA: page fault', () => {
    const r = fault(V | R | A, `li t1, 0x0000004000000000\n ld t2, 0(t1)`);
    expect(r.cause).toBe(13n);
    expect(r.tval).toBe(0x4000000000n);
  });
  it('misaligned load across pages whose second page is unmapped faults (13)', () => {
    const r = fault(V | R | A, `li t1, 0x40000ffc\n ld t2, 0(t1)`);
    expect(r.cause).toBe(13n);
  });
  it('sfence.vma makes a changed PTE visible', () => {
    const { m, pt } = setup();
    const slot = pt.map(0x40000000n, DATA_PA, V | R | W | A | D);
    m.w64(DATA_PA, 1n);
    m.w64(DATA_PA + 0x1000n, 2n);
    const newPte = (((DATA_PA + 0x1000n) >> 12n) << 10n) | V | R | W | A | D;
    m.load(assemble(prog(pt.satp, `
      li t1, 0x40000000
      ld s2, 0(t1)
      li t2, ${slot}
      li t3, ${newPte}
      sd t3, 0(t2)
      sfence.vma
      ld s3, 0(t1)`)));
    m.harts[0].runToExit();
    expect(m.harts[0].x(18)).toBe(1n);
    expect(m.harts[0].x(19)).toBe(2n);
  });
  it('sfence.vma by address drops that page; a superpage changed under any of its addresses is seen too', () => {
    const { m, pt } = setup();
    const slot = pt.map(0x40000000n, DATA_PA, V | R | W | A | D);
    const other = pt.map(0x40001000n, DATA_PA + 0x2000n, V | R | W | A | D);
    m.w64(DATA_PA, 1n);
    m.w64(DATA_PA + 0x1000n, 2n);
    m.w64(DATA_PA + 0x2000n, 3n);
    // 2 MiB superpage at 0x40400000 → 0x80600000, then remapped to 0x80800000.
    pt.map(0x40400000n, 0x80600000n, V | R | W | A | D, 1);
    const big = (() => { // the level-1 slot of 0x40400000
      const l1 = (m.r64(ROOT + 1n * 8n) >> 10n) << 12n;
      return l1 + 2n * 8n;
    })();
    m.w64(0x80600000n + 0x5000n, 10n);
    m.w64(0x80800000n + 0x5000n, 20n);
    m.load(assemble(prog(pt.satp, `
      li t1, 0x40000000
      ld s2, 0(t1)
      li t4, 0x40001000
      ld s5, 0(t4)             # cached: another page
      li t2, ${slot}
      li t3, ${(((DATA_PA + 0x1000n) >> 12n) << 10n) | V | R | W | A | D}
      sd t3, 0(t2)
      sfence.vma t1
      ld s3, 0(t1)             # new mapping
      ld s6, 0(t4)             # other page still right
      li t1, 0x40405000
      ld s4, 0(t1)
      li t2, ${big}
      li t3, ${((0x80800000n >> 12n) << 10n) | V | R | W | A | D}
      sd t3, 0(t2)
      li t5, 0x40400000        # flush by another address inside the superpage
      sfence.vma t5
      ld s7, 0(t1)`)));
    const h = m.harts[0];
    h.runToExit();
    expect(m.exitCode).toBe(0);
    expect(h.x(18)).toBe(1n);
    expect(h.x(19)).toBe(2n);
    expect(h.x(21)).toBe(3n);
    expect(h.x(22)).toBe(3n);
    expect(h.x(20)).toBe(10n);
    expect(h.x(23)).toBe(20n);
    void other;
  });
  it('MPRV: M-mode loads translate with MPP = S', () => {
    const { m, pt } = setup();
    pt.map(0x40000000n, DATA_PA, V | R | W | A | D);
    m.w64(DATA_PA, 0x77n);
    m.load(assemble(`
      li t0, ${pt.satp}
      csrw satp, t0
      li t0, ${(1 << 17) | (1 << 11)}
      csrs mstatus, t0
      li t1, 0x40000000
      ld s2, 0(t1)
      li t0, 1 << 17
      csrc mstatus, t0
      li a0, 0
      ${EXIT}`));
    m.harts[0].runToExit();
    expect(m.harts[0].x(18)).toBe(0x77n);
  });
  it('U-mode cannot access a supervisor page; page faults delegate to S via medeleg', () => {
    const { m, pt } = setup();
    pt.map(0x40000000n, DATA_PA, V | R | W | A | D);
    pt.map(0x100000000n, 0x80000000n, V | R | X | U | A, 2); // code visible to U at another VA
    m.load(assemble(`${TRAP_PRELUDE}
    main:
      li t0, ${pt.satp}
      csrw satp, t0
      li t0, 1 << 13
      csrw medeleg, t0
      la t0, strap
      csrw stvec, t0
      la t0, u
      li t1, 0x80000000
      sub t0, t0, t1
      li t1, 0x100000000
      add t0, t0, t1
      csrw mepc, t0
      li t0, ${3 << 11}
      csrc mstatus, t0
      mret
    u:
      li t1, 0x40000000
      ld t2, 0(t1)
      j .
    strap:
      csrr s2, scause
      csrr s3, stval
      csrr s4, sstatus
      li a0, 0
      ${EXIT}`));
    const h = m.harts[0];
    h.runToExit();
    expect(h.x(18)).toBe(13n);
    expect(h.x(19)).toBe(0x40000000n);
    expect(h.x(20) & 0x100n).toBe(0n); // SPP = U
  });
});

describe('Sv48', () => {
  it('walks four levels', () => {
    const { m, pt } = setup(4);
    pt.map(0x7f0000000000n, DATA_PA, V | R | W | A | D);
    m.w64(DATA_PA + 0x28n, 0x4848n);
    m.load(assemble(prog(pt.satp, `li t1, 0x7f0000000028\n ld s2, 0(t1)`)));
    m.harts[0].runToExit();
    expect(m.harts[0].x(18)).toBe(0x4848n);
  });
});

describe('physical memory and MMIO', () => {
  it('MMIO loads/stores go to the host; a host-reported fault is an access fault', () => {
    const m = new Machine();
    m.load(assemble(`${TRAP_PRELUDE}
    main:
      li t1, 0x10000000
      lw s2, 0(t1)
      lbu s3, 1(t1)
      sh s2, 8(t1)
      li t1, 0x20000000
      ld s4, 0(t1)
      j .`));
    const h = m.harts[0];
    h.runToExit();
    expect(h.x(18)).toBe(0xffffffff9abcdef0n);
    expect(h.x(19)).toBe(0xden);
    expect(m.mmio.find((a) => a.kind === 'store' && a.addr === 0x10000008n)).toMatchObject({ size: 2, value: 0xdef0n });
    expect(h.x(11)).toBe(5n);
    expect(h.x(12)).toBe(0x20000000n);
  });
  it('boot ROM is readable and executable but not writable', () => {
    const m = new Machine();
    // ROM: li a0, 42 ; jr t0  (returns to RAM)
    m.load(new Uint8Array([0x13, 0x05, 0xa0, 0x02, 0x67, 0x80, 0x02, 0x00]), 0x1000n);
    m.load(assemble(`${TRAP_PRELUDE}
    main:
      la t0, back
      li t1, 0x1000
      jr t1
    back:
      mv s2, a0
      li t1, 0x1000
      lw s3, 0(t1)
      sw s3, 0(t1)
      j .`));
    const h = m.harts[0];
    h.runToExit();
    expect(h.x(18)).toBe(42n);
    expect(h.x(19)).toBe(0x02a00513n);
    expect(h.x(11)).toBe(7n);
  });
  it('fetch from an unmapped physical address: instruction access fault', () => {
    const m = new Machine();
    m.load(assemble(`${TRAP_PRELUDE}
    main:
      li t1, 0x30000000
      jr t1`));
    const h = m.harts[0];
    h.runToExit();
    expect(h.x(11)).toBe(1n);
    expect(h.x(12)).toBe(0x30000000n);
  });
  it('PMP: S-mode access outside the granted NAPOT/TOR regions is an access fault', () => {
    const m = new Machine();
    m.load(assemble(`${TRAP_PRELUDE}
    main:
      # entry 0: TOR [0, 0x80100000) RWX ; entry 1: NAPOT 0x80100000/1MiB R only (HTIF page inside) — rest denied
      li t0, 0x80100000 >> 2
      csrw pmpaddr0, t0
      li t0, (0x80100000 >> 2) | ((0x100000 >> 3) - 1)
      csrw pmpaddr1, t0
      li t0, (0x0f << 0) | (0x19 << 8)
      csrw pmpcfg0, t0
      ${enterMode('s', 1)}
    s:
      li t1, 0x80001000
      ld s2, 0(t1)        # allowed by entry 0
      li t1, 0x80180000
      ld s3, 0(t1)        # allowed (R) by entry 1
      sd s3, 0(t1)        # denied: store access fault
      j .`));
    const h = m.harts[0];
    h.runToExit();
    expect(h.x(11)).toBe(7n);
    expect(h.x(12)).toBe(0x80180000n);
  });
});
