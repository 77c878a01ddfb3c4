import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FdtNode, parseFdt, propCells, propStrings, writeFdt } from '../../src/devices/fdt.ts';
import { FW_JUMP_FDT_ADDR, MAX_FDT_SIZE, buildDeviceTree, fdtAddress, initrdAddress, kernelImageSize, planBoot } from '../../src/machine/devicetree.ts';
import { MiB } from '../../src/machine/layout.ts';
import { makeConfig } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'amber-dt-'));

function hasTool(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Decompile with dtc; returns stdout and stderr (warnings). */
function dtc(blob: Uint8Array): { dts: string; warnings: string } {
  const file = join(dir, `t${Math.random().toString(36).slice(2)}.dtb`);
  writeFileSync(file, blob);
  const r = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dtc failed: ${r.stderr}`);
  return { dts: r.stdout, warnings: r.stderr };
}

describe('FDT writer', () => {
  it('round-trips nodes, properties, reservations and the header through its own parser', () => {
    const root = new FdtNode('');
    root.u32('#address-cells', 2).string('compatible', 'a,b', 'c');
    const child = root.child('dev@1000');
    child.u64('reg', 0x1000, 0x1_0000_0000).empty('flag').bytes('raw', Uint8Array.of(1, 2, 3));
    child.child('leaf').string('compatible', 'a,b'); // same name: one entry in the strings block
    const blob = writeFdt(root, { reservations: [{ address: 0x8000_0000, size: 0x20_0000 }], bootCpuId: 3 });

    const view = new DataView(blob.buffer);
    expect(view.getUint32(0)).toBe(0xd00dfeed);
    expect(view.getUint32(4)).toBe(blob.length);
    expect(view.getUint32(20)).toBe(17);
    expect(view.getUint32(24)).toBe(16);

    const parsed = parseFdt(blob);
    expect(parsed.version).toBe(17);
    expect(parsed.bootCpuId).toBe(3);
    expect(parsed.reservations).toEqual([{ address: 0x8000_0000, size: 0x20_0000 }]);
    const dev = parsed.root.find('dev@1000')!;
    expect(propCells(dev.prop('reg')!)).toEqual([0, 0x1000, 1, 0]);
    expect(dev.prop('flag')!.value.length).toBe(0);
    expect([...dev.prop('raw')!.value]).toEqual([1, 2, 3]);
    expect(propStrings(parsed.root.prop('compatible')!)).toEqual(['a,b', 'c']);
    expect(propStrings(parsed.root.find('dev@1000/leaf')!.prop('compatible')!)).toEqual(['a,b']);
    // Property names are deduplicated in the strings block.
    const stringsSize = view.getUint32(32);
    const strings = new TextDecoder().decode(blob.subarray(view.getUint32(12), view.getUint32(12) + stringsSize));
    expect(strings.split('\0').filter((s) => s === 'compatible')).toHaveLength(1);
  });

  it('rejects malformed blobs', () => {
    const blob = writeFdt(new FdtNode(''));
    const bad = blob.slice();
    bad[0] = 0;
    expect(() => parseFdt(bad)).toThrow(/magic/);
    expect(() => parseFdt(blob.subarray(0, blob.length - 8))).toThrow();
    expect(() => new FdtNode('x').u32('a', 1).u32('a', 2)).toThrow(/duplicate/);
  });

  it.skipIf(!hasTool('dtc'))('produces blobs dtc decompiles and recompiles to the same bytes', () => {
    const root = new FdtNode('');
    root.u32('#address-cells', 2).u32('#size-cells', 2);
    root.child('chosen').string('bootargs', 'console=ttyS0');
    const blob = writeFdt(root);
    const { dts, warnings } = dtc(blob);
    expect(warnings).toBe('');
    const src = join(dir, 'rt.dts');
    writeFileSync(src, dts);
    const again = execFileSync('dtc', ['-I', 'dts', '-O', 'dtb', src]);
    expect(parseFdt(new Uint8Array(again)).root).toEqual(parseFdt(blob).root);
  });
});

describe('virt device tree', () => {
  for (const harts of [1, 2, 4, 8]) {
    it(`has the nodes OpenSBI and Linux read, for ${harts} hart(s)`, () => {
      const blob = buildDeviceTree(makeConfig(harts, 256), { initrdStart: 0x8820_0000, initrdEnd: 0x8860_0000 });
      const { root } = parseFdt(blob);
      const str = (path: string, prop: string) => propStrings(root.find(path)!.prop(prop)!);
      const cells = (path: string, prop: string) => propCells(root.find(path)!.prop(prop)!);

      expect(cells('', '#address-cells')).toEqual([2]);
      expect(str('', 'compatible')).toEqual(['riscv-virtio']);
      expect(cells('memory@80000000', 'reg')).toEqual([0, 0x8000_0000, 0, 256 * MiB]);
      expect(str('chosen', 'stdout-path')).toEqual(['/soc/serial@10000000']);
      expect(str('chosen', 'bootargs')).toEqual(['console=ttyS0 earlycon']);
      expect(cells('chosen', 'linux,initrd-start')).toEqual([0, 0x8820_0000]);
      expect(cells('chosen', 'linux,initrd-end')).toEqual([0, 0x8860_0000]);
      expect(str('aliases', 'serial0')).toEqual(['/soc/serial@10000000']);
      expect(cells('cpus', 'timebase-frequency')).toEqual([10_000_000]);

      const cpus = root.find('cpus')!.children.filter((c) => c.name.startsWith('cpu@'));
      expect(cpus.map((c) => c.name)).toEqual(Array.from({ length: harts }, (_, i) => `cpu@${i}`));
      const intc: number[] = [];
      for (const [h, cpu] of cpus.entries()) {
        expect(propCells(cpu.prop('reg')!)).toEqual([h]);
        expect(propStrings(cpu.prop('riscv,isa')!)).toEqual(['rv64imafdc_zicsr_zifencei']);
        expect(propStrings(cpu.prop('riscv,isa-base')!)).toEqual(['rv64i']);
        expect(propStrings(cpu.prop('riscv,isa-extensions')!)).toEqual(['i', 'm', 'a', 'f', 'd', 'c', 'zicsr', 'zifencei']);
        expect(propStrings(cpu.prop('status')!)).toEqual(['okay']);
        const ic = cpu.find('interrupt-controller')!;
        expect(propStrings(ic.prop('compatible')!)).toEqual(['riscv,cpu-intc']);
        intc.push(propCells(ic.prop('phandle')!)[0]);
        const core = root.find(`cpus/cpu-map/cluster0/core${h}`)!;
        expect(propCells(core.prop('cpu')!)).toEqual(propCells(cpu.prop('phandle')!));
      }

      const plic = root.find('soc/plic@c000000')!;
      expect(propStrings(plic.prop('compatible')!)).toEqual(['sifive,plic-1.0.0', 'riscv,plic0']);
      expect(propCells(plic.prop('riscv,ndev')!)).toEqual([95]);
      expect(propCells(plic.prop('interrupts-extended')!)).toEqual(intc.flatMap((p) => [p, 11, p, 9]));
      const plicPhandle = propCells(plic.prop('phandle')!)[0];
      expect(propCells(root.find('soc/clint@2000000')!.prop('interrupts-extended')!)).toEqual(intc.flatMap((p) => [p, 3, p, 7]));

      expect(str('soc/serial@10000000', 'compatible')).toEqual(['ns16550a']);
      expect(cells('soc/serial@10000000', 'clock-frequency')).toEqual([3_686_400]);
      expect(cells('soc/serial@10000000', 'interrupts')).toEqual([10]);
      expect(cells('soc/serial@10000000', 'interrupt-parent')).toEqual([plicPhandle]);
      expect(str('soc/rtc@101000', 'compatible')).toEqual(['google,goldfish-rtc']);
      expect(cells('soc/rtc@101000', 'interrupts')).toEqual([11]);
      for (let i = 0; i < 8; i++) {
        const n = `soc/virtio_mmio@${(0x1000_1000 + i * 0x1000).toString(16)}`;
        expect(cells(n, 'interrupts')).toEqual([i + 1]);
        expect(cells(n, 'reg')).toEqual([0, 0x1000_1000 + i * 0x1000, 0, 0x1000]);
        expect(str(n, 'compatible')).toEqual(['virtio,mmio']);
      }
      const test = root.find('soc/test@100000')!;
      expect(propStrings(test.prop('compatible')!)).toEqual(['sifive,test1', 'sifive,test0', 'syscon']);
      const testPhandle = propCells(test.prop('phandle')!)[0];
      expect(cells('poweroff', 'regmap')).toEqual([testPhandle]);
      expect(cells('poweroff', 'value')).toEqual([0x5555]);
      expect(cells('reboot', 'value')).toEqual([0x7777]);

      // Phandles are unique.
      const all: number[] = [];
      const walk = (n: FdtNode) => {
        const p = n.prop('phandle');
        if (p) all.push(propCells(p)[0]);
        n.children.forEach(walk);
      };
      walk(root);
      expect(new Set(all).size).toBe(all.length);
    });

    it.skipIf(!hasTool('dtc'))(`decompiles cleanly with dtc for ${harts} hart(s)`, () => {
      const { dts, warnings } = dtc(buildDeviceTree(makeConfig(harts, 128)));
      expect(warnings).toBe('');
      expect(dts).toContain(`cpu@${harts - 1} {`);
      expect(dts).not.toContain(`cpu@${harts} {`);
      expect(dts).toContain('compatible = "sifive,plic-1.0.0\\0riscv,plic0";');
      expect(dts).toContain('riscv,isa-extensions = "i\\0m\\0a\\0f\\0d\\0c\\0zicsr\\0zifencei";');
      expect(dts).toContain('stdout-path = "/soc/serial@10000000";');
      expect(dts).toContain('reg = <0x00 0x80000000 0x00 0x8000000>;');
      expect(dts).not.toContain('linux,initrd-start');
    });
  }

  it('omits bootargs for bare-metal ELF boots and carries an rng-seed when given', () => {
    const config = makeConfig(1, 64, { boot: { kind: 'elf', elf: { name: 't.elf', sha256: '', size: 0 } } });
    const { root } = parseFdt(buildDeviceTree(config, { rngSeed: new Uint8Array(32).fill(7) }));
    expect(root.find('chosen')!.prop('bootargs')).toBeUndefined();
    expect([...root.find('chosen')!.prop('rng-seed')!.value]).toEqual(new Array(32).fill(7));
  });

  // Compare with QEMU's own tree property by property, for what both have.
  it.skipIf(!hasTool('qemu-system-riscv64'))('matches qemu-system-riscv64 -M virt where both have a node, for 1, 2, 4 and 8 harts', () => {
    for (const [harts, mib] of [[1, 64], [2, 256], [4, 512], [8, 1024]]) compareWithQemu(harts, mib);
  });

  function compareWithQemu(harts: number, mib: number): void {
    const qemuFile = join(dir, `qemu${harts}.dtb`);
    spawnSync('qemu-system-riscv64', ['-M', `virt,dumpdtb=${qemuFile}`, '-smp', String(harts), '-m', `${mib}M`, '-nographic'], { stdio: 'ignore' });
    const qemu = parseFdt(new Uint8Array(readFileSync(qemuFile))).root;
    const ours = parseFdt(buildDeviceTree(makeConfig(harts, mib))).root;
    // Properties that legitimately differ (phandle numbering, ISA, see devicetree.ts).
    const differ = new Set(['phandle', 'regmap', 'interrupt-parent', 'interrupts-extended', 'cpu', 'riscv,isa', 'mmu-type', 'riscv,ndev', 'rng-seed']);
    const compared: string[] = [];
    const walk = (q: FdtNode, o: FdtNode, path: string) => {
      for (const p of q.props) {
        if (differ.has(p.name)) continue;
        const mine = o.prop(p.name);
        expect(mine, `${path}/${p.name}`).toBeDefined();
        expect([...mine!.value], `${path}/${p.name}`).toEqual([...p.value]);
        compared.push(`${path}/${p.name}`);
      }
      for (const qc of q.children) {
        const oc = o.children.find((c) => c.name === qc.name);
        if (oc) walk(qc, oc, `${path}/${qc.name}`);
      }
    };
    walk(qemu, ours, '');
    expect(compared.length).toBeGreaterThan(50 + 7 * harts);
    for (const node of [`cpus/cpu@${harts - 1}/interrupt-controller`, `cpus/cpu-map/cluster0/core${harts - 1}`, 'soc/plic@c000000', 'soc/virtio_mmio@10008000', 'soc/rtc@101000', 'poweroff', 'reboot']) {
      expect(ours.find(node), node).toBeDefined();
      expect(qemu.find(node), node).toBeDefined();
    }
    // The PLIC and CLINT contexts name the same harts in the same order as QEMU's.
    const intcHart = (root: FdtNode) => new Map(Array.from({ length: harts }, (_, h) =>
      [propCells(root.find(`cpus/cpu@${h}/interrupt-controller`)!.prop('phandle')!)[0], h]));
    for (const node of ['soc/plic@c000000', 'soc/clint@2000000']) {
      const map = (root: FdtNode) => {
        const cells = propCells(root.find(node)!.prop('interrupts-extended')!);
        const hartOf = intcHart(root);
        return cells.map((c, i) => (i % 2 === 0 ? hartOf.get(c) : c));
      };
      expect(map(ours), node).toEqual(map(qemu));
    }
  }
});

describe('placement in RAM', () => {
  it('puts the DTB at the top of RAM aligned down to 2 MiB, as QEMU', () => {
    expect(fdtAddress(256 * MiB)).toBe(0x8fe0_0000);
    expect(fdtAddress(128 * MiB)).toBe(0x87e0_0000);
    expect(fdtAddress(256 * MiB, 4096)).toBe(0x8fe0_0000);
    expect(fdtAddress(1024 * MiB)).toBe(0xbfe0_0000);
    expect(fdtAddress(255 * MiB)).toBe(0x8fe0_0000); // end 0x8ff00000: the 2 MiB below it
  });

  it('puts the initrd at kernel entry + min(RAM/2, 128 MiB), as QEMU', () => {
    expect(initrdAddress(256 * MiB, 0x8100_0000)).toBe(0x8820_0000);
    expect(initrdAddress(1024 * MiB, 0x8100_0000)).toBe(0x8820_0000);
    expect(initrdAddress(128 * MiB, 0x8100_0000)).toBe(0x8420_0000);
    // A kernel larger than the gap pushes it to the next 2 MiB boundary after the kernel.
    expect(initrdAddress(32 * MiB, 0x8150_0000)).toBe(0x8160_0000);
    // QEMU's 64 MiB placement (0x82200000) is where fw_jump copies the DTB: move above it.
    expect(initrdAddress(64 * MiB, 0x8100_0000, 1 * MiB)).toBe(0x8240_0000);
    // An initrd that would run from below into that window moves too.
    expect(initrdAddress(48 * MiB, 0x8100_0000, 9 * MiB)).toBe(0x8240_0000);
    expect(initrdAddress(48 * MiB, 0x8100_0000, 8 * MiB)).toBe(0x81a0_0000); // ends exactly at the window
    expect(initrdAddress(48 * MiB, 0x8100_0000, 1 * MiB)).toBe(0x81a0_0000);
  });

  it('plans a whole boot and refuses layouts that overlap', () => {
    expect(planBoot(256 * MiB, 4 * MiB, 1 * MiB, 4096)).toEqual({
      kernel: 0x8020_0000, initrd: { start: 0x8820_0000, end: 0x8830_0000 }, fdt: 0x8fe0_0000,
    });
    expect(planBoot(256 * MiB, 4 * MiB, undefined, 4096)).toEqual({ kernel: 0x8020_0000, fdt: 0x8fe0_0000 });
    expect(() => planBoot(256 * MiB, 33 * MiB, undefined, 4096)).toThrow(/fw_jump/);
    expect(() => planBoot(32 * MiB, 4 * MiB, undefined, 4096)).toThrow(/RAM/);
    expect(() => planBoot(64 * MiB, 4 * MiB, 30 * MiB, 4096)).toThrow(/initrd/);
  });

  it('reads the kernel size with bss from the Image header', () => {
    const img = new Uint8Array(4096);
    const v = new DataView(img.buffer);
    expect(kernelImageSize(img)).toBe(4096); // no header magic
    v.setUint32(56, 0x0543_5352, true); // 'RSC\x05'
    v.setBigUint64(16, 0x3f_b580n, true);
    expect(kernelImageSize(img)).toBe(0x3f_b580);
    // The DTB may be planned at its maximum size: the address is the same.
    expect(planBoot(256 * MiB, 0x3f_b580, 1_000_000, MAX_FDT_SIZE).fdt).toBe(fdtAddress(256 * MiB, 8192));
  });

  it('knows where Debian fw_jump copies the DTB', () => {
    expect(FW_JUMP_FDT_ADDR).toBe(0x8220_0000);
  });
});
