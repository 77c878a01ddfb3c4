/// <reference lib="webworker" />
/** Browser entry of a hart thread (a module Web Worker). */
import { runHart, type HartStartMessage } from './hart-runner.ts';

self.onmessage = (event: MessageEvent<HartStartMessage>) => {
  try {
    runHart(event.data);
    self.postMessage({ type: 'exit' });
  } catch (err) {
    self.postMessage({ type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) });
  }
};
