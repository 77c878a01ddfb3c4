// CLI: npx tsx test/fpu/check.ts [--rebuild] FILE...   (or '-' for stdin)
import { readFileSync } from 'node:fs';
import { loadFpu, checkLines } from './runner';

const argv = process.argv.slice(2);
const rebuild = argv[0] === '--rebuild';
const files = rebuild ? argv.slice(1) : argv;
const fpu = await loadFpu(rebuild);
let total = 0, badTotal = 0;
const perOp = new Map<string, number>();
for (const file of files) {
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  const { n, bad, badCount } = checkLines(fpu, text.split('\n'), 1e9);
  total += n; badTotal += badCount;
  for (const b of bad) {
    const op = b.line.split(' ')[0];
    const c = perOp.get(op) ?? 0;
    if (c < 8) console.log(`MISMATCH ${b.line}  got ${b.got} ${b.gotFlags.toString(16).padStart(2, '0')}`);
    perOp.set(op, c + 1);
  }
}
for (const [op, c] of perOp) console.log(`${op}: ${c} mismatches`);
console.log(`${total} vectors, ${badTotal} mismatches`);
process.exit(badTotal ? 1 : 0);
