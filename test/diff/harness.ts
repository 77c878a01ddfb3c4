// Harness around a generated body: one shared template, two prologues/epilogues
// (Linux user program for qemu-riscv64, bare-metal M-mode program for Amber per
// docs/CONTRACTS.md), build with riscv64-linux-gnu-gcc, run, parse and compare dumps.
//
// Both programs use the same linker script, so the body (section .diffbody at 0x80010000)
// and the data (dump area, scratch buffer, initial state at DATA_ADDR) live at
// identical addresses (data at 0x80100000): AUIPC/JAL results and the scratch base are the same on both.

import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ACC_OFFSET, BASE_REG, SCRATCH_BYTES, bodyText, hex64, xname, type Item, type Program } from './gen.ts';

export type { Item, Program };

const execFileP = promisify(execFile);

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BUILD_DIR = join(REPO_ROOT, 'build/diff');
export const CC = process.env.RISCV_CC ?? 'riscv64-linux-gnu-gcc';
export const QEMU = process.env.QEMU_RISCV64 ?? 'qemu-riscv64';
export const QEMU_SYSTEM = process.env.QEMU_SYSTEM_RISCV64 ?? 'qemu-system-riscv64';

export type Target = 'linux' | 'bare';

export interface HarnessOptions {
  /** deliberate harness bug for self-testing the comparator: flip bit 0 of the dumped t0 (x5) */
  inject?: boolean;
  /** simulated core bug for self-testing the shrinker: in the bare target, mnemonic `from` becomes `to` */
  mutate?: { from: string; to: string };
}

export const LINKER_SCRIPT = `OUTPUT_ARCH(riscv)
ENTRY(_start)
SECTIONS
{
  . = 0x80000000;
  .text : { *(.text.start) *(.text) }
  . = 0x80010000;
  .diffbody : { *(.diffbody) }
  . = 0x80100000;
  .data : { *(.data.diff) *(.data .data.* .sdata .sdata.* .rodata .rodata.* .bss .bss.* .sbss .sbss.* COMMON) }
  . = ALIGN(0x1000);
  .tohost : { *(.tohost) }
  /DISCARD/ : { *(.riscv.attributes) *(.note.*) *(.comment) }
}
`;

/** names printed for the dump words; the scratch buffer follows as rows of 8 words */
export const DUMP_NAMES: string[] = [
  'acc', // running accumulator of observed intermediate results (gen.ts ACC_OFFSET)
  ...Array.from({ length: 31 }, (_, i) => `x${i + 1}`),
  ...Array.from({ length: 32 }, (_, i) => `f${i}`),
  'fcsr',
];
const MEM_ROWS = SCRATCH_BYTES / 64;

function nameTable(entries: [string, number][]): string {
  // 8-byte entries: NUL-padded "name=" (<= 6 chars) at bytes 0..6, word count at byte 7
  return entries
    .map(([n, c]) => {
      const s = n + '=';
      if (s.length > 6) throw new Error('name too long');
      const bytes = [...s].map((ch) => ch.charCodeAt(0));
      while (bytes.length < 7) bytes.push(0);
      bytes.push(c);
      return `  .byte ${bytes.join(',')}`;
    })
    .join('\n');
}

const dwords = (vs: bigint[]) => vs.map((v) => `  .dword 0x${hex64(v)}`).join('\n');

/** one seeded program inside a (possibly multi-chunk) test binary */
export interface Chunk {
  p: Program;
  /** subset of p.items (shrinking); default all */
  items?: Item[];
}

const renameLabels = (text: string, c: number) => text.replace(/\.L([fp]\d+)/g, `.L$1_c${c}`);

/** full assembly source for one target: the chunks run one after the other, each from its own
 *  freshly loaded state, and each appends its dump (headed by `c=<seed>`) to one output text */
