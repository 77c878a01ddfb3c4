/**
 * The PLIC under its lock from several threads at once, as harts and the host drive it:
 * workers raise and lower their sources while this thread claims and completes. No update
 * of the shared level/pending/claimed words may be lost.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Plic } from '../../src/devices/plic.ts';
import { MIP, readMip } from '../../src/machine/interrupts.ts';
import { makeMemory } from './helpers.ts';

const BOOTSTRAP = new URL('../../src/workers/node-bootstrap.mjs', import.meta.url);
const ENTRY = new URL('./plic-threads.worker.ts', import.meta.url).href;

describe('PLIC across threads', () => {
  it('keeps level, pending and claimed consistent under concurrent setLevel and claim/complete', async () => {
    const mem = makeMemory(2);
    const plic = new Plic(mem, 3, 2);
    plic.state.locked(() => plic.reset());
    const wr = (o: number, v: number) => plic.state.locked(() => plic.write(o, 4, BigInt(v)));
    const claim = () => plic.state.locked(() => Number(plic.read(0x20_1004, 4))); // hart 0 S context
    const sources = [3, 4, 5];
    for (const s of sources) wr(4 * s, 1);
    wr(0x2080, sources.reduce((m, s) => m | (1 << s), 0));

    const rounds = 20_000;
    const workers = sources.map((source) => {
      const w = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY } });
      w.postMessage({ memory: mem.memory, source, rounds });
      return new Promise<void>((resolve, reject) => {
        w.once('message', () => void w.terminate().then(() => resolve()));
        w.once('error', reject);
      });
    });
    let claims = 0;
    let running = true;
    const all = Promise.all(workers).finally(() => { running = false; });
    while (running) {
      const id = claim();
      if (id) {
        expect(sources).toContain(id);
        claims++;
        wr(0x20_1004, id);
      }
      await new Promise((r) => setImmediate(r));
    }
    await all;

    // Every worker left its line high: all three must be pending, none in service.
    const s = plic.state;
    expect(s.get('level', 0)).toBe((1 << 3) | (1 << 4) | (1 << 5));
    expect(s.get('claimed', 0)).toBe(0);
    expect(s.get('pending', 0)).toBe((1 << 3) | (1 << 4) | (1 << 5));
    expect(readMip(mem, 0) & MIP.SEIP).toBe(MIP.SEIP);
    const seen = new Set([claim(), claim(), claim()]);
    expect(seen).toEqual(new Set(sources));
    expect(claim()).toBe(0);
    expect(readMip(mem, 0) & MIP.SEIP).toBe(0);
    expect(claims).toBeGreaterThan(0);
  });
});
