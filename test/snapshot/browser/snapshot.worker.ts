/** Runs in a module worker of a cross-origin-isolated page (test/snapshot/browser.test.ts). */
import { decodeRamInto, hashHex, openSnapshot, snapshotToBlobParts, validateRam } from '../../../src/snapshot/index.ts';
import { RAM_BYTES, workloadWriter } from './workload.ts';

(async () => {
  try {
    const { writer, ram } = workloadWriter();
    const blob = new Blob(await snapshotToBlobParts(writer.finish()));
    const snap = await openSnapshot(blob);
    await snap.verifyAll();
    await validateRam(snap.payloadSource('ram'));
    const target = new Uint8Array(new SharedArrayBuffer(RAM_BYTES)).fill(0x77);
    await decodeRamInto(snap.payloadSource('ram'), target);
    let same = true;
    for (let i = 0; i < RAM_BYTES && same; i++) same = ram[i] === target[i];
    postMessage({ ok: same, size: blob.size, fileChecksum: hashHex(snap.fileChecksum) });
  } catch (e) {
    postMessage({ ok: false, error: String((e as Error).stack ?? e) });
  }
})();
