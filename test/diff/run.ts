// Differential runner: generate -> build (build/diff/) -> run on qemu-riscv64 and on the
// device under test (Amber via runElf, or QEMU's spike machine) -> compare -> shrink.
//
//   npx tsx test/diff/run.ts --seeds 1..200 --groups int,m,a,fd,c --length 300
//   npx tsx test/diff/run.ts --seeds 1..2000 --qemu-only          # generator self-check
//   npx tsx test/diff/run.ts --seeds 1..20 --inject               # comparator self-check (must fail)
//   npx tsx test/diff/run.ts --seeds 1..50 --dut spike            # validate the bare-metal harness on qemu-system
//   npx tsx test/diff/run.ts --seeds 1..5 --dut spike --mutate mulhsu=mulhu   # simulated core bug (shrinker self-check)
// See test/diff/README.md.

import { cpus } from 'node:os';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_GROUPS, bodyText, generate, hex64, parseGroups, pruneLabels, xname, type Group, type Item, type Program } from './gen.ts';
import {
  BUILD_DIR, buildTarget, compareDumps, dumpComplete, formatDiff, haveElfRunner, parseChunks, runAmber, runQemuSpike, runQemuUser,
  type Chunk, type Difference, type HarnessOptions, type RunResult,
} from './harness.ts';

export type Dut = 'amber' | 'spike';

export interface CheckResult {
  status: 'pass' | 'mismatch' | 'qemu-fail' | 'build-fail';
  diffs: Difference[];
  ref?: RunResult;
  dut?: RunResult;
  /** trap report of the bare-metal harness (cause/epc/tval), if the DUT trapped */
  trap?: string;
  message?: string;
}

export interface CheckOptions extends HarnessOptions {
  dut: Dut;
  qemuOnly?: boolean;
  keep?: boolean;
  maxInstructions?: number;
}

function runDut(dut: Dut, elf: string, maxInstructions?: number): Promise<RunResult> {
  return dut === 'amber' ? runAmber(elf, maxInstructions) : runQemuSpike(elf);
}

function cleanup(name: string) {
  for (const t of ['linux', 'bare']) for (const ext of ['s', 'elf', 'elf.spike.out']) rmSync(join(BUILD_DIR, `${name}.${t}.${ext}`), { force: true });
}

/**
 * Build one binary per target holding all `chunks` (each with its own state), run both, compare
 * per seed. When a multi-chunk binary goes wrong as a whole (a fault, a trap, a timeout), the
 * seeds without a verified result are re-checked one by one, so every result names one seed.
 */
