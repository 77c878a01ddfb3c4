/**
 * Copy threads for the checkpoint pause: while every hart is parked, the controller copies
 * RAM into the capture on its own thread and, in parallel, on one or more helper threads.
 * One thread cannot use the memory bandwidth of the machine (a warm 256 MiB copy takes ~60 ms
 * on one thread of the 2-core development machine, ~38 ms on two), and the parked harts
 * leave the cores free.
 *
 * The work is a list of jobs (4 MiB pieces) that the threads take from a shared counter, so a
 * helper that the OS does not schedule at once only means the controller's thread takes more
 * of them: the pause is never longer than copying on one thread plus one piece.
 *
 * A copy thread is a tiny classic worker (the same JavaScript in Node, as an eval'd
 * worker_thread, and in the browser, from a Blob URL).
 */

/** Copy `length` bytes from `src` at `srcOffset` to `dst` at `dstOffset` (both shared). */
export interface CopyJob {
  src: SharedArrayBuffer;
  srcOffset: number;
  dst: SharedArrayBuffer;
  dstOffset: number;
  length: number;
  /**
   * Leave 4 KiB pages that read as all zeros unwritten (the destination is known to be zeros
   * there). Offsets and length must then be multiples of 4 KiB.
   */
  skipZeroPages?: boolean;
}

/**
 * One round of copying: `ctl` views a SharedArrayBuffer of 3 words — [0] the next job to take,
 * [1] jobs completed, [2] threads that have seen the round.
 */
export interface CopyRound {
  jobs: CopyJob[];
  ctl: Int32Array;
}

const NEXT = 0;
const COMPLETED = 1;
const SEEN = 2;

/** What a platform gives the controller: a started thread that joins copy rounds when told. */
export interface CopyThread {
  /** Join `round`. Returns false (and does nothing) if the thread has ended. */
  post(round: CopyRound): boolean;
  terminate(): void;
}

/**
 * A CopyThread over a worker (Node's or the browser's). The platform calls `ended()` when
 * the worker fails or exits; from then on `post` refuses.
 */
export function copyThreadOver(worker: { postMessage(message: unknown): void; terminate(): unknown }): CopyThread & { ended(): void } {
  let ended = false;
  return {
    post(round) {
      if (ended) return false;
      worker.postMessage(round);
      return true;
    },
    terminate() {
      ended = true;
      void worker.terminate();
    },
    ended: () => void (ended = true),
  };
}

/**
 * The thread's code (plain JavaScript, no imports): Node's worker_threads when `require` is
 * there, a Web Worker otherwise. Keep it in step with takeJobs() below.
 */
export const COPY_THREAD_SOURCE = `
'use strict';
const node = typeof require === 'function';
const handle = (round) => {
  const ctl = round.ctl, jobs = round.jobs;
  Atomics.add(ctl, 2, 1);
  Atomics.notify(ctl, 2);
  for (let i; (i = Atomics.add(ctl, 0, 1)) < jobs.length;) {
    runJob(jobs[i]);
    Atomics.add(ctl, 1, 1);
    Atomics.notify(ctl, 1);
  }
};
function runJob(j) {
  const src = new Uint8Array(j.src, j.srcOffset, j.length);
  const dst = new Uint8Array(j.dst, j.dstOffset, j.length);
  if (!j.skipZeroPages) { dst.set(src); return; }
  const words = new Int32Array(j.src, j.srcOffset, j.length >> 2);
  let run = -1;
  for (let p = 0; p < j.length; p += 4096) {
    let zero = true;
    for (let i = p >> 2, end = (p + 4096) >> 2; i < end; i++) if (words[i] !== 0) { zero = false; break; }
    if (!zero) { if (run < 0) run = p; } else if (run >= 0) { dst.set(src.subarray(run, p), run); run = -1; }
  }
  if (run >= 0) dst.set(src.subarray(run), run);
}
if (node) require('node:worker_threads').parentPort.on('message', handle); else self.onmessage = (e) => handle(e.data);
`;

export function newRound(jobs: CopyJob[]): CopyRound {
  return { jobs, ctl: new Int32Array(new SharedArrayBuffer(12)) };
}

/** Resolve once `thread` runs and answers (an empty round), or reject after `timeoutMs`. */
export async function copyThreadReady(thread: CopyThread, timeoutMs: number): Promise<void> {
  const round = newRound([]);
  if (!thread.post(round)) throw new Error('copy thread ended');
  const r = Atomics.waitAsync(round.ctl, SEEN, 0, timeoutMs);
  // Atomics.waitAsync does not keep Node's event loop alive: a timer does, until the answer.
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    if ((r.async ? await r.value : r.value) === 'timed-out') throw new Error(`copy thread did not start within ${timeoutMs} ms`);
  } finally {
    clearInterval(keepAlive);
  }
}

/** One job on this thread: the same as runJob in COPY_THREAD_SOURCE. */
export function runJob(j: CopyJob): void {
  const src = new Uint8Array(j.src, j.srcOffset, j.length);
  const dst = new Uint8Array(j.dst, j.dstOffset, j.length);
  if (!j.skipZeroPages) {
    dst.set(src);
    return;
  }
  const words = new Int32Array(j.src, j.srcOffset, j.length >> 2);
  let run = -1; // first byte of the current run of non-zero pages
  for (let p = 0; p < j.length; p += 4096) {
    let zero = true;
    for (let i = p >> 2, end = (p + 4096) >> 2; i < end; i++) {
      if (words[i] !== 0) {
        zero = false;
        break;
      }
    }
    if (!zero) {
      if (run < 0) run = p;
    } else if (run >= 0) {
      dst.set(src.subarray(run, p), run);
      run = -1;
    }
  }
  if (run >= 0) dst.set(src.subarray(run), run);
}

function takeJobs(round: CopyRound): void {
  for (let i; (i = Atomics.add(round.ctl, NEXT, 1)) < round.jobs.length;) {
    runJob(round.jobs[i]);
    Atomics.add(round.ctl, COMPLETED, 1);
  }
}

/**
 * Run `local()` on this thread, then do `jobs` together with `helpers`; returns when every job
 * is done. Throws if they are not all done within `timeoutMs` (a helper died or stalled
 * holding one): the copy cannot be trusted then, since that helper might still write into it.
 */
export function copyInParallel(jobs: CopyJob[], helpers: CopyThread[], timeoutMs: number, local: () => void = () => undefined): void {
  const round = newRound(jobs);
  for (const h of helpers) h.post(round);
  local();
  takeJobs(round);
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const completed = Atomics.load(round.ctl, COMPLETED);
    if (completed >= jobs.length) return;
    const left = deadline - performance.now();
    if (left <= 0) throw new Error(`a copy thread did not finish its part of the copy within ${timeoutMs} ms`);
    Atomics.wait(round.ctl, COMPLETED, completed, left);
  }
}

/** `length` bytes from `src` at `srcOffset` to `dst` at `dstOffset`, as jobs of at most `piece` bytes. */
export function copyJobs(
  src: SharedArrayBuffer, srcOffset: number, dst: SharedArrayBuffer, dstOffset: number, length: number,
  opts: { piece?: number; skipZeroPages?: boolean } = {},
): CopyJob[] {
  const piece = opts.piece ?? 4 << 20;
  const out: CopyJob[] = [];
  for (let at = 0; at < length; at += piece) {
    const job: CopyJob = { src, srcOffset: srcOffset + at, dst, dstOffset: dstOffset + at, length: Math.min(piece, length - at) };
    if (opts.skipZeroPages) job.skipZeroPages = true;
    out.push(job);
  }
  return out;
}
