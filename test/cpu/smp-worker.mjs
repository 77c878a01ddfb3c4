// One hart in its own thread for the two-instance atomics test.
import { parentPort } from 'node:worker_threads';

parentPort.once('message', ({ module, memory, id, doneAddr, resetPc }) => {
  const inst = new WebAssembly.Instance(module, {
    env: {
      memory,
      mmioLoad: () => 0n,
      mmioStore: () => {},
      mtime: () => 0n,
      abort: () => { throw new Error('abort'); },
    },
  });
  const core = inst.exports;
  core.init(id);
  core.reset(resetPc);
  const i32 = new Int32Array(memory.buffer);
  let runs = 0;
  while (Atomics.load(i32, doneAddr / 4 + id * 2) === 0 && runs < 100000) {
    core.run(20000);
    runs++;
  }
  parentPort.postMessage({ runs });
});
