// Worker for device-lock.test.ts: increments a device field under the device lock.
import { parentPort } from 'node:worker_threads';
import { DeviceState } from '../../src/devices/state.ts';
import { SharedMachineMemory } from '../../src/machine/shared-memory.ts';
import { counterSchema } from './counter-schema.ts';

parentPort!.once('message', (msg: { memory: WebAssembly.Memory; rounds: number }) => {
  const state = new DeviceState(new SharedMachineMemory(msg.memory), 7, counterSchema);
  for (let i = 0; i < msg.rounds; i++) {
    // Two non-atomic read-modify-writes: only the lock keeps them from losing updates.
    state.locked(() => {
      state.set('a', state.get('a') + 1);
      state.set64('b', state.get64('b') + 3n);
    });
  }
  parentPort!.postMessage('done');
});
