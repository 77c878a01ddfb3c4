/** Node entry of a hart thread (worker_threads). */
import { parentPort } from 'node:worker_threads';
import { runHart, type HartStartMessage } from './hart-runner.ts';

parentPort!.once('message', (msg: HartStartMessage) => {
  runHart(msg);
  parentPort!.postMessage({ type: 'exit' });
});
