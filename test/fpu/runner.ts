// Shared by the vitest suite (fpu.test.ts) and the CLI checker (check.ts):
// loads build/fpu-test/fpu.wasm (building it if missing) and checks vector lines
//   op rm a b c result fflags      (hex)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');
export const wasmPath = join(root, 'build', 'fpu-test', 'fpu.wasm');

export type Fpu = Record<string, (...args: any[]) => any>;

// newest modification time of the FPU sources and the test entry
function sourcesMtime(): number {
  const dir = join(root, 'src', 'cpu', 'fpu');
  let t = statSync(join(here, 'entry.ts')).mtimeMs;
  for (const f of readdirSync(dir)) if (f.endsWith('.ts')) t = Math.max(t, statSync(join(dir, f)).mtimeMs);
  return t;
}

// Builds the wasm when it is missing or older than its sources.
export async function loadFpu(rebuild = false): Promise<Fpu> {
  if (rebuild || !existsSync(wasmPath) || statSync(wasmPath).mtimeMs < sourcesMtime()) {
    execFileSync('sh', [join(here, 'build.sh')], { stdio: 'inherit' });
  }
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {
    env: { abort() { throw new Error('abort called'); } },
  });
  return instance.exports as unknown as Fpu;
}

// op -> [wasm export, argument kinds, result kind, has rm, sign flips (bit i flips argument i)]
// kinds: s f32 (u32), d f64 (u64), w i32, W u32, l i64, L u64; results: s, d, x (64-bit int), i (i32)
type Spec = [string, string, string, boolean, number];
const S: Record<string, Spec> = {};
for (const t of ['f32', 'f64']) {
  const k = t === 'f32' ? 's' : 'd';
  for (const o of ['add', 'sub', 'mul', 'div']) S[`${t}_${o}`] = [`${t}_${o}`, k + k, k, true, 0];
  S[`${t}_sqrt`] = [`${t}_sqrt`, k, k, true, 0];
  S[`${t}_fma`] = [`${t}_fma`, k + k + k, k, true, 0];
  S[`${t}_fmsub`] = [`${t}_fma`, k + k + k, k, true, 4];
  S[`${t}_fnmsub`] = [`${t}_fma`, k + k + k, k, true, 1];
  S[`${t}_fnmadd`] = [`${t}_fma`, k + k + k, k, true, 5];
  for (const o of ['min', 'max']) S[`${t}_${o}`] = [`${t}_${o}`, k + k, k, false, 0];
  for (const o of ['eq', 'lt', 'le']) S[`${t}_${o}`] = [`${t}_${o}`, k + k, 'i', false, 0];
  S[`${t}_classify`] = [`${t}_classify`, k, 'i', false, 0];
  for (const [i, ik] of [['i32', 'w'], ['u32', 'W'], ['i64', 'l'], ['u64', 'L']]) {
    S[`${t}_to_${i}`] = [`${t}_to_${i}`, k, 'x', true, 0];
    S[`${i}_to_${t}`] = [`${i}_to_${t}`, ik, k, true, 0];
  }
}
S['f32_to_f64'] = ['f32_to_f64', 's', 'd', false, 0];
S['f64_to_f32'] = ['f64_to_f32', 'd', 's', true, 0];
export const specs = S;

function arg(kind: string, hex: string, flip: boolean): number | bigint {
  if (kind === 's' || kind === 'w' || kind === 'W') {
    let v = parseInt(hex, 16) >>> 0;
    if (flip) v = (v ^ 0x80000000) >>> 0;
    return v | 0;
  }
  let v = BigInt('0x' + hex);
  if (flip) v ^= 1n << 63n;
  return BigInt.asIntN(64, v);
}

function res(kind: string, v: any): bigint {
  if (kind === 's' || kind === 'i') return BigInt((v as number) >>> 0);
  return BigInt.asUintN(64, v as bigint);
}

export interface Mismatch { line: string; got: string; gotFlags: number }

export function checkLines(fpu: Fpu, lines: string[], maxReport = 20): { n: number; bad: Mismatch[]; badCount: number } {
  const bad: Mismatch[] = [];
  let n = 0, badCount = 0;
  const getFlags = fpu.testGetFlags, clearFlags = fpu.testClearFlags;
  for (const line of lines) {
    if (!line || line[0] === '#') continue;
    const f = line.split(' ');
    const spec = S[f[0]];
    if (!spec) throw new Error('unknown op ' + f[0]);
    const [name, kinds, rk, hasRm, flips] = spec;
    const fn = fpu[name];
    const rm = parseInt(f[1], 10);
    const args: (number | bigint)[] = [];
    for (let i = 0; i < kinds.length; i++) args.push(arg(kinds[i], f[2 + i], ((flips >> i) & 1) !== 0));
    if (hasRm) args.push(rm);
    clearFlags();
    const r = res(rk, fn(...args));
    const fl = getFlags();
    n++;
    if (r !== BigInt('0x' + f[5]) || fl !== parseInt(f[6], 16)) {
      badCount++;
      if (bad.length < maxReport) bad.push({ line, got: r.toString(16), gotFlags: fl });
    }
  }
  return { n, bad, badCount };
}