export function renderProgram(chunks: Chunk[], target: Target, opts: HarnessOptions = {}): string {
  const base = xname(BASE_REG);
  const dumpOff = -SCRATCH_BYTES; // register dump sits right below the scratch buffer
  const xOff = (i: number) => dumpOff + (i - 1) * 8;
  const fOff = (i: number) => dumpOff + 31 * 8 + i * 8;
  const fcsrOff = dumpOff + 63 * 8;
  const loadX = [1, 3, 4, 6, 7, ...Array.from({ length: 23 }, (_, i) => i + 9), 5]
    .map((i) => `  ld ${xname(i)}, ${i * 8}(t0)`).join('\n');
  const loadF = Array.from({ length: 32 }, (_, i) => `  fld f${i}, ${i * 8}(t0)`).join('\n');
  const storeX = Array.from({ length: 31 }, (_, i) => `  sd x${i + 1}, ${xOff(i + 1)}(${base})`).join('\n');
  const storeF = Array.from({ length: 32 }, (_, i) => `  fsd f${i}, ${fOff(i)}(${base})`).join('\n');
  const inject = opts.inject && target === 'bare'
    ? `  ld t0, ${xOff(5)}(${base})   # INJECTED harness bug (self-test)
  xori t0, t0, 1
  sd t0, ${xOff(5)}(${base})`
    : '';
  const mut = opts.mutate;

  const text: string[] = [];
  const bodies: string[] = [];
  const data: string[] = [];
  chunks.forEach(({ p, items = p.items }, c) => {
    if (mut && target === 'bare') {
      items = items.map((it) => ({ ...it, lines: it.lines.map((l) => (l.split(' ')[0] === mut.from ? mut.to + l.slice(mut.from.length) : l)) }));
    }
    const scratchWords: bigint[] = [];
    const dv = new DataView(p.scratch.buffer, p.scratch.byteOffset, p.scratch.byteLength);
    for (let o = 0; o < SCRATCH_BYTES; o += 8) scratchWords.push(dv.getBigUint64(o, true));
    text.push(`# ---- chunk ${c}: seed ${p.seed}, groups ${p.groups.join(',')}
  la ${base}, scratch_${c}
  mv sp, ${base}
  la t0, init_fcsr_${c}
  ld t1, 0(t0)
  fscsr t1
  la t0, init_f_${c}
${loadF}
  la t0, init_x_${c}
${loadX}
  j body_${c}
done_${c}:
${storeX}
${storeF}
  frcsr t0
  sd t0, ${fcsrOff}(${base})
${inject}
  la s1, names
  la s2, dump_${c}
  li s4, ${1 + DUMP_NAMES.length + MEM_ROWS}
  jal ra, format
`);
    bodies.push(`  .option ${p.rvc ? 'rvc' : 'norvc'}
body_${c}:
${renameLabels(bodyText(items), c)}
  .option norvc
  j done_${c}
`);
    data.push(`  .balign 64
dump_${c}:
  .dword ${p.seed}
  .dword 0               # acc, at s0${ACC_OFFSET}
  .zero ${SCRATCH_BYTES}
scratch_${c}:
${dwords(scratchWords)}
init_x_${c}:
${dwords(p.initX)}
init_f_${c}:
${dwords(p.initF)}
init_fcsr_${c}:
  .dword ${p.initFcsr}
`);
  });

  const pre = target === 'bare'
    ? `  la t0, trap_handler
  csrw mtvec, t0
  li t0, 0x6000          # mstatus.FS = dirty
  csrs mstatus, t0
  csrwi mie, 0`
    : `  # Linux user mode: nothing to set up`;

  const emit = target === 'bare'
    ? `# a0 = text, a1 = length, s6 = exit code: HTIF putchar loop, then HTIF exit
emit:
  add a1, a1, a0
  li t1, 0x0101000000000000
  la t2, tohost
  la t3, fromhost
1:
  bgeu a0, a1, 3f
  lbu t0, 0(a0)
  or t0, t0, t1
  sd t0, 0(t2)
2:
  ld t4, 0(t3)
  beqz t4, 2b
  sd zero, 0(t3)
  addi a0, a0, 1
  j 1b
3:
  slli t0, s6, 1
  ori t0, t0, 1
  sd t0, 0(t2)
4:
  j 4b

  .balign 4
trap_handler:
  la t0, trapinfo
  csrr t1, mcause
  sd t1, 0(t0)
  csrr t1, mepc
  sd t1, 8(t0)
  csrr t1, mtval
  sd t1, 16(t0)
  la s1, trapnames
  la s2, trapinfo
  li s4, 3
  jal ra, format
  la a0, outbuf
  la t0, outcur
  ld a1, 0(t0)
  sub a1, a1, a0
  li s6, 3
  j emit

  .section .tohost, "aw", @progbits
  .balign 64
  .globl tohost
  .type tohost, @object
  .size tohost, 8
tohost: .dword 0
  .balign 64
  .globl fromhost
  .type fromhost, @object
  .size fromhost, 8
fromhost: .dword 0
`
    : `# a0 = text, a1 = length, s6 = exit code
emit:
  mv a2, a1
  mv a1, a0
  li a0, 1
  li a7, 64              # write
  ecall
  mv a0, s6
  li a7, 93              # exit
  ecall
`;

  return `# generated by test/diff — seeds ${chunks.map((c) => c.p.seed).join(',')}, target ${target}
  .option norelax
  .option norvc
  .section .text.start, "ax", @progbits
  .globl _start
_start:
${pre}
${text.join('\n')}
  la a0, outbuf
  la t0, outcur
  ld a1, 0(t0)
  sub a1, a1, a0
  li s6, 0
  j emit

# format: s1 = name table, s2 = words, s4 = entries; appends at outcur
format:
  la t6, outcur
  ld s3, 0(t6)
1:
  mv t0, s1
2:
  lbu t1, 0(t0)
  beqz t1, 3f
  sb t1, 0(s3)
  addi s3, s3, 1
  addi t0, t0, 1
  j 2b
3:
  lbu s5, 7(s1)
4:
  ld t2, 0(s2)
  addi s2, s2, 8
  li t3, 60
5:
  srl t4, t2, t3
  andi t4, t4, 15
  addi t4, t4, 48
  li t5, 58
  blt t4, t5, 6f
  addi t4, t4, 39
6:
  sb t4, 0(s3)
  addi s3, s3, 1
  addi t3, t3, -4
  bgez t3, 5b
  addi s5, s5, -1
  bnez s5, 4b
  li t1, 10
  sb t1, 0(s3)
  addi s3, s3, 1
  addi s1, s1, 8
  addi s4, s4, -1
  bnez s4, 1b
  sd s3, 0(t6)
  ret

${emit}
  .section .diffbody, "ax", @progbits
${bodies.join('\n')}

  .section .data.diff, "aw", @progbits
${data.join('\n')}
names:
${nameTable([['c', 1], ...DUMP_NAMES.map((n): [string, number] => [n, 1]), ...Array.from({ length: MEM_ROWS }, (_, i): [string, number] => [`m${i}`, 8])])}
trapnames:
${nameTable([['cause', 1], ['epc', 1], ['tval', 1]])}
  .balign 8
trapinfo:
  .zero 24
outcur:
  .dword outbuf
outbuf:
  .zero ${chunks.length * 2600 + 200}
`;
}