export async function checkBatch(chunks: Chunk[], name: string, opts: CheckOptions): Promise<Map<number, CheckResult>> {
  const out = new Map<number, CheckResult>();
  const single = chunks.length === 1;
  const alone = async (rest: Chunk[]) => {
    for (const [i, c] of rest.entries()) {
      const r = await checkBatch([c], `${name}-s${i}`, opts);
      out.set(c.p.seed, r.get(c.p.seed)!);
    }
    return out;
  };
  let linux: string;
  let bare: string | undefined;
  try {
    [linux, bare] = await Promise.all([
      buildTarget(chunks, 'linux', name, opts),
      opts.qemuOnly ? Promise.resolve(undefined) : buildTarget(chunks, 'bare', name, opts),
    ]);
  } catch (e) {
    if (!single) return alone(chunks);
    out.set(chunks[0].p.seed, { status: 'build-fail', diffs: [], message: (e as Error).message });
    return out;
  }
  const ref = await runQemuUser(linux);
  const refDumps = parseChunks(ref.output).dumps;
  const refOk = ref.code === 0 && chunks.every((c) => dumpComplete(refDumps.get(c.p.seed) ?? new Map()));
  if (!refOk) {
    if (!single) return alone(chunks);
    out.set(chunks[0].p.seed, { status: 'qemu-fail', diffs: [], ref, message: `qemu-riscv64 exit ${ref.code} ${ref.note}` });
    return out;
  }
  if (opts.qemuOnly || !bare) {
    for (const c of chunks) out.set(c.p.seed, { status: 'pass', diffs: [], ref });
    if (!opts.keep) cleanup(name);
    return out;
  }
  const dut = await runDut(opts.dut, bare, opts.maxInstructions === undefined ? undefined : opts.maxInstructions * chunks.length);
  const { dumps, trap } = parseChunks(dut.output);
  const retry: Chunk[] = [];
  for (const c of chunks) {
    const seed = c.p.seed;
    const d = dumps.get(seed);
    const diffs = compareDumps(refDumps.get(seed)!, d ?? new Map());
    if (diffs.length === 0 && dut.code === 0) {
      out.set(seed, { status: 'pass', diffs, ref, dut });
    } else if (single || (d && dumpComplete(d) && diffs.length > 0)) {
      // a complete but different dump is a verdict on its own, even inside a batch
      if (diffs.length === 0) diffs.push({ key: 'exit', ref: '0', dut: String(dut.code) });
      out.set(seed, { status: 'mismatch', diffs, ref, dut, trap: trap || undefined });
    } else if (d && dumpComplete(d) && diffs.length === 0) {
      out.set(seed, { status: 'pass', diffs, ref, dut }); // the batch failed later, not here
    } else retry.push(c);
  }
  if (retry.length) await alone(retry);
  if (!opts.keep && [...out.values()].every((r) => r.status === 'pass')) cleanup(name);
  return out;
}

/** build + run one program (optionally with a subset of its items) and compare */
export async function check(p: Program, name: string, opts: CheckOptions, items: Item[] = p.items): Promise<CheckResult> {
  return (await checkBatch([{ p, items }], name, opts)).get(p.seed)!;
}

/** ddmin-style shrink: remove chunks of non-label items while a mismatch persists */
export async function shrink(p: Program, name: string, opts: CheckOptions, jobs: number, log: (s: string) => void = () => {}): Promise<{ items: Item[]; result: CheckResult; tries: number }> {
  const removable = p.items.map((it, i) => (it.label ? -1 : i)).filter((i) => i >= 0);
  const labels = new Set(p.items.map((it, i) => (it.label ? i : -1)).filter((i) => i >= 0));
  const build = (keep: number[]) => {
    const s = new Set(keep);
    return p.items.filter((_, i) => labels.has(i) || s.has(i));
  };
  let tries = 0;
  const fails = async (keep: number[], tag: string): Promise<CheckResult | null> => {
    tries++;
    const r = await check(p, `${name}-shrink-${tag}`, { ...opts, keep: false }, build(keep));
    return r.status === 'mismatch' ? r : null;
  };
  let cur = removable;
  let best = await check(p, `${name}-shrink-full`, { ...opts, keep: false }, build(cur));
  // try the empty body first (a harness-level difference shrinks to nothing)
  const empty = await fails([], 'empty');
  if (empty) return { items: build([]), result: empty, tries };
  let n = 2;
  while (cur.length >= 2) {
    const chunk = Math.ceil(cur.length / n);
    const cands: number[][] = [];
    for (let i = 0; i < cur.length; i += chunk) cands.push([...cur.slice(0, i), ...cur.slice(i + chunk)]);
    let found: { keep: number[]; r: CheckResult } | null = null;
    for (let b = 0; b < cands.length && !found; b += jobs) {
      const batch = cands.slice(b, b + jobs);
      const rs = await Promise.all(batch.map((c, j) => fails(c, `${b + j}`)));
      const k = rs.findIndex((r) => r !== null);
      if (k >= 0) found = { keep: batch[k], r: rs[k]! };
    }
    if (found) {
      cur = found.keep;
      best = found.r;
      n = Math.max(n - 1, 2);
      log(`  shrink: ${cur.length} instructions left`);
    } else {
      if (n >= cur.length) break;
      n = Math.min(n * 2, cur.length);
    }
  }
  if (cur.length === 1) {
    const r = await fails([], 'last');
    if (r) {
      cur = [];
      best = r;
    }
  }
  return { items: build(cur), result: best, tries };
}

