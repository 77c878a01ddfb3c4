/** Worker for plic-threads.test.ts: toggles one PLIC source many times, ends with it high. */
import { parentPort } from 'node:worker_threads';
import { Plic } from '../../src/devices/plic.ts';
import { SharedMachineMemory } from '../../src/machine/shared-memory.ts';

parentPort!.once('message', (msg: { memory: WebAssembly.Memory; source: number; rounds: number }) => {
  const mem = new SharedMachineMemory(msg.memory);
  const plic = new Plic(mem, 3, 2); // the same slot as the main thread's: one PLIC, two threads
  for (let i = 0; i < msg.rounds; i++) {
    plic.setLevel(msg.source, true);
    plic.setLevel(msg.source, false);
  }
  plic.setLevel(msg.source, true);
  parentPort!.postMessage('done');
});