let ldsWritten = false;
function linkerScript(): string {
  const path = join(BUILD_DIR, 'diff.ld');
  if (!ldsWritten) {
    mkdirSync(BUILD_DIR, { recursive: true });
    writeFileSync(path, LINKER_SCRIPT);
    ldsWritten = true;
  }
  return path;
}

/** assemble + link one target; returns the ELF path */
export async function buildTarget(chunks: Chunk[], target: Target, name: string, opts: HarnessOptions = {}): Promise<string> {
  const lds = linkerScript();
  const src = join(BUILD_DIR, `${name}.${target}.s`);
  const elf = join(BUILD_DIR, `${name}.${target}.elf`);
  writeFileSync(src, renderProgram(chunks, target, opts));
  try {
    await execFileP(CC, ['-march=rv64gc', '-mabi=lp64d', '-nostdlib', '-static', '-Wl,--no-relax', '-Wl,--build-id=none',
      '-T', lds, src, '-o', elf]);
  } catch (e) {
    const err = e as { stderr?: string };
    throw new Error(`build of ${src} failed:\n${err.stderr ?? String(e)}`);
  }
  return elf;
}

export interface RunResult {
  /** exit code; null when killed by a signal / timed out */
  code: number | null;
  output: string;
  /** extra diagnostics (signal, stderr, trap) */
  note: string;
}

function runProc(cmd: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolveP) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.on('error', (e) => (err += String(e)));
    let out = '';
    let err = '';
    child.stdout.setEncoding('latin1').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('latin1').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveP({ code, output: out, note: [signal ? `signal ${signal}` : '', err.trim()].filter(Boolean).join('; ') });
    });
  });
}

export function runQemuUser(elf: string, timeoutMs = 10000): Promise<RunResult> {
  return runProc(QEMU, [elf], timeoutMs);
}

/** second oracle for the bare-metal harness itself: QEMU's spike machine speaks HTIF through tohost/fromhost */
export async function runQemuSpike(elf: string, timeoutMs = 10000): Promise<RunResult> {
  // serial to a file: QEMU drops console bytes when a stdio pipe is momentarily full
  const out = elf + '.spike.out';
  const r = await runProc(QEMU_SYSTEM, ['-M', 'spike', '-m', '64M', '-bios', 'none', '-kernel', elf, '-display', 'none',
    '-monitor', 'none', '-serial', `file:${out}`, '-nodefaults'], timeoutMs);
  r.output = existsSync(out) ? readFileSync(out, 'latin1') : '';
  return r;
}

export const ELF_RUNNER_PATH = join(REPO_ROOT, 'src/machine/elf-runner.ts');
export const haveElfRunner = () => existsSync(ELF_RUNNER_PATH);

type RunElf = (path: string, opts?: { harts?: number; maxInstructions?: number; timeoutMs?: number }) =>
  Promise<{ exitCode: number; console: string; instructions: bigint; timedOut: boolean }>;