/** registers mentioned by some asm text */
function mentionedRegs(text: string): { x: number[]; f: number[] } {
  const x = new Set<number>();
  const f = new Set<number>();
  for (let i = 0; i < 32; i++) {
    if (new RegExp(`\\b${xname(i)}\\b`).test(text)) x.add(i);
    if (new RegExp(`\\bf${i}\\b`).test(text)) f.add(i);
  }
  return { x: [...x], f: [...f] };
}

export function formatReport(p: Program, r: CheckResult, items: Item[] | null, dut: Dut): string {
  const lines: string[] = [];
  lines.push(`MISMATCH seed ${p.seed} (groups ${p.groups.join(',')}, ${p.items.filter((i) => !i.label).length} body items incl. observation)`);
  if (r.dut && r.dut.code !== 0) lines.push(`  ${dut} exit code ${r.dut.code} ${r.dut.note}${r.trap ? `\n  trap: ${r.trap}` : ''}`);
  const d0 = r.diffs[0];
  if (d0) lines.push(`  first difference: ${formatDiff(d0, dut)}`);
  for (const d of r.diffs.slice(1, 8)) lines.push(`                    ${formatDiff(d, dut)}`);
  if (r.diffs.length > 8) lines.push(`  (${r.diffs.length} differing entries in total)`);
  if (items) {
    const body = bodyText(pruneLabels(items));
    const regs = mentionedRegs(body);
    lines.push(`  minimized reproduction (${items.filter((i) => !i.label).length} items; rvc ${p.rvc ? 'on' : 'off'}; s0 = sp = scratch base):`);
    lines.push(
      `    initial: ${regs.x.filter((i) => i !== 0 && i !== 2 && i !== 8).map((i) => `${xname(i)}=0x${hex64(p.initX[i])}`).join(' ')}` +
      ` ${regs.f.map((i) => `f${i}=0x${hex64(p.initF[i])}`).join(' ')} fcsr=0x${p.initFcsr.toString(16)}`,
    );
    lines.push(body.split('\n').map((l) => '    ' + l.trim()).join('\n'));
    lines.push(`  (full state: npx tsx test/diff/gen.ts --seed ${p.seed} --groups ${p.groups.join(',')} --length <n>)`);
  }
  return lines.join('\n');
}

export function parseSeeds(s: string): number[] {
  const out: number[] = [];
  for (const part of s.split(',')) {
    const m = /^(\d+)(?:\.\.(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`bad seed spec ${part}`);
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : a;
    for (let i = a; i <= b; i++) out.push(i);
  }
  return out;
}

/** run `fn` over `xs` with at most `jobs` in flight */
export async function pool<T, R>(xs: T[], jobs: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(xs.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(jobs, xs.length) }, async () => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await fn(xs[i], i);
    }
  }));
  return out;
}

