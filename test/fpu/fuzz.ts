// Differential fuzzing of the FPU fast paths against its soft-float twins, in wasm.
//   npx tsx test/fpu/fuzz.ts [millions per op, default 20] [seed]
import { loadFpu } from './runner';

const ex = (await loadFpu()) as any;
const M = Number(process.argv[2] ?? 20);
let seed = BigInt(process.argv[3] ?? 987654321);
let total = 0;
const report = (name: string, bad: number) => {
  total += bad;
  const g = (k: string) => (BigInt.asUintN(64, ex[k].value)).toString(16);
  console.log(`${name.padEnd(10)} ${M}M: ${bad} mismatches` + (bad ? `  first: a=${g('badA')} b=${g('badB')} c=${g('badC')} rm=${ex.badRm.value}` : ''));
};
const names = ['f64_add', 'f64_mul', 'f64_div', 'f64_sqrt', 'f64_fma'];
for (let op = 0; op < 5; op++) {
  let bad = 0;
  for (let k = 0; k < M; k++) bad += ex.fuzz(op, 1_000_000, seed++);
  report(names[op], bad);
}
let bad = 0;
for (let k = 0; k < M; k++) bad += ex.fuzzRound32(1_000_000, seed++);
report('f32_round', bad);
process.exit(total ? 1 : 0);