let runElfP: Promise<RunElf> | null = null;
export function loadRunElf(): Promise<RunElf> {
  runElfP ??= import('../../src/machine/elf-runner' as string).then((m: { runElf: RunElf }) => m.runElf);
  return runElfP;
}

export async function runAmber(elf: string, maxInstructions = 20_000_000): Promise<RunResult> {
  const runElf = await loadRunElf();
  try {
    const r = await runElf(elf, { maxInstructions, timeoutMs: 30_000 });
    return { code: r.timedOut ? null : r.exitCode, output: r.console, note: r.timedOut ? `timed out after ${r.instructions} instructions` : '' };
  } catch (e) {
    return { code: null, output: '', note: `runElf threw: ${(e as Error).stack ?? String(e)}` };
  }
}

// ---------------------------------------------------------------- dumps
export type Dump = Map<string, string>;

export function parseDump(text: string): Dump {
  const m: Dump = new Map();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return m;
}

/** split a multi-chunk output into per-seed dumps (keyed by seed); trap lines go to `trap` */
export function parseChunks(text: string): { dumps: Map<number, Dump>; trap: string } {
  const dumps = new Map<number, Dump>();
  let cur: Dump | null = null;
  let trap = '';
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i <= 0) continue;
    const k = line.slice(0, i);
    const v = line.slice(i + 1).trim();
    if (k === 'c') {
      cur = new Map();
      dumps.set(Number.parseInt(v, 16), cur);
    } else if (k === 'cause' || k === 'epc' || k === 'tval') {
      trap += `${k}=${v} `;
    } else cur?.set(k, v);
  }
  return { dumps, trap: trap.trim() };
}

/** expected key order: registers, fcsr, memory rows */
export const DUMP_KEYS = [...DUMP_NAMES, ...Array.from({ length: MEM_ROWS }, (_, i) => `m${i}`)];

export interface Difference {
  key: string;
  ref: string | undefined;
  dut: string | undefined;
}

export function compareDumps(ref: Dump, dut: Dump): Difference[] {
  const keys = new Set([...DUMP_KEYS, ...ref.keys(), ...dut.keys()]);
  const out: Difference[] = [];
  for (const k of keys) if (ref.get(k) !== dut.get(k)) out.push({ key: k, ref: ref.get(k), dut: dut.get(k) });
  // the accumulator and its two scratch registers (t5/t6) only say "some intermediate result
  // differed": list them last
  const late = (k: string) => k === 'acc' || k === 'x30' || k === 'x31';
  return [...out.filter((d) => !late(d.key)), ...out.filter((d) => late(d.key))];
}

/** a well-formed dump (all keys present with the right width) */
export function dumpComplete(d: Dump): boolean {
  return DUMP_KEYS.every((k) => {
    const v = d.get(k);
    return v !== undefined && /^[0-9a-f]+$/.test(v) && v.length === (k.startsWith('m') ? 128 : 16);
  });
}

/** one line per difference; a memory row is narrowed down to its first differing word */
export function formatDiff(d: Difference, dutName = 'amber'): string {
  const m = /^m(\d+)$/.exec(d.key);
  if (m && d.ref && d.dut && d.ref.length === 128 && d.dut.length === 128) {
    for (let w = 0; w < 8; w++) {
      const a = d.ref.slice(w * 16, w * 16 + 16);
      const b = d.dut.slice(w * 16, w * 16 + 16);
      if (a !== b) {
        const off = (Number(m[1]) * 8 + w) * 8;
        return `${d.key} word ${w} (scratch+0x${off.toString(16)}, u64 LE): qemu ${a}  ${dutName} ${b}`;
      }
    }
  }
  return `${d.key}: qemu ${describe(d.key, d.ref)}  ${dutName} ${describe(d.key, d.dut)}`;
}

/** human-friendly interpretation of a 64-bit register value */
export function describe(key: string, v: string | undefined): string {
  if (v === undefined) return '<missing>';
  if (!/^[0-9a-f]{16}$/.test(v)) return v.length > 40 ? v.slice(0, 40) + '…' : v;
  const b = BigInt('0x' + v);
  if (key.startsWith('f') && key !== 'fcsr') {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setBigUint64(0, b, true);
    const hi = Number(b >> 32n) >>> 0;
    const single = hi === 0xffffffff ? ` single=${dv.getFloat32(0, true)}` : '';
    return `${v} (double=${dv.getFloat64(0, true)}${single})`;
  }
  if (key === 'fcsr') return `${v} (frm=${Number(b >> 5n) & 7} fflags=${(Number(b) & 31).toString(2).padStart(5, '0')} NV DZ OF UF NX)`;
  return `${v} (${BigInt.asIntN(64, b)})`;
}
