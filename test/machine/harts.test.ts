import { describe, expect, it } from 'vitest';
import { runElf } from '../../src/machine/elf-runner.ts';

const program = (harts: number) => new URL(`../../programs/build/counter-${harts}.elf`, import.meta.url).pathname;

describe('hart workers over one shared memory', () => {
  for (const harts of [1, 2, 4]) {
    it(`${harts} hart worker(s) each greet and reach the exact AMOADD total`, async () => {
      const result = await runElf(program(harts), { harts, timeoutMs: 60_000 });
      for (let h = 0; h < harts; h++) expect(result.console).toContain(`hello from hart ${h}\n`);
      expect(result.console).toContain(`counter total ${harts * 100_000}\n`);
      expect(result.timedOut).toBe(false);
      expect(result.exitCode).toBe(0);
      // Each hart retired its own loop: the machine as a whole ran well over harts × loop length.
      expect(result.instructions).toBeGreaterThan(BigInt(harts * 100_000 * 3));
    });
  }

  it('guest RAM at its fixed offset reaches 1 GiB: first and last pages hold what the hart wrote', async () => {
    const ramtop = new URL('../../programs/build/ramtop.elf', import.meta.url).pathname;
    const result = await runElf(ramtop, { harts: 1, memoryMiB: 1024, timeoutMs: 60_000 });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(0);
  });
});
