/** Shared helpers for the bench/*.ts commands: medians, load average, table printing, QEMU runs. */
import { spawn } from 'node:child_process';
import { loadavg, cpus } from 'node:os';

export const median = (xs: number[]): number => {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');

export function header(title: string): void {
  console.log(`${title}`);
  console.log(`date ${new Date().toISOString()}  host ${cpus().length} cores (${cpus()[0]?.model ?? '?'})  load average ${load()}`);
}

/** Prints rows as an aligned table (first row is the header). */
export function table(rows: (string | number)[][]): void {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  for (const [n, r] of cells.entries()) {
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

export const fmt = (x: number, digits = 0): string => (Number.isFinite(x) ? x.toFixed(digits) : '-');

export interface ProcResult {
  code: number | null;
  stdout: string;
  wallMs: number;
  /** user + system CPU seconds of the child (from bash's `time`). */
  cpuS: number;
}

/** Run a command under bash's `time` (for the child's CPU time); wall measured from spawn. */
export function runTimed(argv: string[]): Promise<ProcResult> {
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn('bash', ['-c', `TIMEFORMAT='@cpu %U %S'; time ${quoted}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      const m = /@cpu ([\d.]+) ([\d.]+)/.exec(err);
      resolve({ code, stdout: out, wallMs: performance.now() - t0, cpuS: m ? Number(m[1]) + Number(m[2]) : NaN });
    });
  });
}