async function main() {
  const args = process.argv.slice(2);
  const flag = (k: string) => args.includes(k);
  const get = (k: string, d: string) => {
    const i = args.indexOf(k);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : d;
  };
  if (flag('--help') || flag('-h')) {
    console.log(`usage: npx tsx test/diff/run.ts [--seeds 1..200] [--groups ${ALL_GROUPS.join(',')}] [--length 300]
  [--qemu-only] [--dut amber|spike] [--inject] [--mutate FROM=TO] [--jobs N] [--no-shrink] [--shrink-max 3] [--max-fail 20] [--keep]
  [--chunk 16]
  [--max-instructions N]`);
    return;
  }
  const seeds = parseSeeds(get('--seeds', '1..200'));
  const groups: Group[] = parseGroups(get('--groups', ALL_GROUPS.join(',')));
  const length = Number(get('--length', '300'));
  const dut = get('--dut', 'amber') as Dut;
  const qemuOnly = flag('--qemu-only');
  const jobs = Number(get('--jobs', String(Math.max(2, cpus().length))));
  const shrinkMax = flag('--no-shrink') ? 0 : Number(get('--shrink-max', '3'));
  const maxFail = Number(get('--max-fail', '20'));
  const opts: CheckOptions = {
    dut, qemuOnly, inject: flag('--inject'), keep: flag('--keep'),
    mutate: args.includes('--mutate') ? (([from, to]) => ({ from, to }))(get('--mutate', '').split('=')) : undefined,
    maxInstructions: Number(get('--max-instructions', '20000000')),
  };
  if (!qemuOnly && dut === 'amber' && !haveElfRunner()) {
    console.error('src/machine/elf-runner.ts does not exist yet: use --qemu-only (or --dut spike)');
    process.exit(2);
  }
  const t0 = Date.now();
  let done = 0;
  let passed = 0;
  const failures: { p: Program; r: CheckResult }[] = [];
  let stop = false;
  const chunk = Math.max(1, Number(get('--chunk', '16')));
  const batches: number[][] = [];
  for (let i = 0; i < seeds.length; i += chunk) batches.push(seeds.slice(i, i + chunk));
  let lastReport = 0;
  await pool(batches, jobs, async (batch) => {
    if (stop) return;
    const progs = batch.map((seed) => generate(seed, groups, length));
    const rs = await checkBatch(progs.map((p) => ({ p })), `seed-${batch[0]}${batch.length > 1 ? `-${batch[batch.length - 1]}` : ''}`, opts);
    for (const p of progs) {
      const r = rs.get(p.seed)!;
      done++;
      if (r.status === 'pass') passed++;
      else {
        failures.push({ p, r });
        if (r.status === 'mismatch') {
          const d = r.diffs[0];
          console.log(`seed ${p.seed}: MISMATCH ${d.key}: qemu ${d.ref} ${dut} ${d.dut}${r.dut?.code !== 0 ? ` (${dut} exit ${r.dut?.code} ${r.dut?.note ?? ''}${r.trap ? ' ' + r.trap : ''})` : ''}`);
        } else {
          console.log(`seed ${p.seed}: ${r.status.toUpperCase()}: ${r.message}`);
        }
        if (failures.length >= maxFail) stop = true;
      }
    }
    if (done - lastReport >= 500) {
      lastReport = done;
      console.log(`  ... ${done}/${seeds.length} (${passed} pass, ${failures.length} fail, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
  });
  console.log(`${done} seeds run, ${passed} pass, ${failures.length} fail (${((Date.now() - t0) / 1000).toFixed(1)} s; groups ${groups.join(',')}, length ${length}, ${qemuOnly ? 'qemu only' : `dut ${dut}`})`);
  const mism = failures.filter((f) => f.r.status === 'mismatch').sort((a, b) => a.p.seed - b.p.seed);
  for (const [k, f] of mism.entries()) {
    console.log('');
    if (k < shrinkMax) {
      console.log(`shrinking seed ${f.p.seed} ...`);
      const s = await shrink(f.p, `seed-${f.p.seed}`, opts, jobs, (m) => process.stderr.write(m + '\r'));
      process.stderr.write('\n');
      console.log(formatReport(f.p, s.result, s.items, dut));
      console.log(`  (${s.tries} shrink attempts)`);
    } else {
      console.log(formatReport(f.p, f.r, null, dut));
    }
  }
  for (const f of failures.filter((f) => f.r.status !== 'mismatch')) {
    console.log(`\nseed ${f.p.seed}: ${f.r.status}: ${f.r.message}\n${(f.r.ref?.output ?? '').slice(0, 500)}`);
  }
  process.exit(failures.length ? 1 : 0);
}

if (process.argv[1]?.endsWith('run.ts')) {
  main().catch((e) => {
    console.error(e);
    process.exit(2);
  });
}
