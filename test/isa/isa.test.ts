// Runs the committed bare-metal ISA test programs (test/isa/build/*.elf) on
// Amber through the bare-metal ELF runner (docs/CONTRACTS.md).  Each program
// exits through HTIF with 0 on success or the number of the failing test, and
// prints a line naming the failing test on the console.
// Rebuild the ELFs with test/isa/build.sh; check them on QEMU with
// test/isa/check-qemu.sh.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runElf } from '../../src/machine/elf-runner';

const buildDir = join(dirname(fileURLToPath(import.meta.url)), 'build');
const elfs = readdirSync(buildDir)
  .filter((f) => f.endsWith('.elf'))
  .sort();

// Every program retires well under 20M instructions of real work.  multihart
// also spin-waits (start/done barriers, a contended spinlock) for as long as
// the runner's scheduler keeps a waiting hart running, so it gets more room.
const MAX_INSTRUCTIONS = 20_000_000;
const MAX_INSTRUCTIONS_MULTIHART = 100_000_000;

describe('ISA test programs', () => {
  it('found the built programs', () => {
    expect(elfs.length).toBeGreaterThan(0);
  });

  for (const elf of elfs) {
    const name = elf.replace(/\.elf$/, '');
    const harts = name.startsWith('multihart') ? 4 : 1;
    it(`${name} (${harts} hart${harts > 1 ? 's' : ''})`, { timeout: 120_000 }, async () => {
      const result = await runElf(join(buildDir, elf), {
        harts,
        maxInstructions: harts > 1 ? MAX_INSTRUCTIONS_MULTIHART : MAX_INSTRUCTIONS,
      });
      const detail =
        `${name}: exit code ${result.exitCode}` +
        `${result.timedOut ? ' (timed out)' : ''} after ${result.instructions} instructions\n` +
        `console output:\n${result.console}`;
      expect(result.timedOut, detail).toBe(false);
      expect(result.exitCode, detail).toBe(0);
    });
  }
});
